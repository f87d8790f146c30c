// FinWave as a SCORM 1.2 SCO (the package scripts/make-scorm.py builds).
//
// Runs before the app starts. When an LMS provides the SCORM 1.2 API (an
// object `API` on window.parent, a parent of it, or window.opener's chain:
// the search of the SCORM 1.2 run-time specification), FinWave:
//   - calls LMSInitialize and reads the learner's record,
//   - keeps its state there instead of in localStorage (the store handed to
//     the module as Module.finwaveStorage, see web/platform.cpp):
//       answers and language -> cmi.suspend_data (compact, < 4096 chars)
//       where the learner is -> cmi.core.lesson_location
//   - reports cmi.core.score.raw/min/max (0-100: the share of questions
//     answered right) and cmi.core.lesson_status ("incomplete", then
//     "completed" when every question is right), then LMSCommit,
//   - on leaving the page: cmi.core.exit, cmi.core.session_time, LMSFinish.
// The questions counted are those of the lesson in the launch URL
// (?lesson=ID), or of every lesson.
//
// Without an LMS nothing here happens.
(function () {
  'use strict';

  var SUSPEND_LIMIT = 4096;  // cmi.suspend_data is a CMIString4096
  var LOCATION_LIMIT = 255;  // cmi.core.lesson_location is a CMIString255
  var FORMAT = 'F1';
  var SEARCH_LIMIT = 500;    // parents to climb, as in ADL's own search

  function warn() {
    console.warn.apply(console, ['finwave (SCORM):'].concat([].slice.call(arguments)));
  }

  // --- Compact progress ------------------------------------------------------------------
  // The app's progress JSON ({"format":"finwave-progress","version":1,
  // "lessons":{LESSON:{QUESTION:{correct,first_try,attempts}}}}) is too
  // verbose for 4096 characters. Compact form:
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
    limit = limit || SUSPEND_LIMIT;
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

  // --- Finding the LMS ----------------------------------------------------------------
  function climb(win) {
    for (var tries = 0; win && tries <= SEARCH_LIMIT; ++tries) {
      try {
        if (win.API && typeof win.API.LMSInitialize === 'function') return win.API;
      } catch (e) {
        return null;  // another origin: the LMS is never there
      }
      if (!win.parent || win.parent === win) return null;
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    var api = climb(window);
    if (!api && window.opener) {
      try {
        api = climb(window.opener);
      } catch (e) {
        api = null;
      }
    }
    return api;
  }

  var scorm = window.finwaveScorm = { active: false, compact: compact, expand: expand };
  var api = findApi();
  if (!api) return;

  function call(name, args) {
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
        code = api.LMSGetLastError();
      } catch (e) {
        code = '?';
      }
      warn(name + '(' + (args || []).join(', ').slice(0, 80) + ') failed: error ' + code);
    }
    return String(result);
  }

  if (call('LMSInitialize') !== 'true') {
    warn('the LMS refused LMSInitialize: FinWave keeps the progress in this browser instead');
    return;
  }
  scorm.active = true;
  var started = Date.now();
  var finished = false;
  var suspend = call('LMSGetValue', ['cmi.suspend_data']);
  var place = call('LMSGetValue', ['cmi.core.lesson_location']);
  var status = call('LMSGetValue', ['cmi.core.lesson_status']);
  if (status === 'not attempted' || status === '') {
    status = 'incomplete';
    call('LMSSetValue', ['cmi.core.lesson_status', status]);
  }
  var scopeLesson = new URLSearchParams(location.search).get('lesson');

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

  function commit() {
    if (!dirty || finished) return;
    dirty = false;
    var data = compact(values['finwave.progress'], values['finwave.lang']);
    call('LMSSetValue', ['cmi.suspend_data', data]);
    if (values['finwave.place'] !== null) call('LMSSetValue', ['cmi.core.lesson_location', values['finwave.place'].slice(0, LOCATION_LIMIT)]);
    call('LMSCommit');
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

  // Score and status from the app's own count of right answers.
  function report(right, total) {
    if (total <= 0) return;
    call('LMSSetValue', ['cmi.core.score.min', '0']);
    call('LMSSetValue', ['cmi.core.score.max', '100']);
    call('LMSSetValue', ['cmi.core.score.raw', String(Math.round(100 * right / total))]);
    // Never back from completed (an LMS may also have passed the learner).
    if (right === total && status !== 'completed' && status !== 'passed') status = 'completed';
    if (status !== 'completed' && status !== 'passed') status = 'incomplete';
    call('LMSSetValue', ['cmi.core.lesson_status', status]);
    dirty = true;
    commit();
  }

  function scoreOf(event) {
    if (scopeLesson) return event.lesson === scopeLesson ? event.score.lesson : null;
    return event.score.course;
  }

  function sessionTime(ms) {
    var s = Math.floor(ms / 1000);
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return pad(Math.min(9999, Math.floor(s / 3600))) + ':' + pad(Math.floor(s / 60) % 60) + ':' + pad(s % 60);
  }

  function finish() {
    if (finished) return;
    dirty = true;
    commit();
    call('LMSSetValue', ['cmi.core.session_time', sessionTime(Date.now() - started)]);
    // "suspend": the LMS keeps suspend_data for the next launch.
    call('LMSSetValue', ['cmi.core.exit', status === 'completed' || status === 'passed' ? '' : 'suspend']);
    call('LMSCommit');
    call('LMSFinish');
    finished = true;
  }

  function listen() {
    var host = window.finwaveHost;
    if (!host) return;
    host.on('ready', function (event) {
      var s = event.state;
      var right = 0;
      var total = 0;
      s.lessons.forEach(function (l) {
        if (scopeLesson && l.id !== scopeLesson) return;
        right += l.score;
        total += l.total;
      });
      report(right, total);
    });
    ['answered', 'completed'].forEach(function (type) {
      host.on(type, function (event) {
        var score = scoreOf(event);
        if (score) report(score[0], score[1]);
      });
    });
  }
  if (window.finwaveHost) listen();
  else document.addEventListener('DOMContentLoaded', listen);

  // pagehide, not beforeunload: the latter also fires when leaving is then
  // cancelled, and a finished SCO cannot report again.
  window.addEventListener('pagehide', finish);
})();
