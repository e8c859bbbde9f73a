// nnc playground: the generated-code view. The Java source nnc emits for the program, and its kernels,
// each with its role and the .nn line it comes from; a kernel's name shows its method and its line.
'use strict';
(() => {
  const nnc = window.NncPlayground;
  const $ = nnc.$;

  /** The view; GO_TO_LINE(line, column) shows a line of the .nn source. */
  nnc.createCodeView = (goToLine) => {
    const java = $('java');
    const kernels = $('kernels');
    let serial = 0;
    let open = false;

    function scrollToKernel(javaLines, name) {
      let at = javaLines.findIndex((l) => l.includes('void ' + name + '('));
      if (at < 0) return;
      while (at > 0 && /^\s*(\/\*\*|\*)/.test(javaLines[at - 1])) at--;
      const lineHeight = parseFloat(getComputedStyle(java).lineHeight) || 16;
      java.scrollTop = at * lineHeight;
    }

    function kernelItem(k, javaLines) {
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
        scrollToKernel(javaLines, k.name);
      });
      li.append(name, document.createTextNode(' ' + k.role + ' \u00B7 line ' + k.line));
      return li;
    }

    /** Shows the code of SOURCE; the first time at the first backward kernel, later where it was. */
    async function show(source) {
      open = true;
      const mine = ++serial;
      $('show-code').textContent = 'Refresh';
      const result = await nnc.api('/api/code', { source });
      if (mine !== serial) return;
      kernels.innerHTML = '';
      if (!result.ok || !result.json || typeof result.json.java !== 'string') {
        java.textContent = 'No code: ' + nnc.errorText(result);
        return;
      }
      const firstShow = java.textContent === '';
      const scrolled = java.scrollTop;
      java.textContent = result.json.java;
      const javaLines = result.json.java.split('\n');
      const list = result.json.kernels || [];
      const backward = list.find((k) => k.role === 'backward');
      if (firstShow && backward) scrollToKernel(javaLines, backward.name);
      else java.scrollTop = scrolled;
      for (const k of list) kernels.appendChild(kernelItem(k, javaLines));
    }

    return { show, isOpen: () => open };
  };
})();
