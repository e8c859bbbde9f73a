// nnc playground: pictures over the input plane. Heat maps of G×G bytes (decision boundary, neuron
// outputs) in TensorFlow Playground's colours (orange 0 / negative, blue 255 / positive), the data
// points, and the loss curves.
'use strict';
(() => {
  const nnc = window.NncPlayground;
  const NEG = [245, 147, 34];
  const MID = [232, 234, 235];
  const POS = [8, 119, 189];
  const MAX_LOSS_POINTS = 1000;

  const LUT = (() => {
    const lut = new Uint8ClampedArray(256 * 3);
    for (let v = 0; v < 256; v++) {
      const t = v / 255;
      const [a, b, u] = t < 0.5 ? [NEG, MID, t * 2] : [MID, POS, t * 2 - 1];
      for (let k = 0; k < 3; k++) lut[v * 3 + k] = Math.round(a[k] + (b[k] - a[k]) * u);
    }
    return lut;
  })();
  const scratch = document.createElement('canvas');

  nnc.NEG = NEG;
  nnc.POS = POS;

  /** The bytes of a base64 string. */
  nnc.decode = (base64) => {
    const bin = atob(base64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  };

  /** Paints G×G bytes (0..255, row 0 on top) onto CANVAS, stretched and smoothed. */
  nnc.paintGrid = (canvas, bytes, g) => {
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
  };

  /** Paints an input node: x1 grows left to right, x2 bottom to top. */
  nnc.paintInput = (canvas, k) => {
    const g = 50;
    const bytes = new Uint8Array(g * g);
    for (let r = 0; r < g; r++) {
      for (let c = 0; c < g; c++) bytes[r * g + c] = Math.round(255 * (k === 0 ? c / (g - 1) : 1 - r / (g - 1)));
    }
    nnc.paintGrid(canvas, bytes, g);
  };

  /** Draws DATA's training points (and its test points, outlined in black, when SHOW_TEST) on CANVAS. */
  nnc.drawPoints = (canvas, data, showTest) => {
    const ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!data) return;
    const r = data.range;
    const dot = (p, stroke) => {
      ctx.beginPath();
      ctx.arc((p[0] - r[0]) / (r[1] - r[0]) * canvas.width, (r[3] - p[1]) / (r[3] - r[2]) * canvas.height,
        2.5, 0, 2 * Math.PI);
      ctx.fillStyle = p[2] >= 0.5 ? 'rgb(' + POS + ')' : 'rgb(' + NEG + ')';
      ctx.fill();
      ctx.lineWidth = 0.6;
      ctx.strokeStyle = stroke;
      ctx.stroke();
    };
    for (const p of data.train) dot(p, '#fff');
    if (showTest) for (const p of data.test) dot(p, '#000');
  };

  /** A loss to 3 decimals, or a dash when there is none (no test split). */
  nnc.formatLoss = (v) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(3) : '\u2013');

  /** Training (grey) and test (black) loss by step on CANVAS; keeps at most 1000 points. */
  nnc.createLossChart = (canvas) => {
    let points = [];
    const finite = (v) => typeof v === 'number' && Number.isFinite(v);

    function draw() {
      const ctx = canvas.getContext('2d');
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (points.length < 2) return;
      const max = Math.max(...points.flatMap((p) => [p.train, p.test]).filter(finite), 1e-9);
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

    return {
      /** Adds FRAME's losses (a step back in time starts a new curve) and redraws. */
      add(frame) {
        const last = points[points.length - 1];
        if (last && last.step === frame.step) return;
        if (last && frame.step < last.step) points = [];
        points.push({ step: frame.step, train: frame.trainLoss, test: frame.testLoss });
        if (points.length > MAX_LOSS_POINTS) points = points.filter((_, i) => i % 2 === 0);
        draw();
      },
      clear() { points = []; draw(); },
    };
  };
})();
