// window.finwave: the app's JavaScript API, for the page and for tests. A thin
// layer over the C functions that main.cpp exports (EMSCRIPTEN_KEEPALIVE).
//
//   finwave.state()        -> object, e.g. {ready: true, frame: 42, ...}
//   finwave.command(text)  -> string reply, e.g. command('ping') === 'pong'
//
// Defined after main() has started (postRun), so a caller that sees
// window.finwave can call it; state().ready says a frame has been drawn.
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
