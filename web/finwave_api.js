// window.finwave: the app's JavaScript API, for the page, tests and pages
// that embed FinWave. A thin layer over the C functions that main.cpp
// exports (EMSCRIPTEN_KEEPALIVE); the work is done by web/model/.
//
//   finwave.state()        -> object:
//     ready, frame, first_frame_ms    the app has drawn; frames drawn so far (none
//                                     while nothing changes); when the first was
//                                     (performance.now())
//     lang                            "en" | "zh"
//     lesson {id, title, file, step (from 1), steps, step_title} | null
//     sandbox                         built-in scenario in free play, or ""
//     mode, embed                     "lesson" | "quiz" | "sandbox"; the compact
//                                     layout (URL parameters, docs/embedding.md)
//     lessons [{id, title, order, score, total, langs}], problems ["file:line: why"]
//     notices [{level, key, text}]    what the app is telling the learner
//     sim {t_us, view_us, playing, speed, finished, position, step_start,
//          trace_len, profile, client {state, timers {name: deadline_us|null}},
//          server {...}, in_flight [{id, from, flags, sent_us, arrives_us, len,
//          retransmission}], last_events [{i, t_us, side, kind, text}],
//          retransmissions, drops [{id, t_us, flags, learner}]} | null
//     quiz {score, total, questions [{id, kind, step, attempts, correct, ...}]}
//     ui {name: [x, y, w, h]}         CSS-pixel rectangles of the widgets drawn
//                                     last frame, so tests click where they are
//     perf {samples, frame_ms_p50, frame_ms_p95, frame_ms_max}
//
//   finwave.command(text)  -> "ok" | "error: why" (| "pong" for "ping"):
//     lesson ID [STEP]   step N   next   back   lang en|zh   sandbox SCENARIO
//     play   pause   toggle   event   timer   rewind [N]   rewind-to-event I   reset
//     speed X (virtual seconds per second)
//     pause-on-state on|off (pause at each change of state)
//     call client|server close|shutdown|send N|read|abort|exit|connect|...
//     drop ID   duplicate ID   delay ID   drop-next client|server
//     profile linux|rfc   set KNOB=VALUE   knobs-default
//     answer QUESTION A|B|...|text|number   order-move QUESTION FROM TO   reset-progress
//     select [SEGMENT_ID]   perf-reset
//     host-poll          JSON for the page around the app (web/page/host.js polls it
//                        once per frame; web/model/host_feed.hpp): not for tests
//
// The app draws only when something visible changes (web/main.cpp). SDL
// wakes it for input; what else can change the picture is the page's to
// tell: the canvas resized without a window resize (an iframe, the page's
// own layout), a new device pixel ratio (zoom, another screen) and the tab
// shown again. After each frame drawn, a "finwave-frame" event on window
// tells the page (web/page/host.js reads what changed then).
function finwaveWakeSources() {
  var wake = function () { _finwave_wake(); };
  var canvas = Module['canvas'];
  // Device pixels, not CSS pixels: a zoom changes those without a resize.
  if (canvas && typeof ResizeObserver === 'function') {
    try {
      new ResizeObserver(wake).observe(canvas, { box: 'device-pixel-content-box' });
    } catch (e) {
      new ResizeObserver(wake).observe(canvas);
    }
  }
  window.addEventListener('resize', wake);
  document.addEventListener('visibilitychange', wake);
  // A media query matches one ratio only: listen again at the new one.
  (function watchRatio() {
    if (!window.matchMedia) return;
    var query = window.matchMedia('(resolution: ' + window.devicePixelRatio + 'dppx)');
    var changed = function () {
      query.removeEventListener('change', changed);
      wake();
      watchRatio();
    };
    query.addEventListener('change', changed);
  })();
  var announced = false;
  Module['finwaveFrameDrawn'] = function () {
    if (announced) return;
    announced = true;
    queueMicrotask(function () {
      announced = false;
      window.dispatchEvent(new Event('finwave-frame'));
    });
  };
}

// Defined after main() has started (postRun), so a caller that sees
// window.finwave can call it; state().ready says a frame has been drawn.
addOnPostRun(finwaveWakeSources);
addOnPostRun(function () {
  var state = cwrap('finwave_state', 'string', []);
  var command = cwrap('finwave_command', 'string', ['string']);
  window.finwave = {
    state: function () {
      return JSON.parse(state());
    },
    command: function (text) {
      return command(String(text));
    },
  };
});
