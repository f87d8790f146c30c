// The accessible view: a DOM copy of what the canvas shows, for screen
// readers and for keyboard users of the page. Hidden until something in it
// has the keyboard focus (Tab from the start of the page), then shown as a
// panel over the canvas.
//
// Built from the app's mirror (web/model/mirror.hpp, delivered by host.js):
// the lesson's text, both sides' states, every change of state announced
// through a live region (role=log), the questions with real buttons and
// inputs, and the playback controls; web/page/a11y-sim.js adds the segments,
// the timers, both applications' calls, the faults and the knobs. Every
// control sends the command the canvas's own widget sends
// (window.finwave.command, web/model/controller.cpp), so an answer here
// scores exactly as a click there. docs/accessibility.md maps each panel of
// the canvas to its part here.
(function () {
  'use strict';

  var root = document.getElementById('a11y');
  var canvas = document.getElementById('canvas');
  if (!root || !window.finwaveHost) return;

  var doc = null;        // the last mirror document
  var live = null;       // the last live part
  var lastRun = null;    // the run the log belongs to
  var lastLogged = -1;   // trace index of the last change of state logged
  var wantFocus = null;  // data-key of the control to focus after the next render
  var announceTimer = 0;

  function t(key) {
    return doc && doc.strings && doc.strings[key] !== undefined ? doc.strings[key] : key;
  }

  function format(template, args) {
    return String(template).replace(/\{(\d)\}/g, function (_, i) {
      return args[Number(i)] !== undefined ? args[Number(i)] : '';
    });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      var value = attributes[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'after') return;  // button(): what to do with the reply
      if (key === 'text') node.textContent = value;
      else if (key === 'html') node.innerHTML = value;  // from the app, already escaped (mirror.cpp)
      else if (key === 'on') node.addEventListener('click', value);
      else node.setAttribute(key, value === true ? '' : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // Words written only when they change: a screen reader re-reads a node
  // that is written, and a playing run updates the view many times a second.
  function setText(node, words) {
    if (node.textContent !== words) node.textContent = words;
  }

  function keyOf(node) {
    return node && node.getAttribute ? node.getAttribute('data-key') : null;
  }

  // After a part was drawn again: the focus back on the control with the same key.
  function refocus(container, key) {
    if (!key || container.contains(document.activeElement)) return;
    var again = container.querySelector('[data-key="' + key.replace(/"/g, '') + '"]');
    if (again) again.focus({ preventScroll: true });
  }

  // As the canvas writes it; ctl.speed_unit adds the ×.
  function speedNumber(v) {
    return v < 0.1 ? String(Number(v.toPrecision(3))) : String(v);
  }

  function plain(html) {
    var box = document.createElement('div');
    box.innerHTML = html;
    return box.textContent;
  }

  // --- Skeleton -----------------------------------------------------------------------
  var skipNav = el('nav', { id: 'a11y-skip' });
  var heading = el('h1', { id: 'a11y-heading' });
  var notices = el('div', { id: 'a11y-notices' });
  var lessonSelect = el('select', { id: 'a11y-lesson', 'data-key': 'lesson-select' });
  var lessonLabel = el('label', { for: 'a11y-lesson' });
  var openButton = el('button', { type: 'button', 'data-key': 'lesson-open', on: openChosen });
  var langGroup = el('div', { role: 'group', id: 'a11y-lang' });
  var title = el('h2', { id: 'a11y-title', tabindex: '-1' });
  var stepLine = el('p', { id: 'a11y-step' });
  var stepTitle = el('h3', { id: 'a11y-step-title' });
  var text = el('div', { id: 'a11y-text' });
  var stepNav = el('div', { role: 'group', id: 'a11y-steps' });
  var connectionHeading = el('h2', { id: 'a11y-connection-heading', tabindex: '-1' });
  var states = el('p', { id: 'a11y-states' });
  var clock = el('p', { id: 'a11y-time' });
  var controls = el('div', { role: 'group', id: 'a11y-controls' });
  var logHeading = el('h3', { id: 'a11y-log-heading' });
  var log = el('div', { role: 'log', id: 'a11y-log', 'aria-labelledby': 'a11y-log-heading' });
  var questionsHeading = el('h2', { id: 'a11y-questions-heading', tabindex: '-1' });
  var questions = el('div', { id: 'a11y-questions' });
  var announcer = el('div', { role: 'status', id: 'a11y-announce' });
  var keysHeading = el('h2', { id: 'a11y-keys-heading', tabindex: '-1' });
  var keysNote = el('p', { id: 'a11y-keys-note' });
  var keysList = el('dl', { id: 'a11y-keys' });
  // Filled by a11y-sim.js.
  var sections = {
    segments: el('section', { id: 'a11y-segments' }),
    timers: el('section', { id: 'a11y-timers' }),
    controls: el('section', { id: 'a11y-sim-controls' }),
    host: el('section', { id: 'a11y-host' }),  // a busy host: a11y-host.js
  };

  root.appendChild(skipNav);
  root.appendChild(heading);
  root.appendChild(notices);
  root.appendChild(el('div', { class: 'a11y-bar' }, [lessonLabel, lessonSelect, openButton, langGroup]));
  root.appendChild(el('section', { 'aria-labelledby': 'a11y-title' }, [title, stepLine, stepTitle, text, stepNav]));
  root.appendChild(el('section', { 'aria-labelledby': 'a11y-questions-heading', id: 'a11y-quiz' }, [questionsHeading, questions]));
  root.appendChild(el('section', { 'aria-labelledby': 'a11y-connection-heading', id: 'a11y-connection' },
    [connectionHeading, states, clock, controls, logHeading, log]));
  root.appendChild(sections.host);
  root.appendChild(sections.segments);
  root.appendChild(sections.timers);
  root.appendChild(sections.controls);
  root.appendChild(el('section', { 'aria-labelledby': 'a11y-keys-heading' }, [keysHeading, keysNote, keysList]));
  root.appendChild(announcer);

  // --- Sending commands ---------------------------------------------------------------
  function send(command, focusKey) {
    if (!window.finwave) return 'error: not ready';
    if (focusKey) wantFocus = focusKey;
    var reply = window.finwave.command(command);
    // The API's messages are English in every language.
    if (reply !== 'ok') announce(reply.replace(/^error: /, ''), 'en');
    return reply;
  }

  function openChosen() {
    var value = lessonSelect.value;
    if (value === 'practice:') send('practice', 'lesson-open');  // the next exercise due
    else if (value.indexOf('scenario:') === 0) send('sandbox ' + value.slice(9), 'lesson-open');
    else if (value) send('lesson ' + value, 'lesson-open');
  }

  function announce(message, lang) {
    // Emptied first, so that the same words twice are read twice.
    announcer.textContent = '';
    clearTimeout(announceTimer);
    announceTimer = setTimeout(function () {
      if (lang) announcer.setAttribute('lang', lang);
      else announcer.removeAttribute('lang');
      announcer.textContent = message;
    }, 60);
  }

  // --- The document part ---------------------------------------------------------------
  function button(label, key, command, extra) {
    var attributes = { type: 'button', 'data-key': key, text: label };
    Object.keys(extra || {}).forEach(function (k) { attributes[k] = extra[k]; });
    attributes.on = function () {
      if (attributes['aria-disabled'] === 'true') return;
      var reply = send(typeof command === 'function' ? command() : command, key);
      if (attributes.after) attributes.after(reply);
    };
    return el('button', attributes);
  }

  function renderQuestion(q) {
    var promptId = 'a11y-q-' + q.id;
    var box = el('div', { role: 'group', class: 'a11y-question', 'aria-labelledby': promptId, 'data-question': q.id });
    box.appendChild(el('p', { id: promptId, html: format(t('a11y.label_and_text'), ['<strong>' + q.label + '</strong>', q.prompt]) }));
    if (q.hint) box.appendChild(el('p', { class: 'a11y-hint', html: q.hint }));
    var done = q.done ? 'true' : null;
    if (q.choices) {
      var list = el('ul', { class: 'a11y-choices' });
      q.choices.forEach(function (choice, i) {
        var label = format(t('a11y.label_and_text'), [choice.letter, plain(choice.html)]);
        if (choice.mark === 'right') label = format(t('a11y.with_aside'), [label, t('quiz.right').replace(/[.。]$/, '')]);
        if (choice.mark === 'wrong') label = format(t('a11y.with_aside'), [label, t('quiz.wrong').replace(/[.。]$/, '')]);
        list.appendChild(el('li', {}, [button(label, 'q:' + q.id + ':' + i, 'answer ' + q.id + ' ' + choice.letter,
          { 'aria-disabled': done, 'data-mark': choice.mark || null })]));
      });
      box.appendChild(list);
    } else if (q.field) {
      var inputId = 'a11y-field-' + q.id;
      var input = el('input', { id: inputId, type: 'text', inputmode: 'numeric', 'data-key': 'q:' + q.id + ':field',
        'aria-disabled': done, value: q.last !== undefined ? String(q.last) : null });
      var form = el('form', { class: 'a11y-field' }, [
        el('label', { for: inputId, text: t('a11y.field') }), input,
        el('button', { type: 'submit', 'data-key': 'q:' + q.id + ':check', text: t('quiz.check'), 'aria-disabled': done }),
      ]);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (done) return;
        var value = input.value.trim();
        if (!/^-?\d+$/.test(value)) {
          announce(t('quiz.not_number'));
          return;
        }
        send('answer ' + q.id + ' ' + value, 'q:' + q.id + ':check');
      });
      box.appendChild(form);
    } else if (q.items) {
      var order = el('ol', { class: 'a11y-order' });
      q.items.forEach(function (item, pos) {
        var words = plain(item.html);
        var li = el('li', {}, [el('span', { html: item.html })]);
        if (!q.done) {
          if (pos > 0) {
            li.appendChild(button(format(t('a11y.item_up'), [words]), 'q:' + q.id + ':up:' + (pos - 1),
              'order-move ' + q.id + ' ' + (pos + 1) + ' ' + pos));
          }
          if (pos + 1 < q.items.length) {
            li.appendChild(button(format(t('a11y.item_down'), [words]), 'q:' + q.id + ':down:' + (pos + 1),
              'order-move ' + q.id + ' ' + (pos + 1) + ' ' + (pos + 2)));
          }
        }
        order.appendChild(li);
      });
      box.appendChild(order);
      if (!q.done) box.appendChild(button(t('quiz.check_order'), 'q:' + q.id + ':check', 'answer ' + q.id + ' check'));
    }
    if (q.feedback) {
      box.appendChild(el('div', { class: 'a11y-feedback', 'data-verdict': q.feedback.verdict },
        [el('p', { text: q.feedback.title }), el('div', { html: q.feedback.html })]));
    }
    return box;
  }

  function renderDoc(next) {
    var previous = doc;
    doc = next;
    var focused = document.activeElement && root.contains(document.activeElement)
      ? document.activeElement.getAttribute('data-key') : null;
    var focusKey = wantFocus || focused;
    var focusSection = document.activeElement && root.contains(document.activeElement)
      ? document.activeElement.closest('section[id]') : null;
    wantFocus = null;

    var lang = doc.lang === 'zh' ? 'zh-CN' : 'en';
    document.documentElement.lang = lang;
    root.setAttribute('lang', lang);
    root.setAttribute('aria-label', t('a11y.region'));
    // For the page's own notes (offline.js), in the learner's language.
    root.setAttribute('data-a11y-updated', t('a11y.updated'));
    root.setAttribute('data-a11y-reload', t('a11y.reload'));
    root.setAttribute('data-a11y-offline_ready', t('a11y.offline_ready'));
    if (canvas) canvas.setAttribute('aria-label', t('a11y.canvas'));
    heading.textContent = format(t('a11y.label_and_text'), [t('app.title'), t('app.subtitle')]);
    renderSkipLinks();
    renderShortcuts();

    notices.textContent = '';
    doc.notices.forEach(function (n) {
      notices.appendChild(el('p', { class: 'a11y-notice', 'data-level': n.level, html: n.html }));
    });

    lessonLabel.textContent = t('a11y.lesson') + ' ';
    lessonSelect.textContent = '';
    var lessonsGroup = el('optgroup', { label: t('a11y.lessons') });
    if (doc.practice) {
      lessonsGroup.appendChild(el('option', { value: 'practice:', selected: doc.practice.open,
        text: format(t('a11y.with_aside'), [t('practice_view.entry'), format(t('practice_view.due'), [doc.practice.due])]) }));
    }
    doc.lessons.forEach(function (l) {
      lessonsGroup.appendChild(el('option', { value: l.id, selected: l.id === doc.lesson,
        text: format(t('a11y.with_aside'), [l.title, format(t('lesson.score'), [l.score, l.total])]) }));
    });
    var scenarios = el('optgroup', { label: t('a11y.scenario') });
    doc.scenarios.forEach(function (name) {
      scenarios.appendChild(el('option', { value: 'scenario:' + name, selected: name === doc.sandbox,
        text: (doc.scenario_titles && doc.scenario_titles[name]) || name }));
    });
    lessonSelect.appendChild(lessonsGroup);
    lessonSelect.appendChild(scenarios);
    openButton.textContent = t('a11y.open');

    langGroup.setAttribute('aria-label', t('a11y.language'));
    langGroup.textContent = '';
    [['en', 'lesson.lang_en'], ['zh', 'lesson.lang_zh']].forEach(function (pair) {
      langGroup.appendChild(button(t(pair[1]), 'lang:' + pair[0], 'lang ' + pair[0],
        { lang: pair[0] === 'zh' ? 'zh-CN' : 'en', 'aria-pressed': doc.lang === pair[0] ? 'true' : 'false' }));
    });

    title.textContent = doc.title || '';
    var quiz = doc.mode === 'quiz';
    if (doc.step) {
      var stepOf = format(t('lesson.step_of'), [doc.step, doc.steps]);
      // The sentence break comes from the table: '. ' in English, '。' in Chinese.
      stepLine.textContent = doc.score
        ? format(t('a11y.step_and_score'), [stepOf, format(t('a11y.score'), [doc.score.correct, doc.score.total])])
        : stepOf;
      stepTitle.innerHTML = doc.step_title;
      stepTitle.hidden = false;
    } else {
      stepLine.textContent = '';
      stepTitle.textContent = '';
      stepTitle.hidden = true;  // free play has no steps: no empty heading
    }
    text.innerHTML = doc.html || '';
    stepNav.setAttribute('aria-label', t(quiz ? 'a11y.questions' : 'a11y.steps'));
    stepNav.textContent = '';
    if (doc.step) {
      stepNav.appendChild(button(t(quiz ? 'a11y.prev_question' : 'a11y.prev'), 'step-back', 'back',
        { 'aria-disabled': doc.can_back ? null : 'true' }));
      stepNav.appendChild(button(t(quiz ? 'a11y.next_question' : 'a11y.next'), 'step-next', 'next',
        { 'aria-disabled': doc.can_next ? null : 'true' }));
    }

    questionsHeading.textContent = t('a11y.questions');
    document.getElementById('a11y-quiz').hidden = doc.questions.length === 0;
    questions.textContent = '';
    doc.questions.forEach(function (q) { questions.appendChild(renderQuestion(q)); });
    if (doc.practice && doc.practice.schedule) {
      questions.appendChild(el('p', { id: 'a11y-practice-schedule', text: doc.practice.schedule }));
      questions.appendChild(button(t('practice_view.next'), 'practice-next', 'practice'));
    }

    connectionHeading.textContent = t('a11y.connection');
    logHeading.textContent = t('a11y.transitions');
    controls.setAttribute('aria-label', t('a11y.controls'));
    renderControls();
    if (live) renderStates();
    if (kit.sim && (!previous || previous.lang !== doc.lang)) kit.sim.relabel();
    if (kit.host && previous && previous.lang !== doc.lang) kit.host.relabel();

    if (focusKey) {
      var target = root.querySelector('[data-key="' + focusKey.replace(/"/g, '') + '"]');
      if (target) target.focus({ preventScroll: true });
    }
    // The control the learner was on is gone (a question of the last step):
    // stay in the same part of the view rather than fall back to the page.
    if (focusSection && !root.contains(document.activeElement)) {
      var anchor = focusSection.isConnected ? focusSection.querySelector('h2[tabindex]') : null;
      if (anchor && !focusSection.hidden) anchor.focus({ preventScroll: true });
      else title.focus({ preventScroll: true });
    }
    announceDocChange(previous, doc);
  }

  // What a screen reader user would otherwise miss: a new step, a verdict.
  function announceDocChange(before, after) {
    if (!before) return;
    var moved = before.lesson !== after.lesson || before.step !== after.step || before.sandbox !== after.sandbox;
    if (moved && after.step) {
      announce(format(t(after.mode === 'quiz' ? 'a11y.quiz_changed' : 'a11y.step_changed'),
        [after.title, after.step, after.steps, plain(after.step_title)]));
      return;
    }
    if (moved) {
      announce(after.title);
      return;
    }
    after.questions.forEach(function (q) {
      var old = before.questions.filter(function (p) { return p.id === q.id; })[0];
      if (old && q.attempts > old.attempts && q.feedback) announce(q.feedback.title + ' ' + plain(q.feedback.html));
    });
  }

  // --- The live part ------------------------------------------------------------------
  function renderControls() {
    if (!doc) return;
    var focused = document.activeElement && controls.contains(document.activeElement)
      ? document.activeElement.getAttribute('data-key') : null;
    controls.textContent = '';
    var running = live && live.has_sim;
    var disabled = running ? null : 'true';
    // A busy host plays and resets, but has no single run to step through.
    var host = live && live.host;
    controls.appendChild(button(t(live && live.playing ? 'ctl.pause' : 'ctl.play'), 'sim:play', 'toggle',
      { 'aria-disabled': (running && !live.finished) || (host && !host.over) ? null : 'true' }));
    controls.appendChild(button(t('ctl.step'), 'sim:event', 'event', { 'aria-disabled': running && !live.finished ? null : 'true' }));
    controls.appendChild(button(t('a11y.back_event'), 'sim:back', 'rewind 1', { 'aria-disabled': disabled }));
    controls.appendChild(button(t('ctl.timer'), 'sim:timer', 'timer', { 'aria-disabled': disabled }));
    controls.appendChild(button(t('a11y.reset'), 'sim:reset', 'reset', { 'aria-disabled': host ? null : disabled }));
    ['sim:play', 'sim:event', 'sim:back', 'sim:timer'].forEach(function (key) {
      var shortcut = SHORTCUTS.filter(function (s) { return s.key === key; })[0];
      controls.querySelector('[data-key="' + key + '"]').setAttribute('aria-keyshortcuts', 'Alt+Shift+' + shortcut.letter);
    });
    if (live) {
      var speedSelect = el('select', { id: 'a11y-speed', 'data-key': 'sim:speed' });
      live.speeds.forEach(function (v) {
        speedSelect.appendChild(el('option', { value: String(v), selected: Math.abs(v - live.speed) < 1e-9,
          text: format(t('ctl.speed_unit'), [speedNumber(v)]) }));
      });
      speedSelect.addEventListener('change', function () { send('speed ' + speedSelect.value, 'sim:speed'); });
      controls.appendChild(el('span', { class: 'a11y-speed' },
        [el('label', { for: 'a11y-speed', text: t('ctl.speed') + ' ' }), speedSelect]));
      var pause = el('input', { type: 'checkbox', id: 'a11y-pause-on-state', 'data-key': 'sim:pause-on-state',
        checked: live.pause_on_state });
      pause.addEventListener('change', function () { send('pause-on-state ' + (pause.checked ? 'on' : 'off'), 'sim:pause-on-state'); });
      controls.appendChild(el('span', {}, [pause, el('label', { for: 'a11y-pause-on-state', text: ' ' + t('ctl.pause_on_state') })]));
    }
    if (focused) {
      var again = controls.querySelector('[data-key="' + focused + '"]');
      if (again) again.focus({ preventScroll: true });
    }
  }

  function sideName(side) { return t(side === 'server' ? 'side.server' : 'side.client'); }

  function renderStates() {
    if (live.host) {
      states.textContent = '';
      clock.textContent = format(t('a11y.time'), [live.host.t]) + (live.host.over ? ' ' + t('a11y.run_over') : '');
      return;
    }
    if (!live.has_sim) {
      states.textContent = t('lesson.no_sim');
      clock.textContent = '';
      return;
    }
    states.textContent = live.client === undefined ? '' : format(t('a11y.states'), [live.client, live.server]);
    clock.textContent = format(t('a11y.time'), [live.t]) + (live.finished ? ' ' + t('a11y.run_over') : '');
  }

  // The reason is the engine's English words (describe_event): marked so.
  function transitionNode(change) {
    var reason = /\(([^)]*)\)\s*$/.exec(change.text);
    var p = el('p', { 'data-i': String(change.i), 'data-side': change.side,
      text: format(t('a11y.transition'), [change.t, sideName(change.side), change.from, change.to]) });
    if (reason) {
      p.appendChild(document.createTextNode(' ('));
      p.appendChild(el('span', { lang: 'en', text: reason[1] }));
      p.appendChild(document.createTextNode(')'));
    }
    return p;
  }

  function renderLive(next) {
    var before = live;
    live = next;
    if (!doc) return;
    renderStates();
    if (!before || before.playing !== live.playing || before.has_sim !== live.has_sim || before.finished !== live.finished ||
        before.speed !== live.speed || before.pause_on_state !== live.pause_on_state ||
        !before.host !== !live.host || (live.host && before.host.over !== live.host.over)) renderControls();
    if (kit.sim) kit.sim.update(live, before);
    if (kit.host) kit.host.update(live);
    if (!live.has_sim) {
      log.textContent = '';
      lastRun = null;
      return;
    }
    var newest = live.transitions.length > 0 ? live.transitions[live.transitions.length - 1].i : -1;
    if (live.run !== lastRun) {
      // Another step: its log starts with the states it opens in, not with
      // the changes that led there.
      lastRun = live.run;
      log.textContent = '';
      lastLogged = newest;
      return;
    }
    if (newest < lastLogged) {
      while (log.lastChild && Number(log.lastChild.getAttribute('data-i')) > newest) log.removeChild(log.lastChild);
      lastLogged = newest;
      announce(format(t('a11y.rewound'), [live.t, live.client, live.server]));
      return;
    }
    live.transitions.forEach(function (change) {
      if (change.i <= lastLogged) return;
      log.appendChild(transitionNode(change));
      lastLogged = change.i;
    });
    while (log.childNodes.length > 40) log.removeChild(log.firstChild);
  }

  finwaveHost.on('mirror-doc', function (event) { renderDoc(event.doc); });
  finwaveHost.on('mirror-live', function (event) { renderLive(event.live); });

  // --- Skip links and shortcuts --------------------------------------------------------
  // Alt+Shift and a letter: free in NVDA, JAWS, VoiceOver and Orca (whose
  // own keys add Insert, Caps Lock or Control+Option) and not a single
  // letter, which screen readers take in browse mode. Matched on the key's
  // position (event.code), so that the layout and Alt's own characters do
  // not matter.
  var SHORTCUTS = [
    { letter: 'P', code: 'KeyP', key: 'sim:play', words: 'a11y.key_play', run: function () { send('toggle', null); } },
    { letter: 'N', code: 'KeyN', key: 'sim:event', words: 'a11y.key_event', run: function () { send('event', null); } },
    { letter: 'B', code: 'KeyB', key: 'sim:back', words: 'a11y.key_back', run: function () { send('rewind 1', null); } },
    { letter: 'T', code: 'KeyT', key: 'sim:timer', words: 'a11y.key_timer', run: function () { send('timer', null); } },
    { letter: 'Q', code: 'KeyQ', words: 'a11y.key_question', run: function () { focusQuestion(); } },
    { letter: 'S', code: 'KeyS', words: 'a11y.key_segments', run: function () { if (kit.sim) kit.sim.focusNewestSegment(); } },
    { letter: 'C', code: 'KeyC', words: 'a11y.key_controls', run: function () { if (kit.sim) kit.sim.focusControls(); } },
  ];

  function focusQuestion() {
    var first = questions.querySelector('button:not([aria-disabled="true"]), input');
    if (doc && doc.questions.length > 0 && first) first.focus();
    else (doc && doc.questions.length > 0 ? questionsHeading : title).focus();
  }

  function renderSkipLinks() {
    skipNav.setAttribute('aria-label', t('a11y.jump'));
    skipNav.textContent = '';
    var list = el('ul', { class: 'a11y-skip-list' });
    [['a11y.skip_question', 'a11y-questions-heading'], ['a11y.skip_segments', 'a11y-segments-heading'],
      ['a11y.skip_controls', 'a11y-controls-heading'], ['a11y.skip_keys', 'a11y-keys-heading']].forEach(function (pair) {
      if (pair[1] === 'a11y-questions-heading' && doc.questions.length === 0) return;
      var link = el('a', { href: '#' + pair[1], 'data-key': 'skip:' + pair[1], text: t(pair[0]) });
      link.addEventListener('click', function (event) {
        // The heading takes the focus, so that Tab goes on from there.
        event.preventDefault();
        var target = document.getElementById(pair[1]);
        if (target) target.focus();
      });
      list.appendChild(el('li', {}, [link]));
    });
    skipNav.appendChild(list);
  }

  function renderShortcuts() {
    keysHeading.textContent = t('a11y.shortcuts');
    keysNote.textContent = t('a11y.shortcuts_note');
    keysList.textContent = '';
    SHORTCUTS.forEach(function (s) {
      keysList.appendChild(el('dt', {}, [el('kbd', { lang: 'en', text: 'Alt+Shift+' + s.letter })]));
      keysList.appendChild(el('dd', { text: t(s.words) }));
    });
  }

  function shortcut(event) {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return null;
    return SHORTCUTS.filter(function (s) { return s.code === event.code; })[0] || null;
  }

  // For web/page/a11y-sim.js, which draws the simulation's parts.
  var kit = window.finwaveA11yKit = {
    t: t, format: format, el: el, setText: setText, keyOf: keyOf, refocus: refocus, send: send,
    announce: announce, button: button, speedNumber: speedNumber, sections: sections,
    lang: function () { return doc ? doc.lang : 'en'; },
  };

  // --- Keys ---------------------------------------------------------------------------
  // The app (SDL) listens for keys on the whole window and keeps Tab for
  // itself. Keys meant for a control of the page (this view, a form a host
  // page put around us) must not reach it, and Tab must always move the
  // focus, also out of the canvas: a keyboard user is never trapped in it.
  function isAppTarget(target) {
    return target === canvas || target === document.body || target === document.documentElement || target === document;
  }
  ['keydown', 'keyup', 'keypress'].forEach(function (type) {
    window.addEventListener(type, function (event) {
      var s = root.contains(event.target) ? shortcut(event) : null;
      if (s) {
        event.preventDefault();
        event.stopPropagation();
        if (type === 'keydown' && !event.repeat) s.run();
        return;
      }
      if (event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey) {
        event.stopPropagation();
        return;
      }
      if (!isAppTarget(event.target)) event.stopPropagation();
    }, true);
  });
})();
