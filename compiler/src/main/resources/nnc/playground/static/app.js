// nnc playground: the page. Talks to `nnc playground` through the JSON API and the event stream
// described in PLAYGROUND-PROTOCOL (check, render, code, run, play/pause/step/reset, data, events).
'use strict';
(() => {
  const TOKEN = document.querySelector('meta[name="nnc-token"]').content;
  const PAGE = randomId();
  const $ = (id) => document.getElementById(id);
  const CHECK_DELAY_MS = 250;
  const MAX_LOSS_POINTS = 1000;
  const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1, 3, 10];
  const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
  const PLAY_ICON = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M8 5l11 7-11 7z" fill="currentColor"/></svg>';
  const PAUSE_ICON = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M7 5h4v14H7z M13 5h4v14h-4z" fill="currentColor"/></svg>';
  const NEG = [245, 147, 34];
  const MID = [232, 234, 235];
  const POS = [8, 119, 189];

  /** What the page has checked and is running, for tests and debugging. */
  const hooks = { checkedSource: null, checkedOk: false, runSource: null };
  window.nncPlayground = hooks;

  const state = {
    program: null,
    seq: 0,
    checkTimer: 0,
    lastOkSource: null,
    run: null,
    runSerial: 0,
    events: null,
    playing: false,
    frame: null,
    drawScheduled: false,
    losses: [],
    data: null,
    diagnostics: [],
    codeOpen: false,
    codeSerial: 0,
  };

  // ---------------------------------------------------------------- HTTP
  function randomId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function api(path, body) {
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
  }

  function status(text, kind) {
    const el = $('status');
    el.textContent = text || '';
    el.className = 'status' + (kind ? ' ' + kind : '');
  }

  function errorText(result) {
    if (result.json && result.json.error) return result.json.error;
    if (result.json && result.json.diagnostics && result.json.diagnostics.length) {
      const d = result.json.diagnostics[0];
      return d.line + ':' + d.column + ': ' + d.message;
    }
    return 'HTTP ' + result.status;
  }

  // ---------------------------------------------------------------- editor
  const source = $('source');
  const gutter = $('gutter');
  const backdrop = $('backdrop');

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  }

  /** Redraws line numbers, markers and the highlight layer for the current text and diagnostics. */
  function renderEditor() {
    const lines = source.value.split('\n');
    const byLine = new Map();
    for (const d of state.diagnostics) {
      const line = Math.min(Math.max(d.line, 1), lines.length);
      if (!byLine.has(line)) byLine.set(line, []);
      byLine.get(line).push(d);
    }
    let gutterHtml = '';
    let backHtml = '';
    lines.forEach((text, i) => {
      const n = i + 1;
      const diags = byLine.get(n);
      if (diags) {
        const worst = diags.some((d) => d.severity === 'error') ? 'error' : 'warning';
        const title = escapeHtml(diags.map((d) => d.message).join('\n'));
        gutterHtml += '<div class="gl ' + worst + '" data-testid="gutter-marker" data-line="' + n
          + '" title="' + title + '"><span class="mark">\u25CF</span>' + n + '</div>';
        backHtml += highlightLine(text, n, diags, worst) + '\n';
      } else {
        gutterHtml += '<div class="gl">' + n + '</div>';
        backHtml += escapeHtml(text) + '\n';
      }
    });
    gutter.innerHTML = gutterHtml + '<div class="gl pad"></div>';
    backdrop.innerHTML = backHtml + '\n';
    syncScroll();
  }

  function highlightLine(text, n, diags, worst) {
    const d = diags[0];
    const start = Math.max(0, Math.min(text.length, d.column - 1));
    let end = d.endLine === n && d.endColumn > d.column ? d.endColumn - 1 : text.length;
    if (!(d.endLine >= n)) end = text.length;
    end = Math.max(start + 1, Math.min(text.length, end));
    const message = diags.map((x) => x.message).join(' \u00B7 ');
    return '<span class="line-' + worst + '" data-line="' + n + '">' + escapeHtml(text.slice(0, start))
      + '<mark class="' + worst + '">' + escapeHtml(text.slice(start, end) || ' ') + '</mark>'
      + escapeHtml(text.slice(end)) + '<span class="inline-msg ' + worst
      + '" data-testid="inline-diagnostic" data-line="' + n + '">' + escapeHtml(message) + '</span></span>';
  }

  function syncScroll() {
    backdrop.scrollTop = source.scrollTop;
    backdrop.scrollLeft = source.scrollLeft;
    gutter.scrollTop = source.scrollTop;
  }

  function renderDiagnostics() {
    const list = $('diagnostics');
    list.innerHTML = '';
    for (const d of state.diagnostics) {
      const li = document.createElement('li');
      li.className = d.severity;
      li.dataset.testid = 'diagnostic';
      li.dataset.line = d.line;
      li.dataset.column = d.column;
      li.textContent = d.line + ':' + d.column + ': ' + d.severity + ': ' + d.message;
      if (d.hint) {
        const hint = document.createElement('div');
        hint.className = 'hint';
        hint.textContent = 'hint: ' + d.hint;
        li.appendChild(hint);
      }
      li.addEventListener('click', () => goToLine(d.line, d.column));
      list.appendChild(li);
    }
  }

  function goToLine(line, column) {
    const lines = source.value.split('\n');
    let offset = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) offset += lines[i].length + 1;
    offset += Math.max(0, (column || 1) - 1);
    source.focus();
    source.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(source).lineHeight) || 18;
    source.scrollTop = Math.max(0, (line - 4) * lineHeight);
    syncScroll();
  }

  function scheduleCheck(delay) {
    clearTimeout(state.checkTimer);
    state.checkTimer = setTimeout(check, delay);
  }

  /** Checks the current text; answers to older requests than the newest are dropped. */
  async function check() {
    const seq = ++state.seq;
    const text = source.value;
    const result = await api('/api/check', { source: text, seq });
    const answered = result.json && typeof result.json.seq === 'number' ? result.json.seq : seq;
    if (answered !== state.seq || seq !== state.seq) return;
    if (!result.ok || !result.json) {
      status('check failed: ' + errorText(result), 'error');
      return;
    }
    const answer = result.json;
    state.diagnostics = answer.diagnostics || [];
    renderEditor();
    renderDiagnostics();
    applyProgram(answer.program || null, answer.why || null);
    document.body.dataset.checked = String(seq);
    hooks.checkedSource = text;
    hooks.checkedOk = answer.ok;
    if (answer.ok) {
      state.lastOkSource = text;
      startRun(text);
      if (state.codeOpen) showCode();
    } else {
      status(state.diagnostics.length + ' problem' + (state.diagnostics.length === 1 ? '' : 's')
        + ' in the program', 'error');
    }
  }

  source.addEventListener('input', () => {
    renderEditor();
    scheduleCheck(CHECK_DELAY_MS);
  });
  source.addEventListener('scroll', syncScroll);
  source.addEventListener('keydown', (e) => {
    if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      source.setRangeText('  ', source.selectionStart, source.selectionEnd, 'end');
      source.dispatchEvent(new Event('input'));
    }
  });

  async function setSource(text) {
    source.value = text;
    renderEditor();
    clearTimeout(state.checkTimer);
    await check();
  }

  // ---------------------------------------------------------------- controls <-> program
  const controlIds = ['test-fraction', 'noise', 'batch', 'add-layer', 'remove-layer', 'activation', 'lr',
    'optimizer', 'regularization', 'reg-rate'];

  function fillNumberSelect(select, values) {
    select.innerHTML = '';
    for (const v of values) addOption(select, v);
  }

  function addOption(select, v) {
    const option = document.createElement('option');
    option.value = String(v);
    option.textContent = String(v);
    select.appendChild(option);
  }

  function selectNumber(select, v) {
    let found = Array.from(select.options).find((o) => Number(o.value) === v);
    if (!found) {
      addOption(select, v);
      const sorted = Array.from(select.options).sort((a, b) => Number(a.value) - Number(b.value));
      sorted.forEach((o) => select.appendChild(o));
      found = Array.from(select.options).find((o) => Number(o.value) === v);
    }
    select.value = found.value;
  }

  function setRange(id, v, label) {
    const input = $(id);
    if (Number(input.max) < v) input.max = String(v);
    input.value = String(v);
    $(id + '-value').textContent = label;
  }

  /** Shows PROGRAM in the controls, or disables them with the reason the program is outside them. */
  function applyProgram(program, why) {
    state.program = program;
    const disabled = !program;
    for (const id of controlIds) $(id).disabled = disabled;
    for (const b of document.querySelectorAll('.dataset, .neuron-button')) b.disabled = disabled;
    const whyEl = $('controls-why');
    whyEl.hidden = !disabled;
    whyEl.textContent = disabled ? 'The controls are off: ' + (why || 'the program is not in the playground\'s form') : '';
    $('controls').classList.toggle('off', disabled);
    if (!program) return;
    for (const b of document.querySelectorAll('.dataset')) {
      b.setAttribute('aria-checked', String(b.dataset.dataset === program.dataset));
    }
    setRange('test-fraction', program.testFraction, Math.round(program.testFraction * 100) + '%');
    setRange('noise', program.noise, String(program.noise));
    setRange('batch', program.batch, String(program.batch));
    $('layer-count').textContent = String(program.hidden.length);
    $('add-layer').disabled = program.hidden.length >= 6;
    $('remove-layer').disabled = program.hidden.length === 0;
    $('activation').value = program.activation;
    selectNumber($('lr'), program.lr);
    $('optimizer').value = program.optimizer;
    $('regularization').value = program.regularization;
    selectNumber($('reg-rate'), program.regRate);
    $('reg-rate').disabled = program.regularization === 'none';
    const layers = [2, ...program.hidden, 1];
    if (!state.drawnLayers || state.drawnLayers.join() !== layers.join()) buildNetwork(layers);
    updateNeuronButtons();
  }

  /** Applies a change to the program through /api/render, then shows and checks the new text. */
  async function editProgram(change) {
    if (!state.program) return;
    const program = structuredClone(state.program);
    change(program);
    const result = await api('/api/render', { program });
    if (!result.ok || !result.json || typeof result.json.source !== 'string') {
      status('render failed: ' + errorText(result), 'error');
      applyProgram(state.program, null);
      return;
    }
    await setSource(result.json.source);
  }

  for (const b of document.querySelectorAll('.dataset')) {
    b.addEventListener('click', () => editProgram((p) => { p.dataset = b.dataset.dataset; }));
  }
  $('test-fraction').addEventListener('input', (e) => {
    $('test-fraction-value').textContent = Math.round(Number(e.target.value) * 100) + '%';
  });
  $('noise').addEventListener('input', (e) => { $('noise-value').textContent = e.target.value; });
  $('batch').addEventListener('input', (e) => { $('batch-value').textContent = e.target.value; });
  $('test-fraction').addEventListener('change', (e) => editProgram((p) => { p.testFraction = Number(e.target.value); }));
  $('noise').addEventListener('change', (e) => editProgram((p) => { p.noise = Number(e.target.value); }));
  $('batch').addEventListener('change', (e) => editProgram((p) => { p.batch = Number(e.target.value); }));
  $('add-layer').addEventListener('click', () => editProgram((p) => {
    if (p.hidden.length < 6) p.hidden.push(p.hidden.length ? p.hidden[p.hidden.length - 1] : 4);
  }));
  $('remove-layer').addEventListener('click', () => editProgram((p) => { p.hidden.pop(); }));
  $('activation').addEventListener('change', (e) => editProgram((p) => { p.activation = e.target.value; }));
  $('lr').addEventListener('change', (e) => editProgram((p) => { p.lr = Number(e.target.value); }));
  $('optimizer').addEventListener('change', (e) => editProgram((p) => { p.optimizer = e.target.value; }));
  $('regularization').addEventListener('change', (e) => editProgram((p) => {
    p.regularization = e.target.value;
    if (p.regularization !== 'none' && !(p.regRate > 0)) p.regRate = 0.001;
  }));
  $('reg-rate').addEventListener('change', (e) => editProgram((p) => { p.regRate = Number(e.target.value); }));

  function changeNeurons(layer, delta) {
    editProgram((p) => {
      const n = p.hidden[layer] + delta;
      if (n >= 1 && n <= 8) p.hidden[layer] = n;
    });
  }

  // ---------------------------------------------------------------- runs
  function setPlaying(playing) {
    state.playing = playing;
    const b = $('play');
    b.setAttribute('aria-pressed', String(playing));
    b.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    b.dataset.state = playing ? 'playing' : 'paused';
    b.innerHTML = playing ? PAUSE_ICON : PLAY_ICON;
  }

  /** Starts a paused run of TEXT (the server stops this page's previous run); resumes play if it was on. */
  async function startRun(text) {
    if (state.run && state.run.source === text) return;
    const serial = ++state.runSerial;
    const wasPlaying = state.playing;
    status('compiling\u2026');
    const result = await api('/api/run', { source: text, page: PAGE });
    if (serial !== state.runSerial) return;
    if (!result.ok || !result.json || !result.json.run) {
      status('cannot run: ' + errorText(result), 'error');
      return;
    }
    if (state.events) state.events.close();
    state.run = { id: result.json.run, source: text, layers: result.json.layers };
    document.body.dataset.run = state.run.id;
    state.losses = [];
    state.frame = null;
    state.data = null;
    buildNetwork(state.run.layers);
    openEvents(state.run.id);
    const data = await api('/api/run/' + encodeURIComponent(state.run.id) + '/data');
    if (serial !== state.runSerial) return;
    if (data.ok && data.json) {
      state.data = data.json;
      drawInputs();
      drawPoints();
    }
    status('ready');
    hooks.runSource = text;
    setPlaying(false);
    if (wasPlaying) command('play');
  }

  function openEvents(id) {
    const events = new EventSource('/api/run/' + encodeURIComponent(id) + '/events?token=' + encodeURIComponent(TOKEN));
    state.events = events;
    events.addEventListener('frame', (e) => {
      if (state.events !== events) return;
      state.frame = JSON.parse(e.data);
      if (!state.drawScheduled) {
        state.drawScheduled = true;
        requestAnimationFrame(drawFrame);
      }
    });
    events.addEventListener('failed', (e) => {
      if (state.events !== events) return;
      let message = 'training failed';
      try { message = JSON.parse(e.data).message || message; } catch (x) { /* keep the default */ }
      status(message, 'error');
      setPlaying(false);
    });
    events.addEventListener('error', () => {
      if (state.events === events && events.readyState === EventSource.CLOSED) {
        status('the playground server closed the stream', 'error');
        setPlaying(false);
      }
    });
  }

  async function command(name) {
    if (!state.run) {
      status(state.diagnostics.length ? 'fix the program first' : 'no run yet', 'error');
      return;
    }
    const id = state.run.id;
    const result = await api('/api/run/' + encodeURIComponent(id) + '/' + name, {});
    if (!state.run || state.run.id !== id) return;
    if (!result.ok || !result.json) {
      status(name + ' failed: ' + errorText(result), 'error');
      return;
    }
    setPlaying(result.json.state === 'playing');
    $('epoch').textContent = String(result.json.epoch);
    if (name === 'reset') state.losses = [];
    status(result.json.state === 'playing' ? 'training' : 'paused');
  }

  $('play').addEventListener('click', () => command(state.playing ? 'pause' : 'play'));
  $('step').addEventListener('click', () => command('step'));
  $('reset').addEventListener('click', () => command('reset'));
  $('show-test').addEventListener('change', drawPoints);
  window.addEventListener('pagehide', () => { if (state.events) state.events.close(); });

  // ---------------------------------------------------------------- drawing
  const LUT = (() => {
    const lut = new Uint8ClampedArray(256 * 3);
    for (let v = 0; v < 256; v++) {
      const t = v / 255;
      const [a, b, u] = t < 0.5 ? [NEG, MID, t * 2] : [MID, POS, t * 2 - 1];
      for (let k = 0; k < 3; k++) lut[v * 3 + k] = Math.round(a[k] + (b[k] - a[k]) * u);
    }
    return lut;
  })();

  function decode(base64) {
    const bin = atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  }

  const scratch = document.createElement('canvas');

  /** Paints G×G bytes (0..255, row 0 on top) onto CANVAS, stretched and smoothed. */
  function paintGrid(canvas, bytes, g) {
    if (scratch.width !== g) { scratch.width = g; scratch.height = g; }
    const sctx = scratch.getContext('2d');
    const image = sctx.createImageData(g, g);
    for (let i = 0; i < g * g; i++) {
      const v = bytes[i];
      image.data[i * 4] = LUT[v * 3];
      image.data[i * 4 + 1] = LUT[v * 3 + 1];
      image.data[i * 4 + 2] = LUT[v * 3 + 2];
      image.data[i * 4 + 3] = 255;
    }
    sctx.putImageData(image, 0, 0);
    const ctx = canvas.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(scratch, 0, 0, g, g, 0, 0, canvas.width, canvas.height);
  }

  function drawFrame() {
    state.drawScheduled = false;
    const f = state.frame;
    if (!f) return;
    $('epoch').textContent = String(f.epoch);
    $('epoch').dataset.step = String(f.step);
    showValue($('test-loss'), f.testLoss);
    showValue($('train-loss'), f.trainLoss);
    if ((f.state === 'playing') !== state.playing) setPlaying(f.state === 'playing');
    recordLoss(f);
    drawLosses();
    const g = f.grid || 50;
    paintGrid($('boundary'), decode(f.boundary), g);
    $('boundary').dataset.step = String(f.step);
    const output = document.querySelector('[data-node="output"]');
    if (output) paintGrid(output, decode(f.boundary), g);
    (f.neurons || []).forEach((layer, l) => layer.forEach((b64, j) => {
      const canvas = document.querySelector('[data-node="h' + l + '-' + j + '"]');
      if (canvas) paintGrid(canvas, decode(b64), g);
    }));
    drawWeights(f.weights || []);
  }

  /** Shows a loss to 3 decimals, with its full value in data-value for tests ("–" and none when absent). */
  function showValue(el, v) {
    el.textContent = formatLoss(v);
    if (typeof v === 'number' && Number.isFinite(v)) el.dataset.value = String(v);
    else delete el.dataset.value;
  }

  function formatLoss(v) {
    return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '\u2013';
  }

  function recordLoss(f) {
    const last = state.losses[state.losses.length - 1];
    if (last && last.step === f.step) return;
    if (last && f.step < last.step) state.losses = [];
    state.losses.push({ step: f.step, train: f.trainLoss, test: f.testLoss });
    if (state.losses.length > MAX_LOSS_POINTS) state.losses = state.losses.filter((_, i) => i % 2 === 0);
  }

  function drawLosses() {
    const canvas = $('loss-chart');
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const points = state.losses;
    if (points.length < 2) return;
    const finite = (v) => typeof v === 'number' && Number.isFinite(v);
    const values = points.flatMap((p) => [p.train, p.test]).filter(finite);
    const max = Math.max(...values, 1e-9);
    const plot = (key, colour) => {
      ctx.beginPath();
      let drawing = false;
      points.forEach((p, i) => {
        if (!finite(p[key])) { drawing = false; return; }
        const x = i / (points.length - 1) * (canvas.width - 2) + 1;
        const y = canvas.height - 2 - Math.min(p[key], max) / max * (canvas.height - 4);
        if (drawing) ctx.lineTo(x, y); else ctx.moveTo(x, y);
        drawing = true;
      });
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.stroke();
    };
    plot('train', '#999');
    plot('test', '#222');
  }

  function planeX(canvas, x) {
    const r = state.data.range;
    return (x - r[0]) / (r[1] - r[0]) * canvas.width;
  }

  function planeY(canvas, y) {
    const r = state.data.range;
    return (r[3] - y) / (r[3] - r[2]) * canvas.height;
  }

  function drawPoints() {
    const canvas = $('points');
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!state.data) return;
    const dot = (p, stroke) => {
      ctx.beginPath();
      ctx.arc(planeX(canvas, p[0]), planeY(canvas, p[1]), 2.5, 0, 2 * Math.PI);
      ctx.fillStyle = p[2] >= 0.5 ? 'rgb(' + POS + ')' : 'rgb(' + NEG + ')';
      ctx.fill();
      ctx.lineWidth = 0.6;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    };
    for (const p of state.data.train) dot(p, '#fff');
    if ($('show-test').checked) for (const p of state.data.test) dot(p, '#000');
  }

  /** The input nodes show their own feature over the plane: x1 left to right, x2 bottom to top. */
  function drawInputs() {
    const g = 50;
    for (let k = 0; k < 2; k++) {
      const canvas = document.querySelector('[data-node="x' + k + '"]');
      if (!canvas) continue;
      const bytes = new Uint8Array(g * g);
      for (let r = 0; r < g; r++) {
        for (let c = 0; c < g; c++) bytes[r * g + c] = Math.round(255 * (k === 0 ? c / (g - 1) : 1 - r / (g - 1)));
      }
      paintGrid(canvas, bytes, g);
    }
  }

  // ---------------------------------------------------------------- network drawing
  const NODE = 40;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  /** Lays out LAYERS ([inputs, hidden..., outputs]) as columns of heat-map nodes joined by weight edges. */
  function buildNetwork(layers) {
    state.drawnLayers = layers;
    const view = $('network');
    const svg = $('network-svg');
    for (const el of view.querySelectorAll('.node, .layer-head')) el.remove();
    svg.innerHTML = '';
    const width = Math.max(view.clientWidth, 360);
    const maxNodes = Math.max(...layers);
    const headHeight = 46;
    const height = headHeight + maxNodes * (NODE + 10) + 10;
    view.style.height = height + 'px';
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    const columnX = (l) => 20 + l * (width - 40 - NODE) / Math.max(1, layers.length - 1);
    const nodeY = (l, j) => headHeight + (maxNodes - layers[l]) * (NODE + 10) / 2 + j * (NODE + 10);
    state.layout = { columnX, nodeY };
    for (let l = 0; l + 1 < layers.length; l++) {
      for (let i = 0; i < layers[l]; i++) {
        for (let j = 0; j < layers[l + 1]; j++) {
          const x1 = columnX(l) + NODE;
          const y1 = nodeY(l, i) + NODE / 2;
          const x2 = columnX(l + 1);
          const y2 = nodeY(l + 1, j) + NODE / 2;
          const mx = (x1 + x2) / 2;
          const path = document.createElementNS(SVG_NS, 'path');
          path.setAttribute('d', 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2);
          path.setAttribute('class', 'edge');
          path.setAttribute('data-testid', 'edge-' + l + '-' + i + '-' + j);
          path.id = 'edge-' + l + '-' + i + '-' + j;
          svg.appendChild(path);
        }
      }
    }
    layers.forEach((n, l) => {
      for (let j = 0; j < n; j++) {
        const canvas = document.createElement('canvas');
        canvas.width = NODE;
        canvas.height = NODE;
        canvas.className = 'node';
        const name = l === 0 ? 'x' + j : l === layers.length - 1 ? 'output' : 'h' + (l - 1) + '-' + j;
        canvas.dataset.node = l === layers.length - 1 && j > 0 ? 'output-' + j : name;
        canvas.dataset.testid = 'node-' + canvas.dataset.node;
        canvas.title = l === 0 ? (j === 0 ? 'x1' : 'x2') : l === layers.length - 1 ? 'output' : 'layer ' + l + ', neuron ' + (j + 1);
        canvas.style.left = columnX(l) + 'px';
        canvas.style.top = nodeY(l, j) + 'px';
        view.appendChild(canvas);
      }
      const head = document.createElement('div');
      head.className = 'layer-head';
      head.style.left = (columnX(l) + NODE / 2) + 'px';
      if (l === 0) head.textContent = 'input';
      else if (l === layers.length - 1) head.textContent = 'output';
      else head.appendChild(neuronControls(l - 1, n));
      view.appendChild(head);
    });
    updateNeuronButtons();
    if (state.data) drawInputs();
  }

  function neuronControls(layer, n) {
    const box = document.createElement('div');
    const plus = document.createElement('button');
    const minus = document.createElement('button');
    for (const [b, delta, sign] of [[plus, 1, '+'], [minus, -1, '\u2212']]) {
      b.type = 'button';
      b.className = 'neuron-button';
      b.textContent = sign;
      b.dataset.layer = String(layer);
      b.dataset.delta = String(delta);
      b.id = 'layer-' + layer + (delta > 0 ? '-plus' : '-minus');
      b.dataset.testid = b.id;
      b.setAttribute('aria-label', (delta > 0 ? 'Add a neuron to' : 'Remove a neuron from') + ' hidden layer ' + (layer + 1));
      b.addEventListener('click', () => changeNeurons(layer, delta));
    }
    box.append(plus, minus);
    const label = document.createElement('div');
    label.className = 'neuron-count';
    label.textContent = n + (n === 1 ? ' neuron' : ' neurons');
    box.appendChild(label);
    return box;
  }

  function updateNeuronButtons() {
    for (const b of document.querySelectorAll('.neuron-button')) {
      const layer = Number(b.dataset.layer);
      const p = state.program;
      const n = p && layer < p.hidden.length ? p.hidden[layer] : 0;
      b.disabled = !p || layer >= p.hidden.length || (Number(b.dataset.delta) > 0 ? n >= 8 : n <= 1);
    }
  }

  function drawWeights(weights) {
    let max = 0;
    for (const m of weights) for (const row of m) for (const w of row) max = Math.max(max, Math.abs(w));
    const scale = max > 0 ? 6 / max : 0;
    weights.forEach((m, l) => m.forEach((row, i) => row.forEach((w, j) => {
      const path = document.getElementById('edge-' + l + '-' + i + '-' + j);
      if (!path) return;
      path.style.stroke = w >= 0 ? 'rgb(' + POS + ')' : 'rgb(' + NEG + ')';
      path.style.strokeWidth = Math.max(0.5, Math.abs(w) * scale).toFixed(2);
      path.dataset.weight = String(w);
    })));
  }

  // ---------------------------------------------------------------- generated code
  async function showCode() {
    state.codeOpen = true;
    const serial = ++state.codeSerial;
    const text = source.value;
    $('show-code').textContent = 'Refresh';
    const result = await api('/api/code', { source: text });
    if (serial !== state.codeSerial) return;
    const java = $('java');
    const kernels = $('kernels');
    kernels.innerHTML = '';
    if (!result.ok || !result.json || typeof result.json.java !== 'string') {
      java.textContent = 'No code: ' + errorText(result);
      return;
    }
    const firstShow = java.textContent === '';
    const scrolled = java.scrollTop;
    java.textContent = result.json.java;
    const javaLines = result.json.java.split('\n');
    const scrollToKernel = (name) => {
      let at = javaLines.findIndex((l) => l.includes('void ' + name + '('));
      if (at < 0) return;
      while (at > 0 && /^\s*(\/\*\*|\*)/.test(javaLines[at - 1])) at--;
      const lineHeight = parseFloat(getComputedStyle(java).lineHeight) || 16;
      java.scrollTop = at * lineHeight;
    };
    const backward = (result.json.kernels || []).find((k) => k.role === 'backward');
    if (firstShow && backward) scrollToKernel(backward.name);
    else java.scrollTop = scrolled;
    for (const k of result.json.kernels || []) {
      const li = document.createElement('li');
      li.className = 'kernel ' + k.role;
      li.dataset.testid = 'kernel';
      li.dataset.line = String(k.line);
      const name = document.createElement('button');
      name.type = 'button';
      name.textContent = k.name;
      name.title = 'Show ' + k.name + ' in the Java source and its .nn line';
      name.addEventListener('click', () => {
        goToLine(k.line, 1);
        scrollToKernel(k.name);
      });
      li.append(name, document.createTextNode(' ' + k.role + ' \u00B7 line ' + k.line));
      kernels.appendChild(li);
    }
  }

  $('show-code').addEventListener('click', showCode);

  // ---------------------------------------------------------------- start
  fillNumberSelect($('lr'), LEARNING_RATES);
  fillNumberSelect($('reg-rate'), REG_RATES);
  applyProgram(null, 'waiting for the first check');
  setPlaying(false);

  (async () => {
    const initial = await api('/api/initial');
    if (!initial.ok || !initial.json || typeof initial.json.source !== 'string') {
      status('cannot load the program: ' + errorText(initial), 'error');
      return;
    }
    $('filename').textContent = initial.json.name || '';
    await setSource(initial.json.source);
  })();
})();
