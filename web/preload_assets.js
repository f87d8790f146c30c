// Files the app opens at start, fetched from the site (relative to the page)
// and written to the same path in Emscripten's in-memory file system before
// main() runs: a run dependency holds main() back until each one is there.
//
// Fetched rather than packed with --preload-file so that a change of content
// (the font subset follows the lessons) needs no relink.
//
// Runs inside the module's scope (--pre-js), before the runtime's own
// preRun handling, hence Module['preRun'] rather than addOnPreRun.
var finwaveAssets = ['assets/fonts/finwave-ui.ttf'];

Module['preRun'] = [].concat(Module['preRun'] || [], function () {
  finwaveAssets.forEach(function (path) {
    var dependency = 'finwave asset ' + path;
    addRunDependency(dependency);
    fetch(path)
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status + ' ' + response.statusText);
        }
        return response.arrayBuffer();
      })
      .then(function (data) {
        FS.mkdirTree('/' + path.slice(0, path.lastIndexOf('/')));
        FS.writeFile('/' + path, new Uint8Array(data));
        removeRunDependency(dependency);
      })
      .catch(function (error) {
        // abort() reports through Module.onAbort (the page shows it) and then
        // throws; that throw has already been reported, so swallow it here.
        try {
          abort('cannot load ' + path + ': ' + error.message);
        } catch (e) {}
      });
  });
});
