// nnc playground: the drawing of the network, as in TensorFlow Playground. Columns of small heat
// maps (inputs, each hidden neuron, the output) joined by SVG edges whose colour is the weight's sign
// and whose width its size; each hidden layer has +/− buttons for its neurons.
'use strict';
(() => {
  const nnc = window.NncPlayground;
  const $ = nnc.$;
  const NODE = 40;
  const SVG_NS = 'http://www.w3.org/2000/svg';
  const MAX_NEURONS = 8;

  /** The drawing; ON_NEURONS(layer, delta) is called by a layer's +/− buttons. */
  nnc.createNetwork = (onNeurons) => {
    const view = $('network');
    const svg = $('network-svg');
    let layers = null;

    function edge(l, i, j, columnX, nodeY) {
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
      return path;
    }

    function node(l, j, columnX, nodeY) {
      const canvas = document.createElement('canvas');
      canvas.width = NODE;
      canvas.height = NODE;
      canvas.className = 'node';
      const last = l === layers.length - 1;
      canvas.dataset.node = l === 0 ? 'x' + j : last ? (j === 0 ? 'output' : 'output-' + j) : 'h' + (l - 1) + '-' + j;
      canvas.dataset.testid = 'node-' + canvas.dataset.node;
      canvas.title = l === 0 ? 'x' + (j + 1) : last ? 'output' : 'layer ' + l + ', neuron ' + (j + 1);
      canvas.style.left = columnX(l) + 'px';
      canvas.style.top = nodeY(l, j) + 'px';
      if (l === 0) nnc.paintInput(canvas, j);
      return canvas;
    }

    function neuronControls(layer, n) {
      const box = document.createElement('div');
      for (const [delta, sign] of [[1, '+'], [-1, '\u2212']]) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'neuron-button';
        b.textContent = sign;
        b.dataset.layer = String(layer);
        b.dataset.delta = String(delta);
        b.id = 'layer-' + layer + (delta > 0 ? '-plus' : '-minus');
        b.dataset.testid = b.id;
        b.setAttribute('aria-label', (delta > 0 ? 'Add a neuron to' : 'Remove a neuron from') + ' hidden layer ' + (layer + 1));
        b.addEventListener('click', () => onNeurons(layer, delta));
        box.appendChild(b);
      }
      const label = document.createElement('div');
      label.className = 'neuron-count';
      label.textContent = n + (n === 1 ? ' neuron' : ' neurons');
      box.appendChild(label);
      return box;
    }

    /** Lays out LAYERS ([inputs, hidden..., outputs]) afresh. */
    function build(newLayers) {
      layers = newLayers;
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
      for (let l = 0; l + 1 < layers.length; l++) {
        for (let i = 0; i < layers[l]; i++) {
          for (let j = 0; j < layers[l + 1]; j++) svg.appendChild(edge(l, i, j, columnX, nodeY));
        }
      }
      layers.forEach((n, l) => {
        for (let j = 0; j < n; j++) view.appendChild(node(l, j, columnX, nodeY));
        const head = document.createElement('div');
        head.className = 'layer-head';
        head.style.left = (columnX(l) + NODE / 2) + 'px';
        if (l === 0) head.textContent = 'input';
        else if (l === layers.length - 1) head.textContent = 'output';
        else head.appendChild(neuronControls(l - 1, n));
        view.appendChild(head);
      });
    }

    /** Enables each +/− button when PROGRAM (null: none) lets its layer grow or shrink. */
    function enableButtons(program) {
      for (const b of document.querySelectorAll('.neuron-button')) {
        const layer = Number(b.dataset.layer);
        const n = program && layer < program.hidden.length ? program.hidden[layer] : 0;
        b.disabled = !program || layer >= program.hidden.length
          || (Number(b.dataset.delta) > 0 ? n >= MAX_NEURONS : n <= 1);
      }
    }

    /** Paints FRAME: the output node, each hidden neuron's map and each edge's weight. */
    function paint(frame) {
      const g = frame.grid || 50;
      const output = view.querySelector('[data-node="output"]');
      if (output) nnc.paintGrid(output, nnc.decode(frame.boundary), g);
      (frame.neurons || []).forEach((layer, l) => layer.forEach((b64, j) => {
        const canvas = view.querySelector('[data-node="h' + l + '-' + j + '"]');
        if (canvas) nnc.paintGrid(canvas, nnc.decode(b64), g);
      }));
      const weights = frame.weights || [];
      let max = 0;
      for (const m of weights) for (const row of m) for (const w of row) max = Math.max(max, Math.abs(w));
      const scale = max > 0 ? 6 / max : 0;
      weights.forEach((m, l) => m.forEach((row, i) => row.forEach((w, j) => {
        const path = document.getElementById('edge-' + l + '-' + i + '-' + j);
        if (!path) return;
        path.style.stroke = w >= 0 ? 'rgb(' + nnc.POS + ')' : 'rgb(' + nnc.NEG + ')';
        path.style.strokeWidth = Math.max(0.5, Math.abs(w) * scale).toFixed(2);
        path.dataset.weight = String(w);
      })));
    }

    return {
      /** Rebuilds the drawing when LAYERS differ from the drawn ones (or always, when FORCE). */
      show(newLayers, force) {
        if (force || !layers || layers.join() !== newLayers.join()) build(newLayers);
      },
      enableButtons,
      paint,
    };
  };
})();
