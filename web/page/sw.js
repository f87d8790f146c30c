// FinWave's service worker: every file of one build, kept in a cache named
// after the build, so that after one visit the tutor (app, lessons, fonts)
// runs with no network at all.
//
// scripts/stamp-offline.py writes BUILD (a hash of the build's files) and
// FILES into the copy in dist/ for each build, and build.json beside it. A
// new build reaches a learner two ways:
//   - the browser finds a new sw.js, installs it (which fetches the new
//     files) and lets it take over;
//   - the page (offline.js) finds a new build.json and asks this worker to
//     fetch that build now. Browsers look for a new sw.js only once the page
//     leaves them an idle moment, which a page that draws every frame on a
//     slow machine may never do.
// Either way the new build's cache serves once it is complete, and the old
// build's cache is deleted. The learner's progress is in localStorage, which
// no build touches.
'use strict';

const BUILD = '@FINWAVE_BUILD@';
const FILES = ['@FINWAVE_FILES@'];
const PREFIX = 'finwave-';
const CACHE = `${PREFIX}${BUILD}`;
// Which build's cache serves: this script's, or a newer one fetched on the
// page's request. Not PREFIX: it is no build.
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

// {type: "finwave-new-build"} from a page: fetch the build that build.json
// names, serve it, and tell the pages.
self.addEventListener('message', (event) => {
  if (!event.data || event.data.type !== 'finwave-new-build') return;
  event.waitUntil((async () => {
    const response = await fetch('build.json', { cache: 'no-store' });
    const next = await response.json();
    if (typeof next.build !== 'string' || !/^[0-9a-f]{16}$/.test(next.build) || !Array.isArray(next.files)) return;
    const name = `${PREFIX}${next.build}`;
    if (name === await servingCache()) return;
    await fill(name, next.files.filter((f) => typeof f === 'string'));
    await serveFrom(name);
    for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'finwave-updated', build: next.build });
  })().catch(() => {
    // The network went away mid-way: the old build keeps serving; the next visit tries again.
  }));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(await servingCache());
    // The page's own parameters (?lesson=..) do not make another file.
    const key = request.mode === 'navigate' && url.pathname.endsWith('/') ? new URL('index.html', url).href : request;
    const hit = await cache.match(key, { ignoreSearch: true });
    return hit || fetch(request);
  })());
});
