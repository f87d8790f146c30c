// Offline use: registers the service worker (sw.js, written for each build
// by scripts/stamp-offline.py), which keeps every file of this build so that
// after one visit the whole tutor works without a network. Registered once
// the app has drawn its first frame, so that it never competes with the
// first load. When a new build takes over a page that an older one served,
// a note offers to reload.
//
// Not inside an LMS: there the LMS is the network the tutor needs anyway.
(function () {
  'use strict';
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  if (window.finwaveScorm && window.finwaveScorm.active) return;

  var servedByOlderBuild = !!navigator.serviceWorker.controller;

  function words(key, fallback) {
    var doc = document.getElementById('a11y');
    var text = doc && doc.getAttribute('data-' + key.replace('.', '-'));
    return text || fallback;
  }

  function showUpdateNote() {
    if (document.getElementById('update-note')) return;
    var note = document.createElement('div');
    note.id = 'update-note';
    note.setAttribute('role', 'status');
    var text = document.createElement('span');
    text.textContent = words('a11y.updated', 'FinWave has been updated. Reload to use the new version.');
    var reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = words('a11y.reload', 'Reload');
    reload.addEventListener('click', function () { location.reload(); });
    note.appendChild(text);
    note.appendChild(reload);
    document.body.appendChild(note);
  }

  navigator.serviceWorker.addEventListener('controllerchange', function () {
    if (servedByOlderBuild) showUpdateNote();
    servedByOlderBuild = true;
  });
  navigator.serviceWorker.addEventListener('message', function (event) {
    if (event.data && event.data.type === 'finwave-updated') showUpdateNote();
  });

  // A page of an older build, served by the worker, asks it for the build
  // now on the server (see web/page/sw.js for why the browser may not).
  function lookForNewBuild() {
    var worker = navigator.serviceWorker.controller;
    var meta = document.querySelector('meta[name="finwave-build"]');
    if (!worker || !meta || !navigator.onLine) return;
    fetch('build.json', { cache: 'no-store' }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (latest) {
      if (latest && typeof latest.build === 'string' && latest.build !== meta.content) worker.postMessage({ type: 'finwave-new-build' });
    }).catch(function () {
      // The server is not there: this build goes on serving.
    });
  }

  function register() {
    navigator.serviceWorker.getRegistration().then(function (existing) {
      if (!existing) return navigator.serviceWorker.register('sw.js');
      lookForNewBuild();
      // A visit after the first: look for a new build now, not only when
      // the browser gets round to it (offline there is nothing to find).
      if (navigator.onLine) existing.update().catch(function () {});
      return existing;
    }).catch(function (error) {
      console.warn('finwave: offline use is not available here:', error && error.message);
    });
  }
  if (window.finwaveHost) window.finwaveHost.on('ready', register);
  else window.addEventListener('load', register);
})();
