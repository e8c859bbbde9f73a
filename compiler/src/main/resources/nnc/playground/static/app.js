// nnc playground: the page's main script. One program, two views: the editor's text is checked as
// it is typed (/api/check, debounced, stale answers dropped by sequence number) and its PROGRAM sets
// the controls; the controls edit the PROGRAM and /api/render writes it back as text. Each program
// that checks becomes this page's run (/api/run), driven by play/pause/step/reset and drawn from its
// events stream.
'use strict';
(() => {
  const nnc = window.NncPlayground;
  const $ = nnc.$;
  const PAGE = nnc.randomId();
  const CHECK_DELAY_MS = 250;
  const MAX_LAYERS = 6;
  const MAX_NEURONS = 8;
  const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.5, 1, 3, 10];
  const REG_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
  const PLAY_ICON = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M8 5l11 7-11 7z" fill="currentColor"/></svg>';
  const PAUSE_ICON = '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M7 5h4v14H7z M13 5h4v14h-4z" fill="currentColor"/></svg>';

  /** What the page has checked and is running, for tests and debugging. */
  const hooks = { checkedSource: null, checkedOk: false, runSource: null };
  window.nncPlayground = hooks;

  const state = {
    program: null,
    seq: 0,
    checkTimer: 0,
    run: null,
    runSerial: 0,
    events: null,
    playing: false,
    frame: null,
    drawScheduled: false,
    data: null,
  };

  const editor = nnc.createEditor(() => scheduleCheck(CHECK_DELAY_MS));
  const network = nnc.createNetwork(changeNeurons);
  const losses = nnc.createLossChart($('loss-chart'));
  const code = nnc.createCodeView(editor.goToLine);

  // ---------------------------------------------------------------- checking
  function scheduleCheck(delay) {
    clearTimeout(state.checkTimer);
    state.checkTimer = setTimeout(check, delay);
  }

  /** Checks the current text; answers to older requests than the newest are dropped. */
  async function check() {
    const seq = ++state.seq;
    const text = editor.text();
    const result = await nnc.api('/api/check', { source: text, seq });
    const answered = result.json && typeof result.json.seq === 'number' ? result.json.seq : seq;
    if (answered !== state.seq || seq !== state.seq) return;
    if (!result.ok || !result.json) {
      nnc.status('check failed: ' + nnc.errorText(result), 'error');
      return;
    }
    const answer = result.json;
    editor.setDiagnostics(answer.diagnostics || []);
    applyProgram(answer.program || null, answer.why || null);
    document.body.dataset.checked = String(seq);
    hooks.checkedSource = text;
    hooks.checkedOk = answer.ok;
    if (answer.ok) {
      startRun(text);
      if (code.isOpen()) code.show(text);
    } else {
      const n = editor.diagnostics().length;
      nnc.status(n + ' problem' + (n === 1 ? '' : 's') + ' in the program', 'error');
    }
  }

  async function setSource(text) {
    editor.setText(text);
    clearTimeout(state.checkTimer);
    await check();
  }

  // ---------------------------------------------------------------- controls <-> program
  const controlIds = ['test-fraction', 'noise', 'batch', 'add-layer', 'remove-layer', 'activation', 'lr',
    'optimizer', 'regularization', 'reg-rate'];

  function addOption(select, v) {
    const option = document.createElement('option');
    option.value = String(v);
    option.textContent = String(v);
    select.appendChild(option);
  }

  /** Selects V in a select of numbers, adding it in order when it is not one of them. */
  function selectNumber(select, v) {
    let found = Array.from(select.options).find((o) => Number(o.value) === v);
    if (!found) {
      addOption(select, v);
      Array.from(select.options).sort((a, b) => Number(a.value) - Number(b.value)).forEach((o) => select.appendChild(o));
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
    for (const b of document.querySelectorAll('.dataset')) b.disabled = disabled;
    const whyEl = $('controls-why');
    whyEl.hidden = !disabled;
    whyEl.textContent = disabled ? 'The controls are off: ' + (why || 'the program is not in the playground\'s form') : '';
    $('controls').classList.toggle('off', disabled);
    if (program) {
      for (const b of document.querySelectorAll('.dataset')) {
        b.setAttribute('aria-checked', String(b.dataset.dataset === program.dataset));
      }
      setRange('test-fraction', program.testFraction, Math.round(program.testFraction * 100) + '%');
      setRange('noise', program.noise, String(program.noise));
      setRange('batch', program.batch, String(program.batch));
      $('layer-count').textContent = String(program.hidden.length);
      $('add-layer').disabled = program.hidden.length >= MAX_LAYERS;
      $('remove-layer').disabled = program.hidden.length === 0;
      $('activation').value = program.activation;
      selectNumber($('lr'), program.lr);
      $('optimizer').value = program.optimizer;
      $('regularization').value = program.regularization;
      selectNumber($('reg-rate'), program.regRate);
      $('reg-rate').disabled = program.regularization === 'none';
      network.show([2, ...program.hidden, 1]);
    }
    network.enableButtons(program);
  }

  /** Applies CHANGE to the program through /api/render, then shows and checks the new text. */
  async function editProgram(change) {
    if (!state.program) return;
    const program = structuredClone(state.program);
    change(program);
    const result = await nnc.api('/api/render', { program });
    if (!result.ok || !result.json || typeof result.json.source !== 'string') {
      nnc.status('render failed: ' + nnc.errorText(result), 'error');
      applyProgram(state.program, null);
      return;
    }
    await setSource(result.json.source);
  }

  function changeNeurons(layer, delta) {
    editProgram((p) => {
      const n = p.hidden[layer] + delta;
      if (n >= 1 && n <= MAX_NEURONS) p.hidden[layer] = n;
    });
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
    if (p.hidden.length < MAX_LAYERS) p.hidden.push(p.hidden.length ? p.hidden[p.hidden.length - 1] : 4);
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
    nnc.status('compiling\u2026');
    const result = await nnc.api('/api/run', { source: text, page: PAGE });
    if (serial !== state.runSerial) return;
    if (!result.ok || !result.json || !result.json.run) {
      nnc.status('cannot run: ' + nnc.errorText(result), 'error');
      return;
    }
    if (state.events) state.events.close();
    state.run = { id: result.json.run, source: text };
    document.body.dataset.run = state.run.id;
    state.frame = null;
    state.data = null;
    losses.clear();
    network.show(result.json.layers, true);
    network.enableButtons(state.program);
    openEvents(state.run.id);
    const data = await nnc.api('/api/run/' + encodeURIComponent(state.run.id) + '/data');
    if (serial !== state.runSerial) return;
    if (data.ok && data.json) state.data = data.json;
    drawPoints();
    nnc.status('ready');
    hooks.runSource = text;
    setPlaying(false);
    if (wasPlaying) command('play');
  }

  function openEvents(id) {
    const events = nnc.events(id);
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
      nnc.status(message, 'error');
      setPlaying(false);
    });
    events.addEventListener('error', () => {
      if (state.events === events && events.readyState === EventSource.CLOSED) {
        nnc.status('the playground server closed the stream', 'error');
        setPlaying(false);
      }
    });
  }

  async function command(name) {
    if (!state.run) {
      nnc.status(editor.diagnostics().length ? 'fix the program first' : 'no run yet', 'error');
      return;
    }
    const id = state.run.id;
    const result = await nnc.api('/api/run/' + encodeURIComponent(id) + '/' + name, {});
    if (!state.run || state.run.id !== id) return;
    if (!result.ok || !result.json) {
      nnc.status(name + ' failed: ' + nnc.errorText(result), 'error');
      return;
    }
    setPlaying(result.json.state === 'playing');
    $('epoch').textContent = String(result.json.epoch);
    if (name === 'reset') losses.clear();
    nnc.status(result.json.state === 'playing' ? 'training' : 'paused');
  }

  /** Shows a loss to 3 decimals, with its full value in data-value for tests (none when absent). */
  function showLoss(el, v) {
    el.textContent = nnc.formatLoss(v);
    if (typeof v === 'number' && Number.isFinite(v)) el.dataset.value = String(v);
    else delete el.dataset.value;
  }

  /** Draws the newest frame (frames that arrive between two animation frames are skipped). */
  function drawFrame() {
    state.drawScheduled = false;
    const f = state.frame;
    if (!f) return;
    $('epoch').textContent = String(f.epoch);
    showLoss($('test-loss'), f.testLoss);
    showLoss($('train-loss'), f.trainLoss);
    if ((f.state === 'playing') !== state.playing) setPlaying(f.state === 'playing');
    losses.add(f);
    nnc.paintGrid($('boundary'), nnc.decode(f.boundary), f.grid || 50);
    $('boundary').dataset.step = String(f.step);
    network.paint(f);
  }

  function drawPoints() {
    nnc.drawPoints($('points'), state.data, $('show-test').checked);
  }

  $('play').addEventListener('click', () => command(state.playing ? 'pause' : 'play'));
  $('step').addEventListener('click', () => command('step'));
  $('reset').addEventListener('click', () => command('reset'));
  $('show-test').addEventListener('change', drawPoints);
  $('show-code').addEventListener('click', () => code.show(editor.text()));
  window.addEventListener('pagehide', () => { if (state.events) state.events.close(); });

  // ---------------------------------------------------------------- start
  for (const v of LEARNING_RATES) addOption($('lr'), v);
  for (const v of REG_RATES) addOption($('reg-rate'), v);
  applyProgram(null, 'waiting for the first check');
  setPlaying(false);

  (async () => {
    const initial = await nnc.api('/api/initial');
    if (!initial.ok || !initial.json || typeof initial.json.source !== 'string') {
      nnc.status('cannot load the program: ' + nnc.errorText(initial), 'error');
      return;
    }
    $('filename').textContent = initial.json.name || '';
    await setSource(initial.json.source);
  })();
})();
