// scripts/serve.py as a static host: brotli or gzip when asked for (the
// precompressed copies when present), correct types, revalidation by ETag,
// Cache-Control by whether a name carries a content hash, nothing outside
// the site.
//
//   scripts/build-web.sh && node --test tests/browser/serve.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { DIST, startServer } from './harness.mjs';

let site;
let server;

before(async () => {
  site = await mkdtemp(path.join(os.tmpdir(), 'finwave-serve-'));
  await cp(DIST, site, { recursive: true });
  await writeFile(path.join(site, 'app.0123abcd.js'), 'console.log("hashed");\n'.repeat(40));
  server = await startServer(site);
});

after(async () => {
  server?.child.kill();
  await rm(site, { recursive: true, force: true });
});

const get = (file, headers = {}) => fetch(new URL(file, server.url), { headers });

test('the wasm goes as brotli, gzip or as it is, as the browser accepts; the bytes are the file', async () => {
  const original = await readFile(path.join(site, 'finwave.wasm'));
  // fetch() in node decodes by itself: read the raw body with its own coding.
  for (const [accept, coding, decode] of [['br, gzip', 'br', brotliDecompressSync], ['gzip', 'gzip', gunzipSync], ['identity', null, (b) => b]]) {
    const response = await get('finwave.wasm', { 'Accept-Encoding': accept });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/wasm');
    assert.equal(response.headers.get('content-encoding'), coding, accept);
    assert.equal(response.headers.get('vary'), 'Accept-Encoding');
    const sent = Number(response.headers.get('content-length'));
    await response.arrayBuffer();
    const onDisk = coding === 'br' ? await readFile(path.join(site, 'finwave.wasm.br'))
      : coding === 'gzip' ? await readFile(path.join(site, 'finwave.wasm.gz')) : original;
    assert.equal(sent, onDisk.length, `${accept}: the precompressed copy is what is sent`);
    assert.ok(decode(onDisk).equals(original), `${accept}: it decodes to the file`);
  }
  const refused = await get('finwave.wasm', { 'Accept-Encoding': 'br;q=0, gzip' });
  assert.equal(refused.headers.get('content-encoding'), 'gzip', 'q=0 refuses a coding');
  await refused.arrayBuffer();
});

test('types, and no compression for what is compressed already', async () => {
  for (const [file, type] of [['index.html', 'text/html; charset=utf-8'], ['finwave.js', 'text/javascript; charset=utf-8'],
    ['manifest.webmanifest', 'application/manifest+json'], ['lessons/en/01-why-four-segments.md', 'text/markdown; charset=utf-8'],
    ['assets/fonts/finwave-ui.ttf', 'font/ttf'], ['lessons/index.json', 'application/json'], ['icons/finwave-192.png', 'image/png']]) {
    const response = await get(file, { 'Accept-Encoding': 'gzip' });
    assert.equal(response.status, 200, file);
    assert.equal(response.headers.get('content-type'), type, file);
    if (file.endsWith('.png')) assert.equal(response.headers.get('content-encoding'), null, file);
    else assert.equal(response.headers.get('content-encoding'), 'gzip', file);
    await response.arrayBuffer();
  }
});

test('a changed file is not served from a stale precompressed copy', async () => {
  const file = path.join(site, 'lessons', 'en', '01-why-four-segments.md');
  const text = `${await readFile(file, 'utf8')}\nA changed line.\n`;
  await writeFile(file, text);
  const response = await get('lessons/en/01-why-four-segments.md', { 'Accept-Encoding': 'br, gzip' });
  assert.equal(await response.text(), text);
});

test('revalidation: ETag and 304; hashed names are kept for a year, the rest revalidated', async () => {
  const first = await get('finwave.js', { 'Accept-Encoding': 'gzip' });
  await first.arrayBuffer();
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{16}-gzip"$/);
  assert.equal(first.headers.get('cache-control'), 'no-cache');
  const again = await get('finwave.js', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
  assert.equal(again.status, 304);
  const hashed = await get('app.0123abcd.js');
  assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  await hashed.arrayBuffer();
});

test('nothing outside the site; a missing file is a 404', async () => {
  for (const file of ['no-such-file.js', '..%2f..%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd']) {
    const response = await fetch(`${server.url}${file}`);
    assert.equal(response.status, 404, file);
    await response.arrayBuffer();
  }
});
