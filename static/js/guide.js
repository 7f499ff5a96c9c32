/* The guided exercise (/today/guide/): each repetition paced with its tempo or hold, the sets
   counted, the rests timed, and a finished exercise recorded through the offline outbox.

   The timing is a small pure state machine (GuideMachine) that is told the time: the page
   drives it from performance.now() on a short interval, so a test can drive it with a fake
   clock, and a phone that was slow to run the interval catches up instead of drifting. */
(function (global) {
  'use strict';

  /* --- the state machine ---------------------------------------------------------------------

     plan: {mode: "tempo" | "hold" | "free", sets, reps, up, hold, down, relax, rest, ready}
     (seconds; rest null = untimed, the patient starts the next set). Phases, per set:
       ready -> (tempo) up, hold, down for each repetition
             -> (hold)  hold, relax between holds
             -> (free)  work, ended by skip()
       then rest (not after the last set) and the next set's ready; after the last set, done.
     A phase of 0 s is left out. Times are milliseconds from any monotonic clock. */
  function GuideMachine(plan) {
    this.plan = plan;
    this.sets = Math.max(1, plan.sets || 1);
    this.reps = Math.max(1, plan.reps || 1);
    this.phase = 'idle';
    this.set = 0;
    this.rep = 0;
    this.started = 0;   // when the current phase started (moved on by pauses)
    this.duration = 0;  // of the current phase in ms; null when it waits for skip()
    this.pausedAt = null;
  }

  GuideMachine.prototype.repPhases = function () {
    var plan = this.plan;
    if (plan.mode === 'tempo') {
      return ['up', 'hold', 'down'].filter(function (name) { return plan[name] > 0; });
    }
    if (plan.mode === 'hold') return ['hold'];
    return ['work'];
  };

  GuideMachine.prototype.seconds = function (phase) {
    var plan = this.plan;
    if (phase === 'ready') return plan.ready || 0;
    if (phase === 'relax') return plan.relax || 0;
    if (phase === 'rest') return plan.rest == null ? null : plan.rest;
    if (phase === 'work') return null;
    return plan[phase] || 0;
  };

  GuideMachine.prototype.enter = function (phase, at, events) {
    var seconds = this.seconds(phase);
    this.phase = phase;
    this.started = at;
    this.duration = seconds == null ? null : seconds * 1000;
    events.push({phase: phase, set: this.set, rep: this.rep});
  };

  /* The phase after the current one. */
  GuideMachine.prototype.advance = function (at, events) {
    var phases = this.repPhases();
    var index = phases.indexOf(this.phase);
    if (this.phase === 'ready') {
      this.rep = 1;
      this.enter(phases[0], at, events);
    } else if (index !== -1 && index < phases.length - 1) {
      this.enter(phases[index + 1], at, events);
    } else if (index !== -1 && this.rep < this.reps && this.plan.mode === 'hold' && this.plan.relax) {
      this.enter('relax', at, events);
    } else if ((index !== -1 || this.phase === 'relax') && this.rep < this.reps && this.plan.mode !== 'free') {
      this.rep += 1;
      this.enter(phases[0], at, events);
    } else if (this.phase === 'rest') {
      this.set += 1;
      this.rep = 0;
      this.enter('ready', at, events);
    } else if (this.set < this.sets) {
      this.rep = 0;
      this.enter('rest', at, events);
    } else {
      this.phase = 'done';
      this.duration = null;
      events.push({phase: 'done', set: this.set, rep: this.rep});
    }
  };

  GuideMachine.prototype.start = function (at) {
    var events = [];
    this.set = 1;
    this.rep = 0;
    this.pausedAt = null;
    this.enter('ready', at, events);
    if (!this.duration) this.advance(at, events);
    return events;
  };

  /* Move time on to `at`: every phase that ended meanwhile, in order. */
  GuideMachine.prototype.tick = function (at) {
    var events = [];
    if (this.pausedAt != null) return events;
    while (this.phase !== 'idle' && this.phase !== 'done' && this.duration != null &&
           at - this.started >= this.duration) {
      var end = this.started + this.duration;
      this.advance(end, events);
    }
    return events;
  };

  /* End the current phase now: skip the rest, end a free set, start the next set after an
     untimed rest. Not while paused. */
  GuideMachine.prototype.skip = function (at) {
    var events = this.tick(at);
    if (this.pausedAt != null || this.phase === 'idle' || this.phase === 'done') return events;
    this.advance(at, events);
    return events.concat(this.tick(at));
  };

  GuideMachine.prototype.pause = function (at) {
    if (this.pausedAt != null || this.phase === 'idle' || this.phase === 'done') return [];
    var events = this.tick(at);
    if (this.phase !== 'done') this.pausedAt = at;
    return events;
  };

  GuideMachine.prototype.resume = function (at) {
    if (this.pausedAt == null) return [];
    this.started += at - this.pausedAt;
    this.pausedAt = null;
    return this.tick(at);
  };

  GuideMachine.prototype.now = function (at) {
    var now = this.pausedAt != null ? this.pausedAt : at;
    var elapsed = Math.max(0, now - this.started);
    return {
      phase: this.phase,
      set: this.set,
      sets: this.sets,
      rep: this.rep,
      reps: this.reps,
      paused: this.pausedAt != null,
      elapsed: elapsed,
      duration: this.duration,
      remaining: this.duration == null ? null : Math.max(0, this.duration - elapsed)
    };
  };

  global.GuideMachine = GuideMachine;

  /* --- the page ------------------------------------------------------------------------------ */
  var app = global.haelapp;
  var outbox = global.haelappOutbox;
  var root = document.getElementById('guide');
  if (!root || !app || !outbox) return;

  var exercises = JSON.parse(document.getElementById('guide-exercises').textContent);
  var T = JSON.parse(document.getElementById('guide-texts').textContent);
  var user = app.user();
  var today = app.localDate(0);
  var SOUND_KEY = 'haelapp.guide.sound';
  var TICK_MS = 100;

  var el = function (id) { return document.getElementById(id); };
  var screens = ['intro', 'run', 'done', 'final'];
  var live = el('guide-live');
  var soundButton = el('guide-sound');
  var pauseButton = el('guide-pause');

  var serverDone = {};   // item id -> sessions done today, from the API
  var waiting = {};      // outbox key -> record not yet sent
  var recordedHere = {}; // item id -> sessions this page recorded
  var queue = [];        // the exercises of this round, in order
  var position = -1;
  var current = null;    // the exercise on screen
  var machine = null;
  var interval = null;
  var shownSecond = null;
  var shownClock = '';
  var wakeLock = null;
  var wantLock = false;

  function format(text, params) { return app.format(text, params); }
  function clockText(ms) {
    var total = Math.ceil(ms / 1000);
    var minutes = Math.floor(total / 60);
    var seconds = total % 60;
    return minutes + ':' + (seconds < 10 ? '0' : '') + seconds;
  }
  function durationText(seconds) {
    if (seconds >= 60 && seconds % 60 === 0) return format(T.minutes, {n: seconds / 60});
    if (seconds > 60) return clockText(seconds * 1000);
    return format(T.seconds, {n: seconds});
  }

  /* --- what is done today (the API plus the outbox), and which session comes next ---------- */
  function doneKey(item, session) { return 'done:' + today + ':' + item + ':' + session; }
  function sessionsDone(exercise) {
    var done = {};
    (serverDone[exercise.id] || []).forEach(function (n) { done[n] = true; });
    (recordedHere[exercise.id] || []).forEach(function (n) { done[n] = true; });
    for (var n = 1; n <= exercise.sessions; n++) {
      var pending = waiting[doneKey(exercise.id, n)] ||
        (n === 1 ? waiting['done:' + today + ':' + exercise.id] : undefined);
      if (pending) done[n] = pending.kind === 'done';
    }
    return done;
  }
  function nextSession(exercise) {
    var done = sessionsDone(exercise);
    for (var n = 1; n <= exercise.sessions; n++) if (!done[n]) return n;
    return null;
  }

  function readOutbox() {
    return outbox.pending(user).then(function (records) {
      waiting = {};
      records.forEach(function (record) { waiting[record.key] = record; });
    }, function () { waiting = {}; });
  }
  function readServer() {
    return app.api('GET', '/api/v1/programme/').then(function (result) {
      if (!result.ok || !result.data || !Array.isArray(result.data.items)) return;
      result.data.items.forEach(function (item) {
        serverDone[item.id] = Array.isArray(item.sessions_done) ? item.sessions_done : [];
      });
    });
  }

  /* --- sound, vibration, wake lock ------------------------------------------------------------ */
  var audio = null;
  function soundOn() {
    try { return global.localStorage.getItem(SOUND_KEY) !== 'off'; } catch (e) { return true; }
  }
  function renderSound() { soundButton.setAttribute('aria-pressed', String(soundOn())); }
  function unlockAudio() {
    // Created on a tap: browsers keep audio silent until the page was used.
    var Context = global.AudioContext || global.webkitAudioContext;
    if (!audio && Context) {
      try { audio = new Context(); } catch (e) { audio = null; }
    }
    if (audio && audio.state === 'suspended' && audio.resume) audio.resume().catch(function () {});
  }
  function beep(frequency, ms, delay) {
    if (!soundOn() || !audio) return;
    var start = audio.currentTime + (delay || 0) / 1000;
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.25, start + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + ms / 1000);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + ms / 1000 + 0.02);
  }
  function vibrate(pattern) {
    if (navigator.vibrate) {
      try { navigator.vibrate(pattern); } catch (e) { /* not on this device */ }
    }
  }
  var CUES = {
    ready: [440, 120], up: [880, 120], hold: [660, 120], down: [520, 120], relax: [440, 120],
    work: [660, 160], rest: [330, 200]
  };
  function cue(phase) {
    if (phase === 'done') {
      beep(660, 120); beep(880, 120, 160); beep(1100, 200, 320);
      vibrate([80, 60, 80, 60, 160]);
      return;
    }
    var sound = CUES[phase];
    if (sound) beep(sound[0], sound[1]);
    vibrate(phase === 'rest' ? [120, 80, 120] : 60);
  }

  function lockScreen() {
    wantLock = true;
    if (wakeLock || !navigator.wakeLock || !navigator.wakeLock.request) return;
    navigator.wakeLock.request('screen').then(function (lock) {
      if (!wantLock) { lock.release().catch(function () {}); return; }
      wakeLock = lock;
      lock.addEventListener('release', function () { if (wakeLock === lock) wakeLock = null; });
    }, function () { /* refused (battery saver, hidden page): the guide works without */ });
  }
  function unlockScreen() {
    wantLock = false;
    if (wakeLock) { wakeLock.release().catch(function () {}); wakeLock = null; }
  }

  /* --- screens --------------------------------------------------------------------------------- */
  function show(name, focus) {
    el('guide-loading').hidden = true;
    screens.forEach(function (screen) { el('guide-' + screen).hidden = screen !== name; });
    root.dataset.screen = name;
    if (focus) focus.focus();
  }
  function announce(text) {
    // A new node each time, so the same words (say "Hold") are read again.
    live.textContent = '';
    var line = document.createElement('span');
    line.textContent = text;
    live.appendChild(line);
  }

  function fillExercise(section, exercise) {
    section.querySelector('.guide-name').textContent = exercise.name;
    section.querySelectorAll('.guide-illustration').forEach(function (img) {
      img.hidden = !exercise.illustration;
      if (exercise.illustration) img.src = exercise.illustration;
    });
    section.querySelectorAll('.guide-steps').forEach(function (list) {
      list.textContent = '';
      exercise.steps.forEach(function (step) {
        var li = document.createElement('li');
        li.textContent = step;
        list.appendChild(li);
      });
    });
  }

  function showIntro() {
    current = queue[position];
    var section = el('guide-intro');
    fillExercise(section, current);
    var lines = el('guide-lines');
    lines.textContent = '';
    current.lines.forEach(function (line) {
      var li = document.createElement('li');
      li.textContent = line;
      lines.appendChild(li);
    });
    var stopIf = section.querySelector('.guide-stop-if');
    stopIf.hidden = !current.stop_if;
    section.querySelector('.guide-stop-text').textContent = current.stop_if || '';
    var session = el('guide-session');
    var next = nextSession(current);
    if (next == null) session.textContent = T.allSessionsDone;
    else if (current.sessions > 1) session.textContent = format(T.sessionOf, {n: next, total: current.sessions});
    else session.textContent = '';
    session.hidden = !session.textContent;
    el('guide-count').textContent = queue.length > 1 ? format(T.exerciseOf, {n: position + 1, total: queue.length}) : '';
    root.dataset.item = current.id;
    show('intro', el('guide-intro-name'));
  }

  function goTo(index) {
    position = index;
    if (position >= queue.length) showFinal();
    else showIntro();
  }

  function showFinal() {
    stopLoop();
    unlockScreen();
    var all = exercises.filter(function (e) { return e.due; }).every(function (e) { return nextSession(e) == null; });
    el('guide-final-all').hidden = !all;
    el('guide-final-some').hidden = all;
    el('guide-count').textContent = '';
    show('final', el('guide-final-title'));
  }

  /* --- running an exercise ------------------------------------------------------------------ */
  function startLoop() {
    if (!interval) interval = setInterval(loop, TICK_MS);
  }
  function stopLoop() {
    if (interval) clearInterval(interval);
    interval = null;
  }

  function start() {
    unlockAudio();
    lockScreen();
    machine = new GuideMachine(current);
    shownSecond = null;
    fillExercise(el('guide-run'), current);
    el('guide-paused').hidden = true;
    pauseButton.textContent = T.pause;
    show('run', pauseButton);
    handle(machine.start(performance.now()));
    startLoop();
  }

  function loop() {
    if (!machine) return;
    handle(machine.tick(performance.now()));
  }

  /* Phase changes: cue and announce the last one (a catch-up after a slow tick may bring
     several), then draw. */
  function handle(events) {
    var last = events[events.length - 1];
    if (last) {
      cue(last.phase);
      announce(describe(last));
      if (last.phase === 'done') {
        finishExercise();
        return;
      }
    }
    render();
  }

  function describe(event) {
    var plan = machine.plan;
    var setLine = format(T.setOf, {n: event.set, total: machine.sets});
    if (event.phase === 'ready') return setLine + '. ' + T.ready + '.';
    if (event.phase === 'rest') {
      return plan.rest ? format(T.restFor, {time: durationText(plan.rest)}) : T.restFree;
    }
    if (event.phase === 'work') return setLine + '. ' + format(T.freeReps, {reps: machine.reps});
    if (event.phase === 'done') return format(T.exerciseDone, {name: current.name});
    var first = machine.repPhases()[0] === event.phase;
    var word = T[event.phase] + '.';
    return first ? format(T.repOf, {n: event.rep, total: machine.reps}) + '. ' + word : word;
  }

  function render() {
    var state = machine.now(performance.now());
    var phase = state.phase;
    var seconds = state.duration == null ? null : state.duration / 1000;
    var clock = '';
    var repLine = '';
    if (phase === 'rest') {
      clock = state.remaining == null ? '' : clockText(state.remaining);
      repLine = state.remaining == null ? T.restFree : format(T.nextSet, {n: state.set + 1, total: state.sets});
    } else if (phase === 'ready') {
      clock = String(Math.ceil(state.remaining / 1000));
    } else if (phase === 'work') {
      repLine = format(T.freeReps, {reps: state.reps});
    } else {
      if (seconds <= 5 && phase !== 'relax') {
        // Short tempo phases count up, as one says it: "Up 1-2-3".
        var count = Math.min(Math.floor(state.elapsed / 1000) + 1, seconds);
        var numbers = [];
        for (var i = 1; i <= count; i++) numbers.push(i);
        clock = numbers.join('-');
      } else {
        clock = String(Math.ceil(state.remaining / 1000));
      }
      repLine = format(T.repOf, {n: state.rep, total: state.reps});
    }
    el('guide-set').textContent = format(T.setOf, {n: state.set, total: state.sets});
    el('guide-phase').textContent = T[phase] || '';
    if (clock !== shownClock) {
      el('guide-clock').textContent = clock;
      shownClock = clock;
    }
    el('guide-rep').textContent = repLine;
    root.dataset.phase = phase;
    root.dataset.set = state.set;
    root.dataset.rep = state.rep;
    root.dataset.paused = state.paused ? '1' : '0';
    el('guide-meter').dataset.phase = phase;
    el('guide-set-done').hidden = phase !== 'work';
    el('guide-skip-rest').hidden = !(phase === 'rest' && state.remaining != null);
    var nextSet = el('guide-next-set');
    nextSet.hidden = !(phase === 'rest' && state.remaining == null);
    nextSet.textContent = format(T.startSet, {n: state.set + 1});
    restCues(state);
  }

  /* The end of a timed rest or the get-ready count: a tick on each of the last 3 seconds,
     and a spoken reminder a minute and ten seconds before a rest ends. */
  function restCues(state) {
    if ((state.phase !== 'rest' && state.phase !== 'ready') || state.remaining == null || state.paused) {
      shownSecond = null;
      return;
    }
    var second = Math.ceil(state.remaining / 1000);
    if (second === shownSecond) return;
    var first = shownSecond == null;
    shownSecond = second;
    if (first) return;
    if (second <= 3 && second >= 1) beep(990, 60);
    if (state.phase === 'rest' && (second === 60 || second === 10) && machine.plan.rest > second) {
      announce(format(T.restLeft, {time: clockText(second * 1000)}));
    }
  }

  function togglePause() {
    if (!machine || root.dataset.screen !== 'run') return;
    var at = performance.now();
    if (machine.now(at).paused) {
      unlockAudio();
      lockScreen();
      el('guide-paused').hidden = true;
      pauseButton.textContent = T.pause;
      announce(T.resumed);
      handle(machine.resume(at));
      startLoop();
    } else {
      pause(at);
    }
  }

  function pause(at) {
    if (!machine || machine.now(at).paused || machine.phase === 'done' || machine.phase === 'idle') return;
    handle(machine.pause(at));
    if (!machine || machine.phase === 'done') return;
    stopLoop();
    pauseButton.textContent = T.resume;
    el('guide-paused').hidden = false;
    announce(T.pausedHelp);
    render();
  }

  function stop() {
    stopLoop();
    machine = null;
    delete root.dataset.phase;
    showIntro();
    announce(T.stopped);
  }

  /* --- recording ------------------------------------------------------------------------------ */
  function finishExercise() {
    stopLoop();
    var exercise = current;
    var sets = machine.sets;
    machine = null;
    delete root.dataset.phase;
    el('guide-done-title').textContent = format(T.exerciseDone, {name: exercise.name});
    var saved = el('guide-saved');
    saved.textContent = '';
    var following = queue[position + 1];
    var next = el('guide-next');
    next.textContent = following ? format(T.nextExercise, {name: following.name}) : T.finish;
    show('done', el('guide-done-title'));
    record(exercise, sets).then(function (text) {
      saved.textContent = text;
      root.dataset.recorded = String(exercise.id);
    });
  }

  function record(exercise, sets) {
    var session = nextSession(exercise);
    if (session == null) return Promise.resolve(T.notRecordedAgain);
    recordedHere[exercise.id] = (recordedHere[exercise.id] || []).concat([session]);
    var url = '/api/v1/completions/' + today + '/' + exercise.id + '/';
    var many = exercise.sessions > 1;
    var entry = {
      key: doneKey(exercise.id, session),
      user: user,
      kind: 'done',
      date: today,
      item: String(exercise.id),
      session: session,
      name: many ? exercise.name + ' (' + session + '/' + exercise.sessions + ')' : exercise.name,
      method: 'PUT',
      url: url,
      body: {sets_done: sets, session: session, recorded_at: new Date().toISOString()}
    };
    var saved = many ? format(T.recordedSession, {n: session, total: exercise.sessions}) : T.recorded;
    return outbox.put(entry).then(function () {
      return app.flush();
    }).then(function () {
      return readOutbox();
    }).then(function () {
      return waiting[entry.key] ? saved + ' ' + app.t('savedOffline') : saved;
    }, function () {
      return app.t('error');
    });
  }

  /* --- events ---------------------------------------------------------------------------------- */
  el('guide-start').addEventListener('click', start);
  el('guide-skip').addEventListener('click', function () { goTo(position + 1); });
  el('guide-next').addEventListener('click', function () { goTo(position + 1); });
  pauseButton.addEventListener('click', togglePause);
  el('guide-stop').addEventListener('click', stop);
  function skip() {
    if (!machine) return;
    el('guide-paused').hidden = true;
    pauseButton.textContent = T.pause;
    handle(machine.skip(performance.now()));
    // The button pressed is now hidden: keep the keyboard on the page's controls.
    if (root.dataset.screen === 'run' && document.activeElement && document.activeElement.hidden) pauseButton.focus();
    else if (root.dataset.screen === 'run' && document.activeElement === document.body) pauseButton.focus();
  }
  el('guide-skip-rest').addEventListener('click', skip);
  el('guide-next-set').addEventListener('click', skip);
  el('guide-set-done').addEventListener('click', skip);
  soundButton.addEventListener('click', function () {
    var on = !soundOn();
    try { global.localStorage.setItem(SOUND_KEY, on ? 'on' : 'off'); } catch (e) { /* private mode */ }
    renderSound();
    if (on) { unlockAudio(); beep(660, 100); }
  });

  /* Space pauses and resumes while an exercise runs, unless focus is on a control that
     Space itself works (a button, a link, the "how to" summary). */
  document.addEventListener('keydown', function (event) {
    if (event.key !== ' ' && event.code !== 'Space') return;
    if (root.dataset.screen !== 'run' || event.repeat) return;
    var target = event.target;
    if (target && target.closest && target.closest('button, a, input, textarea, select, summary')) return;
    event.preventDefault();
    togglePause();
  });

  /* A phone call or another app: pause, and say so when the page is seen again. Keep the
     screen awake again when the page comes back (the browser lets go of the lock). */
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      pause(performance.now());
    } else if (wantLock) {
      lockScreen();
      if (machine && machine.now(performance.now()).paused) pauseButton.focus();
    }
  });
  global.addEventListener('pagehide', unlockScreen);

  /* --- start -------------------------------------------------------------------------------- */
  renderSound();

  function chooseRound() {
    // From the address, not the page: offline, the page kept without ?item= stands in.
    var start = Number(new URLSearchParams(global.location.search).get('item')) || null;
    var first = start ? exercises.filter(function (e) { return e.id === start; }) : [];
    var rest = exercises.filter(function (e) {
      return e.due && e.id !== start && nextSession(e) != null;
    });
    queue = first.concat(rest);
    if (!queue.length) showFinal();
    else goTo(0);
  }

  var chosen = false;
  function choose() {
    if (chosen) return;
    chosen = true;
    chooseRound();
    document.body.dataset.ready = '1';
  }

  readOutbox().then(function () {
    // What the server has decides where to start; offline the outbox alone does. Do not keep
    // someone waiting for a slow network.
    var slow = setTimeout(choose, 4000);
    return readServer().then(function () {
      clearTimeout(slow);
      choose();
      root.dataset.loaded = '1';
    });
  });
})(window);
