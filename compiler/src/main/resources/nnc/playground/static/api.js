// nnc playground: the page's link to the server. Every request carries the launch token; answers
// come back as {status, ok, json}. Shared by the page's other scripts through window.NncPlayground.
'use strict';
(() => {
  const nnc = window.NncPlayground = window.NncPlayground || {};
  const TOKEN = document.querySelector('meta[name="nnc-token"]').content;

  nnc.TOKEN = TOKEN;
  nnc.$ = (id) => document.getElementById(id);

  /** 32 random hex digits (the page id a run belongs to). */
  nnc.randomId = () => {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  /** GET PATH, or POST BODY as JSON to PATH; never throws. */
  nnc.api = async (path, body) => {
    const init = { method: body === undefined ? 'GET' : 'POST', headers: { 'X-Nnc-Token': TOKEN } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return { status: 0, ok: false, json: { error: 'the playground server does not answer' } };
    }
    let json = null;
    try { json = await response.json(); } catch (e) { json = null; }
    return { status: response.status, ok: response.ok, json };
  };

  /** The events stream of run ID (EventSource cannot send headers: the token goes in the query). */
  nnc.events = (id) => new EventSource('/api/run/' + encodeURIComponent(id) + '/events?token=' + encodeURIComponent(TOKEN));

  /** What went wrong with an answer, in one line. */
  nnc.errorText = (result) => {
    if (result.json && result.json.error) return result.json.error;
    if (result.json && result.json.diagnostics && result.json.diagnostics.length) {
      const d = result.json.diagnostics[0];
      return d.line + ':' + d.column + ': ' + d.message;
    }
    return 'HTTP ' + result.status;
  };

  /** Shows TEXT in the status line; KIND 'error' colours it. */
  nnc.status = (text, kind) => {
    const el = nnc.$('status');
    el.textContent = text || '';
    el.className = 'status' + (kind ? ' ' + kind : '');
  };
})();
