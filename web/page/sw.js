// FinWave's service worker: every file of one build, kept in a cache named
// after the build, so that after one visit the tutor (app, lessons, fonts)
// runs with no network at all.
//
// scripts/stamp-offline.py writes BUILD (a hash of the build's files) and
// FILES into the copy in dist/ for each build. A new build reaches a learner
// through the browser's own update check: it finds a new sw.js (on a
// navigation, or when the page is idle), installs it, which fetches the new
// files into a cache of their own, and lets it take over; the old build's
// cache is then deleted. The learner's progress is in localStorage, which no
// build touches.
//
// The lessons and their index are the exception: a teacher publishes new
// ones into a built site (scripts/publish-site.py), and a returning learner
// must see them on the very next visit, not one update later. So they are
// asked of the network first (revalidated: a 304 costs a few bytes), kept
// in the cache when they come, and taken from the cache only when the
// network fails or is too slow to wait for.
'use strict';

const BUILD = '@FINWAVE_BUILD@';
const FILES = ['@FINWAVE_FILES@'];
const PREFIX = 'finwave-';
const CACHE = `${PREFIX}${BUILD}`;
// Which build's cache serves (this script's once it is active). Not PREFIX:
// it is no build.
const SERVING = 'finwave.serving';

async function fill(name, files) {
  const cache = await caches.open(name);
  // Revalidated, not taken from the HTTP cache: this build's bytes. All or
  // nothing: addAll stores none if one fails.
  await cache.addAll(files.map((file) => new Request(file, { cache: 'no-cache' })));
}

async function serveFrom(name) {
  const serving = await caches.open(SERVING);
  await serving.put('name', new Response(name));
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== name).map((n) => caches.delete(n)));
}

async function servingCache() {
  const entry = await (await caches.open(SERVING)).match('name');
  const name = entry ? await entry.text() : CACHE;
  return (await caches.has(name)) ? name : CACHE;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await fill(CACHE, FILES);
    // Every file is loaded when the app starts, so an open page of the old
    // build loses nothing when this one takes over at once.
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    await serveFrom(CACHE);
    await self.clients.claim();
  })());
});

const FALLBACK_FONT = '/assets/fonts/finwave-fallback.ttf';
// Where the lessons are, under this worker's scope (the site may be served
// from a sub-folder).
const LESSONS = new URL('lessons/', self.registration.scope).pathname;
// How long a lesson waits for the network before the kept copy is used: a
// network that is there but stalls (a captive portal, a train) must not
// hold the app's start; the answer, when it comes, is still kept.
const NETWORK_WAIT_MS = 3000;

// The network's copy when it answers in time, else the cache's; the
// network's answer is kept whenever it arrives, for the next visit and for
// offline use. Only a missing copy makes the learner wait for the network.
async function networkFirst(event, cache, key) {
  const fresh = fetch(new Request(event.request, { cache: 'no-cache' })).then(async (response) => {
    if (response.ok) await cache.put(key, response.clone());
    return response;
  });
  // A late answer is still kept after the page has had the cached copy.
  event.waitUntil(fresh.catch(() => {}));
  const kept = await cache.match(key, { ignoreSearch: true });
  if (!kept) return fresh;
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve(null), NETWORK_WAIT_MS); });
  try {
    const response = await Promise.race([fresh, late]);
    // A server error is no newer lesson: the kept copy is better.
    return response && response.ok ? response : kept;
  } catch (error) {
    return kept;  // offline, or the server is gone
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(await servingCache());
    // The page's own parameters (?lesson=..) do not make another file.
    const key = request.mode === 'navigate' && url.pathname.endsWith('/') ? new URL('index.html', url).href : request;
    if (url.pathname.startsWith(LESSONS)) return networkFirst(event, cache, key);
    const hit = await cache.match(key, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(request);
    // The fallback font is not fetched at install (most learners never need
    // it); once the app has needed it, it is kept for offline use too.
    if (response.ok && url.pathname.endsWith(FALLBACK_FONT)) await cache.put(key, response.clone());
    return response;
  })());
});
