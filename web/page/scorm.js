// FinWave as a SCORM SCO (the packages scripts/make-scorm.py builds), for
// SCORM 1.2 and SCORM 2004 (4th edition).
//
// Runs before the app starts. When an LMS provides a SCORM run-time API (an
// object `API_1484_11` (2004) or `API` (1.2) on window.parent, a parent of
// it, or window.opener's chain: the search of the run-time specifications),
// FinWave:
//   - initializes and reads the learner's record,
//   - applies the launch data (cmi.launch_data, set by the manifest's
//     dataFromLMS: "mode=quiz", "question=ID", ...) as URL parameters,
//   - keeps its state there instead of in localStorage (the store handed to
//     the module as Module.finwaveStorage, see web/platform.cpp):
//       answers and language -> cmi.suspend_data (compact)
//       where the learner is -> the location element
//   - after every answer: one interaction record (id, type, response,
//     result, latency, correct response), the score, the status
//     (passed/failed against the LMS's mastery score when it has one,
//     completed/incomplete otherwise), the session time and the exit mode,
//     then a commit,
//   - on leaving the page: the session time and exit, then Finish, with no
//     Commit: browsers refuse the synchronous requests an LMS may make for a
//     commit during page dismissal, and Finish (Terminate) sends what is set.
// The questions counted are those of the lesson in the launch URL
// (?lesson=ID), of the one question (?question=ID), or of every lesson.
//
// Without an LMS nothing here happens.
(function () {
  'use strict';

  var FORMAT = 'F1';
  var SEARCH_LIMIT = 500;    // parents to climb, as in ADL's own search

  function warn() {
    console.warn.apply(console, ['finwave (SCORM):'].concat([].slice.call(arguments)));
  }

  // --- Compact progress ------------------------------------------------------------------
  // The app's progress JSON ({"format":"finwave-progress","version":1,
  // "lessons":{LESSON:{QUESTION:{correct,first_try,attempts}}}}) is too
  // verbose for SCORM 1.2's 4096 characters. Compact form:
  //   F1|LANG|LESSON:QUESTION=REC,QUESTION=REC;LESSON:...
  // REC: F (right at the first try), C (right later) or W (not right yet),
  // then the number of attempts when it is not the least it can be (F 1, C 2,
  // W 1). Ids are URI-encoded, so | ; : , = never occur in them.
  function record(r) {
    var letter = r.correct ? (r.first_try ? 'F' : 'C') : 'W';
    var least = letter === 'C' ? 2 : 1;
    return letter + (r.attempts !== least ? String(r.attempts) : '');
  }

  function compact(progressJson, lang, limit) {
    var lessons = {};
    try {
      var doc = JSON.parse(progressJson);
      if (doc && doc.lessons && typeof doc.lessons === 'object') lessons = doc.lessons;
    } catch (e) {
      lessons = {};
    }
    limit = limit || 4096;
    // If it does not fit: first without attempt counts, then without the
    // answers not yet right, then without whole lessons from the end. What
    // is right, and so the score, goes last.
    for (var level = 0; level < 3; ++level) {
      var ids = Object.keys(lessons);
      for (var keep = ids.length; keep >= 0; --keep) {
        var parts = [];
        ids.slice(0, keep).forEach(function (lesson) {
          var items = [];
          Object.keys(lessons[lesson]).forEach(function (question) {
            var r = lessons[lesson][question];
            if (!r || typeof r !== 'object') return;
            if (level >= 2 && !r.correct) return;
            var rec = record(r);
            if (level >= 1) rec = rec.charAt(0);
            items.push(encodeURIComponent(question) + '=' + rec);
          });
          if (items.length > 0) parts.push(encodeURIComponent(lesson) + ':' + items.join(','));
        });
        var text = [FORMAT, lang || '', parts.join(';')].join('|');
        if (text.length <= limit) return text;
        if (level < 2) break;  // first try the next level with every lesson
      }
    }
    return [FORMAT, lang || '', ''].join('|');
  }

  // An id as written by compact(), or null: a stray '%' would make
  // decodeURIComponent throw, and the LMS's data is not to be trusted.
  function decodeId(text) {
    try {
      return decodeURIComponent(text);
    } catch (e) {
      return null;
    }
  }

  // {lang, progress (the app's JSON)}, or null when `text` is not ours.
  function expand(text) {
    var fields = String(text).split('|');
    if (fields.length !== 3 || fields[0] !== FORMAT) return null;
    // Without a prototype: ids such as "__proto__" are plain keys here.
    var lessons = Object.create(null);
    var ok = true;
    if (fields[2] !== '') {
      fields[2].split(';').forEach(function (part) {
        var colon = part.indexOf(':');
        var lesson = colon > 0 ? decodeId(part.slice(0, colon)) : null;
        if (lesson === null) {
          ok = false;
          return;
        }
        lessons[lesson] = lessons[lesson] || Object.create(null);
        part.slice(colon + 1).split(',').forEach(function (item) {
          var m = /^([^=]+)=([FCW])(\d{0,7})$/.exec(item);
          var question = m ? decodeId(m[1]) : null;
          if (question === null) {
            ok = false;
            return;
          }
          var least = m[2] === 'C' ? 2 : 1;
          lessons[lesson][question] = {
            correct: m[2] !== 'W', first_try: m[2] === 'F', attempts: m[3] ? Number(m[3]) : least,
          };
        });
      });
    }
    if (!ok) return null;
    return {
      lang: fields[1] || null,
      progress: JSON.stringify({ format: 'finwave-progress', version: 1, lessons: lessons }),
    };
  }

  // --- The two standards --------------------------------------------------------------
  function pad(n, width) {
    var s = String(n);
    while (s.length < (width || 2)) s = '0' + s;
    return s;
  }

  // The same facts, each standard's names and formats.
  var STANDARDS = {
    '2004': {
      apiName: 'API_1484_11',
      calls: { init: 'Initialize', get: 'GetValue', set: 'SetValue', commit: 'Commit', finish: 'Terminate', error: 'GetLastError' },
      suspend: 'cmi.suspend_data', suspendLimit: 64000,
      location: 'cmi.location', locationLimit: 1000,
      launchData: 'cmi.launch_data',
      mastery: 'cmi.scaled_passing_score',
      masteryScale: 1,  // 0..1
      exit: 'cmi.exit', exitDone: 'normal',
      sessionTime: 'cmi.session_time',
      duration: function (ms) { return 'PT' + (Math.max(0, Math.round(ms / 10)) / 100) + 'S'; },
      interaction: {
        response: 'learner_response', time: 'timestamp', wrong: 'incorrect',
        when: function (date) { return date.toISOString().slice(0, 19); },
        // Identifiers of choices and items stay as the app names them (A, B, ...).
        choice: function (letters) { return letters.join('[,]'); },
        sequence: function (letters) { return letters.join('[,]'); },
        describe: true,
      },
    },
    '1.2': {
      apiName: 'API',
      calls: { init: 'LMSInitialize', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit', finish: 'LMSFinish', error: 'LMSGetLastError' },
      suspend: 'cmi.suspend_data', suspendLimit: 4096,
      location: 'cmi.core.lesson_location', locationLimit: 255,
      launchData: 'cmi.launch_data',
      mastery: 'cmi.student_data.mastery_score',
      masteryScale: 100,  // 0..100
      exit: 'cmi.core.exit', exitDone: '',
      sessionTime: 'cmi.core.session_time',
      duration: function (ms) {
        var cs = Math.max(0, Math.round(ms / 10));
        var s = Math.floor(cs / 100);
        return pad(Math.min(9999, Math.floor(s / 3600)), 4) + ':' + pad(Math.floor(s / 60) % 60) + ':' +
          pad(s % 60) + '.' + pad(cs % 100);
      },
      interaction: {
        response: 'student_response', time: 'time', wrong: 'wrong',
        when: function (date) { return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()); },
        // SCORM 1.2's CMIFeedback for choice and sequencing: single lower-case characters.
        choice: function (letters) { return letters.join(',').toLowerCase(); },
        sequence: function (letters) { return letters.join(',').toLowerCase(); },
        describe: false,
      },
    },
  };

  // --- Finding the LMS ----------------------------------------------------------------
  function climb(win, name, probe) {
    for (var tries = 0; win && tries <= SEARCH_LIMIT; ++tries) {
      try {
        if (win[name] && typeof win[name][probe] === 'function') return win[name];
      } catch (e) {
        return null;  // another origin: the LMS is never there
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    var versions = ['2004', '1.2'];
    for (var i = 0; i < versions.length; ++i) {
      var std = STANDARDS[versions[i]];
      var api = climb(window, std.apiName, std.calls.init);
      if (!api && window.opener) {
        try {
          api = climb(window.opener, std.apiName, std.calls.init);
        } catch (e) {
          api = null;
        }
      }
      if (api) return { api: api, version: versions[i] };
    }
    return null;
  }

  var scorm = window.finwaveScorm = { active: false, compact: compact, expand: expand, standards: STANDARDS };
  var found = findApi();
  if (!found) return;
  var api = found.api;
  var std = STANDARDS[found.version];
  scorm.version = found.version;

  function call(which, args) {
    var name = std.calls[which];
    var result;
    try {
      result = api[name].apply(api, args || ['']);
    } catch (error) {
      warn(name + ' threw:', error);
      return '';
    }
    if (result === 'false' || result === false) {
      var code = '';
      try {
        code = api[std.calls.error]();
      } catch (e) {
        code = '?';
      }
      warn(name + '(' + (args || []).join(', ').slice(0, 80) + ') failed: error ' + code);
    }
    return String(result);
  }
  function get(name) { return call('get', [name]); }
  function set(name, value) { return call('set', [name, String(value)]); }

  if (call('init') !== 'true') {
    warn('the LMS refused to initialize: FinWave keeps the progress in this browser instead');
    return;
  }
  scorm.active = true;
  var started = Date.now();
  var finished = false;

  // The launch data: the package's own parameters (mode=quiz, question=ID,
  // lesson, lang, step), applied as URL parameters before the app reads them.
  // The URL of the launch wins over the launch data.
  var LAUNCH_KEYS = ['lesson', 'question', 'mode', 'lang', 'step', 'embed', 'profile'];
  (function applyLaunchData() {
    var data = get(std.launchData);
    if (!data) return;
    var from = new URLSearchParams(data.replace(/^\?/, ''));
    var params = new URLSearchParams(location.search);
    var changed = false;
    from.forEach(function (value, key) {
      if (LAUNCH_KEYS.indexOf(key) < 0) {
        warn('launch data: "' + key + '" is not a FinWave parameter; ignored');
        return;
      }
      if (!params.has(key)) {
        params.set(key, value);
        changed = true;
      }
    });
    if (changed) history.replaceState(history.state, '', location.pathname + '?' + params.toString() + location.hash);
  })();

  var launch = new URLSearchParams(location.search);
  var scopeLesson = launch.get('lesson');
  var scopeQuestion = launch.get('question');

  // SCORM 2004 answers GetValue of an element never set with an error:
  // what a previous attempt kept is there only on a resume.
  var resuming = found.version === '1.2' || get('cmi.entry') === 'resume';
  var suspend = resuming ? get(std.suspend) : '';
  var place = resuming ? get(std.location) : '';
  var mastery = null;
  (function readMastery() {
    var text = get(std.mastery);
    var value = text === '' ? NaN : Number(text);
    if (isFinite(value) && value >= 0 && value <= std.masteryScale) mastery = value / std.masteryScale;
  })();

  // Status, in each standard's terms.
  var status;  // 1.2: lesson_status
  var completion;  // 2004: completion_status
  var success;  // 2004: success_status
  if (found.version === '1.2') {
    status = get('cmi.core.lesson_status');
    if (status === 'not attempted' || status === '') {
      status = 'incomplete';
      set('cmi.core.lesson_status', status);
    }
  } else {
    completion = get('cmi.completion_status');
    success = get('cmi.success_status');
    if (completion === 'not attempted' || completion === 'unknown' || completion === '') {
      completion = 'incomplete';
      set('cmi.completion_status', completion);
    }
  }

  // What the app keeps, as the app would find it in localStorage. A
  // suspend_data that is not ours is handed over as it is: the app
  // discards it with a note (and overwrites it), as with a broken save.
  var saved = suspend ? expand(suspend) : null;
  var values = {
    'finwave.progress': suspend ? (saved ? saved.progress : suspend) : null,
    'finwave.lang': saved ? saved.lang : null,
    'finwave.place': place || null,
  };
  var dirty = false;
  var commitTimer = 0;

  function scheduleCommit() {
    dirty = true;
    clearTimeout(commitTimer);
    commitTimer = setTimeout(commit, 0);
  }

  // Every commit carries the session time and the exit mode, so that the
  // LMS has them even if nothing arrives when the page goes away.
  function writeSession() {
    set(std.sessionTime, std.duration(Date.now() - started));
    var done = found.version === '1.2' ? (status === 'passed' || status === 'completed') : completion === 'completed';
    // "suspend": the LMS keeps suspend_data for the next launch.
    set(std.exit, done ? std.exitDone : 'suspend');
  }

  function commit() {
    if (!dirty || finished) return;
    dirty = false;
    set(std.suspend, compact(values['finwave.progress'], values['finwave.lang'], std.suspendLimit));
    if (values['finwave.place'] !== null) set(std.location, values['finwave.place'].slice(0, std.locationLimit));
    writeSession();
    call('commit');
  }

  scorm.storage = {
    getItem: function (key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : null;
    },
    setItem: function (key, value) {
      values[key] = String(value);
      scheduleCommit();
    },
    removeItem: function (key) {
      values[key] = null;
      scheduleCommit();
    },
  };

  // --- Score and status ----------------------------------------------------------------
  // score: [right, total, attempted] of the questions in scope.
  function report(score) {
    var right = score[0];
    var total = score[1];
    var attempted = score[2] === undefined ? right : score[2];
    if (total <= 0) return;
    var scaled = right / total;
    var allAttempted = attempted >= total;
    if (found.version === '1.2') {
      set('cmi.core.score.min', '0');
      set('cmi.core.score.max', '100');
      set('cmi.core.score.raw', String(Math.round(100 * scaled)));
      if (mastery !== null) {
        // Against the LMS's mastery score; passed stays passed.
        if (status !== 'passed') status = scaled >= mastery ? 'passed' : allAttempted ? 'failed' : 'incomplete';
      } else if (status !== 'completed' && status !== 'passed') {
        status = right === total ? 'completed' : 'incomplete';
      }
      set('cmi.core.lesson_status', status);
    } else {
      set('cmi.score.min', '0');
      set('cmi.score.max', String(total));
      set('cmi.score.raw', String(right));
      set('cmi.score.scaled', String(Math.round(scaled * 10000) / 10000));
      if (completion !== 'completed') completion = right === total || (mastery !== null && allAttempted) ? 'completed' : 'incomplete';
      set('cmi.completion_status', completion);
      if (mastery !== null) {
        if (success !== 'passed') success = scaled >= mastery ? 'passed' : allAttempted ? 'failed' : 'unknown';
        set('cmi.success_status', success);
      }
    }
    dirty = true;
    commit();
  }

  function scoreOf(event) {
    if (scopeQuestion) {
      if (event.type !== 'answered' || event.question !== scopeQuestion) return null;
      return [event.correct ? 1 : 0, 1, 1];
    }
    if (scopeLesson) return event.lesson === scopeLesson ? event.score.lesson : null;
    return event.score.course;
  }

  // --- Interactions ----------------------------------------------------------------
  // One record per answer (SCORM 1.2's interactions are a journal: written,
  // never read back). The latency runs from the moment the question's step
  // was shown, or from the previous attempt at the same question.
  var INTERACTION_TYPE = { choice: 'choice', predict: 'choice', lost: 'choice', field: 'numeric', order: 'sequencing' };
  var interactionCount = Number(get('cmi.interactions._count')) || 0;
  var shownAt = started;
  var lastAttempt = {};

  function responseText(kind, letters) {
    if (kind === 'order') return std.interaction.sequence(letters);
    return std.interaction.choice(letters);
  }

  // "C[,]A[,]B" or "B" or "202", as the app reports them.
  function responseOf(event, text) {
    if (event.kind === 'field') return String(text);
    return responseText(event.kind, String(text).split('[,]'));
  }

  function interactionId(event) {
    if (found.version === '2004') return window.finwaveHost ? window.finwaveHost.questionId(event.lesson, event.question) : 'urn:finwave:' + event.lesson + ':' + event.question;
    // SCORM 1.2's CMIIdentifier: printable characters, no URI needed.
    return (event.lesson + '.' + event.question).slice(0, 255);
  }

  function recordInteraction(event) {
    var key = event.lesson + '/' + event.question;
    var now = Date.now();
    var since = lastAttempt[key] !== undefined ? lastAttempt[key] : shownAt;
    lastAttempt[key] = now;
    var n = 'cmi.interactions.' + interactionCount + '.';
    // The id first: the standards create the record with it.
    if (set(n + 'id', interactionId(event)) !== 'true') return;
    interactionCount += 1;
    set(n + 'type', INTERACTION_TYPE[event.kind] || 'choice');
    if (event.correct_response !== undefined && event.correct_response !== null) {
      set(n + 'correct_responses.0.pattern', responseOf(event, event.correct_response));
    }
    set(n + std.interaction.response, responseOf(event, event.response));
    set(n + 'result', event.correct ? 'correct' : std.interaction.wrong);
    set(n + 'latency', std.duration(now - since));
    set(n + std.interaction.time, std.interaction.when(new Date(now)));
    if (std.interaction.describe && event.prompt) {
      var tag = event.lang === 'zh' ? 'zh-CN' : 'en-US';
      set(n + 'description', '{lang=' + tag + '}' + String(event.prompt).slice(0, 250));
    }
  }

  function finish() {
    if (finished) return;
    if (dirty) {
      // Only setting values here: no commit, which would need a request the
      // browser refuses while the page goes away. Finish sends them.
      set(std.suspend, compact(values['finwave.progress'], values['finwave.lang'], std.suspendLimit));
      if (values['finwave.place'] !== null) set(std.location, values['finwave.place'].slice(0, std.locationLimit));
    }
    writeSession();
    finished = true;
    call('finish');
  }

  function inScope(event) {
    if (scopeQuestion) return event.question === scopeQuestion;
    if (scopeLesson) return event.lesson === scopeLesson;
    return true;
  }

  function listen() {
    var host = window.finwaveHost;
    if (!host) return;
    host.on('ready', function (event) {
      var s = event.state;
      var right = 0;
      var total = 0;
      var attempted = 0;
      s.lessons.forEach(function (l) {
        if (scopeLesson && l.id !== scopeLesson) return;
        right += l.score;
        total += l.total;
        attempted += l.attempted === undefined ? l.score : l.attempted;
      });
      if (scopeQuestion) return;  // reported with its first answer
      report([right, total, attempted]);
    });
    host.on('mirror-doc', function () { shownAt = Date.now(); });
    host.on('answered', function (event) {
      if (!inScope(event)) return;
      recordInteraction(event);
      var score = scoreOf(event);
      if (score) report(score);
    });
    host.on('completed', function (event) {
      var score = scoreOf(event);
      if (score) report(score);
    });
  }
  if (window.finwaveHost) listen();
  else document.addEventListener('DOMContentLoaded', listen);

  // pagehide, not beforeunload: the latter also fires when leaving is then
  // cancelled, and a finished SCO cannot report again.
  window.addEventListener('pagehide', finish);
})();
