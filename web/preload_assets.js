// Files the app opens at start, fetched from the site (relative to the page)
// and written to the same path in Emscripten's in-memory file system before
// main() runs: a run dependency holds main() back until all of them are there.
//
// Fetched rather than packed with --preload-file so that a change of content
// (lessons, and the font subset that follows them) needs no relink.
//
// Nothing here may stop the app: a file that fails to load is written down in
// /finwave/load-errors.txt ("path<TAB>reason" per line) and the app says so
// on screen. The lessons are whatever lessons/index.json lists (written from
// the folder by scripts/publish-site.py, at build time and whenever a teacher
// publishes into a built site), so a new lesson needs no code.
//
// Runs inside the module's scope (--pre-js), before the runtime's own
// preRun handling, hence Module['preRun'] rather than addOnPreRun.
var finwaveAssets = ['assets/fonts/finwave-ui.ttf', 'assets/fonts/finwave-mono.ttf'];
var finwaveLoadErrors = [];
var finwaveLessonsLoaded = [];
// [path, data]: what arrived, written to the file system in preRun. The
// fetches start as soon as this script runs, beside the wasm's own: preRun
// itself waits for the wasm to be compiled and instantiated, and fetching
// only from there made the fonts and lessons wait for it (and the lessons
// for their index after that).
var finwaveArrived = [];
// A lesson path as the index may list it: a language folder and a .md file,
// nothing that could climb out of lessons/.
var finwaveLessonPath = /^[a-z]{2}\/[A-Za-z0-9._-]+\.md$/;

function finwaveWrite(path, data) {
  FS.mkdirTree(path.slice(0, path.lastIndexOf('/')) || '/');
  FS.writeFile(path, data);
}

function finwaveLoadError(line) {
  finwaveLoadErrors.push(line);
}

function finwaveFetch(path, as) {
  return fetch(path).then(function (response) {
    if (!response.ok) throw new Error('HTTP ' + response.status + ' ' + response.statusText);
    return as === 'text' ? response.text() : response.arrayBuffer();
  });
}

// The lessons of the site: every file lessons/index.json lists.
function finwaveLoadIndex() {
  return finwaveFetch('lessons/index.json', 'text')
    .then(function (text) {
      var index;
      try {
        index = JSON.parse(text);
      } catch (e) {
        throw new Error('not valid JSON (' + e.message + ')');
      }
      if (!index || !Array.isArray(index.files)) throw new Error('no "files" list');
      return Promise.all(index.files.map(function (file) {
        if (typeof file !== 'string' || !finwaveLessonPath.test(file)) {
          finwaveLoadError('lessons/' + String(file) + '\tnot a lesson file (lessons/<lang>/<name>.md): ignored');
          return null;
        }
        return finwaveFetch('lessons/' + file, 'text')
          .then(function (lesson) {
            finwaveArrived.push(['/lessons/' + file, lesson]);
            finwaveLessonsLoaded.push(file);
          })
          .catch(function (error) { finwaveLoadError('lessons/' + file + '\t' + error.message); });
      }));
    })
    .catch(function (error) { finwaveLoadError('lessons/index.json\t' + error.message); });
}

// A share link's lesson instead of the site's: exactly what the teacher
// wrote, alone, in its language (web/platform.cpp opens it).
function finwaveUseShare(lesson) {
  var file = lesson.lang + '/shared.md';
  finwaveArrived.push(['/lessons/' + file, lesson.text]);
  finwaveLessonsLoaded.push(file);
  var id = /^id:[ \t]*([A-Za-z0-9_-]+)[ \t]*$/m.exec(lesson.text);
  Module['finwaveShare'] = { lang: lesson.lang, lesson: id ? id[1] : '' };
}

// Settles (never rejects) once every file has arrived or failed.
var finwaveLoading = (function () {
  var fonts = finwaveAssets.map(function (path) {
    return finwaveFetch(path, 'binary')
      .then(function (data) { finwaveArrived.push(['/' + path, new Uint8Array(data)]); })
      .catch(function (error) { finwaveLoadError(path + '\t' + error.message); });
  });
  var shared = finwaveReadShare(String(window.location.hash || ''));
  var lessons = (shared ? shared.then(finwaveUseShare, function (error) {
    // A link that cannot be read: the site's own lessons, and a notice.
    finwaveLoadError('share\t' + (error.code || 'damaged') + '\t' + (error.code ? error.arg : error.message));
    return finwaveLoadIndex();
  }) : finwaveLoadIndex())
    .catch(function (error) { finwaveLoadError('lessons\t' + (error && error.message)); });
  return Promise.all(fonts.concat([lessons]));
})();

Module['preRun'] = [].concat(Module['preRun'] || [], function () {
  addRunDependency('finwave files');
  finwaveLoading.then(function () {
    finwaveArrived.forEach(function (file) { finwaveWrite(file[0], file[1]); });
    finwaveArrived = [];
    finwaveWrite('/finwave/load-errors.txt', finwaveLoadErrors.join('\n'));
    finwaveWrite('/finwave/lessons.txt', finwaveLessonsLoaded.sort().join('\n'));
    removeRunDependency('finwave files');
  });
});
