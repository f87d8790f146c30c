// The page around the app, and the page around the page.
//
// 1. A small event bus (window.finwaveHost) fed after each frame the app
//    draws (its "finwave-frame" event; no frame, nothing can have changed):
//    finwave.command("host-poll") returns what changed (the
//    learner's answers, the accessible mirror, the height the content
//    wants; web/model/host_feed.hpp). a11y.js, scorm.js and offline.js
//    listen on it.
// 2. The postMessage contract with a page that embeds FinWave in an iframe
//    (docs/embedding.md):
//      out  {source: "finwave", version: 1, type: "ready" | "resize" |
//            "answered" | "completed", ...}; answered and completed carry an
//            xAPI statement (verb, object, result) without an actor, which
//            only the host knows.
//      in   {target: "finwave", type: "goto", lesson, step} |
//           {target: "finwave", type: "goto", scenario} |
//           {target: "finwave", type: "setLang", lang}
//    Messages are exchanged only with origins the embedder allows: the
//    page's own, those in ?origin=... (comma-separated or repeated), and
//    those in embed-config.json ("allowedOrigins"). Anything else, and any
//    message that is not exactly one of the above, is ignored with a
//    console warning.
(function () {
  'use strict';

  var PROTOCOL_VERSION = 1;
  var MAX_QUEUED = 32;  // messages that arrive before the app has started
  var NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
  var VERB = {
    answered: { id: 'http://adlnet.gov/expapi/verbs/answered', display: { 'en-US': 'answered' } },
    completed: { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } },
  };
  var INTERACTION = { choice: 'choice', predict: 'choice', lost: 'choice', field: 'numeric', order: 'sequencing' };
  var DEFAULT_ACTIVITY_BASE = 'urn:finwave:';
  var HTTP_BASE = /^https?:\/\/[^\s?#]+\/$/;
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

  var listeners = {};
  var allowed = { any: false, origins: {} };
  var configLoaded = false;
  var started = false;
  var ready = false;
  var queued = [];
  var lastHeight = 0;

  function warn() {
    var args = ['finwave:'].concat([].slice.call(arguments));
    console.warn.apply(console, args);
  }

  var buildMeta = document.querySelector('meta[name="finwave-build"]');
  var host = window.finwaveHost = {
    build: buildMeta ? buildMeta.content : 'dev',
    // The base of the xAPI activity ids (docs/embedding.md): the same
    // wherever the files are hosted, unless the embedder sets its own IRI
    // (?activityBase=https://.../ or "activityBase" in embed-config.json).
    activityBase: DEFAULT_ACTIVITY_BASE,
    // The learner, when the launch names one (xAPI launch or cmi5: ?actor=
    // with an xAPI Agent as JSON); otherwise the host must add the actor.
    actor: null,
    registration: null,
    lessonId: lessonId,
    questionId: questionId,
    on: function (type, listener) {
      (listeners[type] = listeners[type] || []).push(listener);
    },
    emit: function (event) {
      (listeners[event.type] || []).forEach(function (listener) {
        try {
          listener(event);
        } catch (error) {
          warn('a listener of "' + event.type + '" failed:', error);
        }
      });
    },
    isReady: function () { return ready; },
    originAllowed: originAllowed,
    // Called by index.html once window.finwave exists.
    start: function () {
      if (started) return;
      started = true;
      window.addEventListener('finwave-frame', poll);
      poll();
    },
    statement: statement,
  };

  // --- Allowed origins --------------------------------------------------------
  function allowOrigin(value, where) {
    var text = String(value).trim().replace(/\/+$/, '');
    if (!text) return;
    if (text === '*') {
      allowed.any = true;
      return;
    }
    var origin = null;
    try {
      origin = new URL(text).origin;
    } catch (e) {
      origin = null;
    }
    if (!origin || origin === 'null' || origin !== text) {
      warn('ignoring "' + text + '" from ' + where + ': an origin is scheme://host[:port], nothing more');
      return;
    }
    allowed.origins[origin] = true;
  }

  function originAllowed(origin) {
    return origin === location.origin || allowed.any || allowed.origins[origin] === true;
  }

  var launchParams = new URLSearchParams(location.search);
  launchParams.getAll('origin').forEach(function (value) {
    value.split(',').forEach(function (one) { allowOrigin(one, 'the URL'); });
  });

  // --- Activity ids and the learner -------------------------------------------
  function setActivityBase(value, where) {
    if (HTTP_BASE.test(value)) host.activityBase = value;
    else warn('ignoring activityBase "' + String(value).slice(0, 80) + '" from ' + where + ': it must be an http(s) IRI ending in "/"');
  }

  function lessonId(lesson) {
    var base = host.activityBase;
    return base === DEFAULT_ACTIVITY_BASE ? base + 'lesson:' + encodeURIComponent(lesson) : base + 'lessons/' + encodeURIComponent(lesson);
  }

  function questionId(lesson, question) {
    var sep = host.activityBase === DEFAULT_ACTIVITY_BASE ? ':question:' : '/questions/';
    return lessonId(lesson) + sep + encodeURIComponent(question);
  }

  function extensionId(name) {
    return host.activityBase === DEFAULT_ACTIVITY_BASE ? host.activityBase + name : host.activityBase + 'xapi/' + name;
  }

  // An xAPI Agent: a name and exactly one identifier.
  function agentFrom(text) {
    var agent;
    try {
      agent = JSON.parse(text);
    } catch (e) {
      return null;
    }
    if (!agent || typeof agent !== 'object' || Array.isArray(agent)) return null;
    var ids = ['mbox', 'mbox_sha1sum', 'openid', 'account'].filter(function (k) { return agent[k] !== undefined; });
    if (ids.length !== 1) return null;
    if (agent.objectType !== undefined && agent.objectType !== 'Agent') return null;
    if (agent.account && (typeof agent.account.homePage !== 'string' || typeof agent.account.name !== 'string')) return null;
    if (agent.mbox && !/^mailto:[^@\s]+@[^@\s]+$/.test(agent.mbox)) return null;
    var out = { objectType: 'Agent' };
    if (typeof agent.name === 'string') out.name = agent.name;
    out[ids[0]] = agent[ids[0]];
    return out;
  }

  if (launchParams.has('activityBase')) setActivityBase(launchParams.get('activityBase'), 'the URL');
  if (launchParams.has('actor')) {
    host.actor = agentFrom(launchParams.get('actor'));
    if (!host.actor) warn('ignoring ?actor=: not an xAPI Agent with exactly one of mbox, mbox_sha1sum, openid, account');
  }
  if (launchParams.has('registration')) {
    var registration = launchParams.get('registration');
    if (UUID.test(registration)) host.registration = registration;
    else warn('ignoring ?registration=: not a UUID');
  }

  // A missing file is the same as an empty one; a broken one is reported.
  fetch('embed-config.json').then(function (response) {
    return response.ok ? response.json() : {};
  }).then(function (config) {
    if (!config || typeof config !== 'object') throw new Error('not a JSON object');
    if (config.allowedOrigins !== undefined) {
      if (!Array.isArray(config.allowedOrigins)) throw new Error('"allowedOrigins" is not a list');
      config.allowedOrigins.forEach(function (origin) { allowOrigin(origin, 'embed-config.json'); });
    }
    if (config.activityBase !== undefined && !launchParams.has('activityBase')) setActivityBase(config.activityBase, 'embed-config.json');
  }).catch(function (error) {
    warn('embed-config.json is not usable (' + error.message + '); only this page\'s origin and ?origin= are allowed');
  }).then(function () {
    configLoaded = true;
    if (ready) announceReady();
  });

  // --- The frame's parent ---------------------------------------------------------
  function parentOrigin() {
    if (window.parent === window) return null;
    if (location.ancestorOrigins && location.ancestorOrigins.length > 0) return location.ancestorOrigins[0];
    try {
      return window.parent.location.origin;  // readable only when it is ours
    } catch (e) {
      // Cross-origin: the referrer is the page that framed us.
    }
    try {
      return document.referrer ? new URL(document.referrer).origin : null;
    } catch (e) {
      return null;
    }
  }

  function post(type, fields) {
    var target = parentOrigin();
    if (target === null || !originAllowed(target)) return;
    var message = { source: 'finwave', version: PROTOCOL_VERSION, type: type };
    Object.keys(fields).forEach(function (key) { message[key] = fields[key]; });
    // The exact origin, never "*": a parent that navigated elsewhere gets nothing.
    window.parent.postMessage(message, allowed.any && target === 'null' ? '*' : target);
  }

  // --- xAPI statements -----------------------------------------------------------
  function langTag(lang) { return lang === 'zh' ? 'zh-CN' : 'en-US'; }

  function lessonActivity(event) {
    var name = {};
    name[langTag(event.lang)] = event.lesson_title;
    return {
      objectType: 'Activity',
      id: lessonId(event.lesson),
      definition: { type: 'http://adlnet.gov/expapi/activities/lesson', name: name },
    };
  }

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    return 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, function () {
      return Math.floor(Math.random() * 16).toString(16);
    });
  }

  function statement(event) {
    var lt = langTag(event.lang);
    var lesson = lessonActivity(event);
    var base = { id: uuid(), verb: VERB[event.type], timestamp: new Date().toISOString(), context: { language: lt } };
    if (host.actor) base.actor = host.actor;
    if (host.registration) base.context.registration = host.registration;
    if (event.type === 'completed') {
      var right = event.score.lesson[0];
      var total = event.score.lesson[1];
      base.object = lesson;
      base.result = {
        completion: true,
        success: right === total,
        score: { raw: right, min: 0, max: total, scaled: total > 0 ? right / total : 1 },
      };
      return base;
    }
    var name = {};
    name[lt] = event.prompt || event.question;
    var definition = {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      name: name,
      interactionType: INTERACTION[event.kind] || 'other',
    };
    if (event.choices && event.choices.length > 0) {
      definition.choices = event.choices.map(function (choice) {
        var description = {};
        description[lt] = choice.text;
        return { id: choice.id, description: description };
      });
    }
    if (event.correct_response !== undefined && event.correct_response !== null) {
      definition.correctResponsesPattern = [String(event.correct_response)];
    }
    base.object = {
      objectType: 'Activity',
      id: questionId(event.lesson, event.question),
      definition: definition,
    };
    base.result = {
      success: event.correct,
      response: event.response,
      score: { raw: event.correct ? 1 : 0, min: 0, max: 1, scaled: event.correct ? 1 : 0 },
      extensions: {},
    };
    base.result.extensions[extensionId('attempts')] = event.attempts;
    base.context.contextActivities = { parent: [lesson] };
    return base;
  }

  // --- From the app ----------------------------------------------------------------
  function announceReady() {
    var s = window.finwave.state();
    post('ready', {
      build: host.build,
      lang: s.lang,
      lesson: s.lesson ? s.lesson.id : null,
      step: s.lesson ? s.lesson.step : null,
      steps: s.lesson ? s.lesson.steps : null,
      scenario: s.sandbox || null,
      mode: s.mode,
      embed: s.embed,
    });
    if (lastHeight > 0) post('resize', { height: lastHeight });
  }

  function poll() {
    if (!window.finwave) return;
    if (!ready) {
      var s = window.finwave.state();
      if (!s.ready) return;
      ready = true;
      host.emit({ type: 'ready', state: s });
      if (configLoaded) announceReady();
      queued.splice(0).forEach(function (event) { receive(event); });
    }
    var text = window.finwave.command('host-poll');
    if (text.charAt(0) !== '{') return;
    var changes = JSON.parse(text);
    (changes.events || []).forEach(function (event) {
      host.emit(event);
      post(event.type, { statement: statement(event) });
    });
    if (changes.doc) host.emit({ type: 'mirror-doc', doc: changes.doc });
    if (changes.live) host.emit({ type: 'mirror-live', live: changes.live });
    if (changes.height) {
      lastHeight = changes.height;
      if (configLoaded) post('resize', { height: lastHeight });
    }
  }

  // --- From the host ---------------------------------------------------------------
  // The command for a valid message, or a reason it is not one.
  function commandFor(data) {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return { error: 'not an object' };
    if (data.target !== 'finwave') return { error: 'no target: "finwave"' };
    if (data.type === 'goto') {
      var hasLesson = data.lesson !== undefined;
      var hasScenario = data.scenario !== undefined;
      if (hasLesson === hasScenario) return { error: 'goto takes a lesson or a scenario' };
      if (hasScenario) {
        if (typeof data.scenario !== 'string' || !NAME.test(data.scenario)) return { error: 'scenario is not a name' };
        if (data.step !== undefined) return { error: 'a scenario has no steps' };
        return { command: 'sandbox ' + data.scenario };
      }
      if (typeof data.lesson !== 'string' || !NAME.test(data.lesson)) return { error: 'lesson is not a lesson id' };
      if (data.step === undefined) return { command: 'lesson ' + data.lesson };
      if (!Number.isInteger(data.step) || data.step < 1 || data.step > 999) return { error: 'step is not a whole number from 1' };
      return { command: 'lesson ' + data.lesson + ' ' + data.step };
    }
    if (data.type === 'setLang') {
      if (data.lang !== 'en' && data.lang !== 'zh') return { error: 'lang is "en" or "zh"' };
      return { command: 'lang ' + data.lang };
    }
    // Only text is quoted: String() throws on some cloneable objects (one
    // whose toString is not a function), and the warning must still come.
    var type = typeof data.type === 'string' ? JSON.stringify(data.type).slice(0, 60) : '(a ' + typeof data.type + ')';
    return { error: 'unknown type ' + type };
  }

  function receive(event) {
    var what = commandFor(event.data);
    if (what.error) {
      warn('ignored a message from ' + event.origin + ': ' + what.error);
      return;
    }
    var reply = window.finwave.command(what.command);
    if (reply !== 'ok') warn('"' + what.command + '" from ' + event.origin + ' failed: ' + reply);
  }

  window.addEventListener('message', function (event) {
    if (event.source === window) return;  // our own window talking to itself is no host
    if (!originAllowed(event.origin)) {
      warn('ignored a message from ' + event.origin + ', which this page does not allow ' +
           '(?origin= or embed-config.json; see docs/embedding.md)');
      return;
    }
    if (!ready) {
      if (queued.length < MAX_QUEUED) queued.push({ origin: event.origin, data: event.data });
      else warn('ignored a message from ' + event.origin + ': the app has not started yet');
      return;
    }
    receive(event);
  });
})();
