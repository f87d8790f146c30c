// Offline use: registers the service worker (sw.js, written for each build
// by scripts/stamp-offline.py), which keeps every file of this build so that
// after one visit the whole tutor works without a network. Registered once
// the app has drawn its first frame, so that it never competes with the
// first load. Once this build is kept, a small mark says the app is
// available offline; when a new build takes over a page that an older one
// served, a note offers to reload.
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

  // Once this build's worker is active its cache holds every file (the
  // install fills it all or not at all): the learner may go offline. The
  // mark follows the learner's language.
  function showOfflineMark() {
    var mark = document.getElementById('offline-mark');
    if (!mark) {
      mark = document.createElement('div');
      mark.id = 'offline-mark';
      mark.setAttribute('role', 'status');
      document.body.appendChild(mark);
      if (window.finwaveHost) window.finwaveHost.on('mirror-doc', function () {
        mark.textContent = words('a11y.offline_ready', mark.textContent);
      });
    }
    mark.textContent = words('a11y.offline_ready', 'Available offline');
  }

  // A new build is found by the browser itself: it checks sw.js on each
  // navigation, and again when the page leaves it an idle moment (the app
  // draws only when something changes). The page polls nothing, so an
  // offline launch makes no request that can fail.
  function register() {
    navigator.serviceWorker.getRegistration().then(function (existing) {
      return existing || navigator.serviceWorker.register('sw.js');
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (registration.active) showOfflineMark();
    }).catch(function (error) {
      console.warn('finwave: offline use is not available here:', error && error.message);
    });
  }
  if (window.finwaveHost) window.finwaveHost.on('ready', register);
  else window.addEventListener('load', register);
})();
