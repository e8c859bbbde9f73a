// nnc playground: the .nn editor. A textarea over a highlight layer, with a gutter of line numbers;
// each diagnostic is marked in the gutter, underlined at its columns, its message written after its
// line, and listed below the editor.
'use strict';
(() => {
  const nnc = window.NncPlayground;
  const $ = nnc.$;

  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  }

  /** The editor; ON_EDIT is called after every edit the user makes. */
  nnc.createEditor = (onEdit) => {
    const source = $('source');
    const gutter = $('gutter');
    const backdrop = $('backdrop');
    let diagnostics = [];

    function syncScroll() {
      backdrop.scrollTop = source.scrollTop;
      backdrop.scrollLeft = source.scrollLeft;
      gutter.scrollTop = source.scrollTop;
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

    /** Redraws line numbers, markers and the highlight layer for the current text and diagnostics. */
    function render() {
      const lines = source.value.split('\n');
      const byLine = new Map();
      for (const d of diagnostics) {
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

    function renderList() {
      const list = $('diagnostics');
      list.innerHTML = '';
      for (const d of diagnostics) {
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

    /** Puts the caret at LINE:COLUMN (1-based) and scrolls it into view. */
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

    source.addEventListener('input', () => {
      render();
      onEdit();
    });
    source.addEventListener('scroll', syncScroll);
    source.addEventListener('keydown', (e) => {
      if (e.key === 'Tab' && !e.shiftKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        source.setRangeText('  ', source.selectionStart, source.selectionEnd, 'end');
        source.dispatchEvent(new Event('input'));
      }
    });

    return {
      text: () => source.value,
      /** Replaces the whole text (not an edit: ON_EDIT is not called). */
      setText: (text) => { source.value = text; render(); },
      diagnostics: () => diagnostics,
      setDiagnostics: (ds) => { diagnostics = ds; render(); renderList(); },
      goToLine,
    };
  };
})();
