#!/usr/bin/env node
// Measures the built site (dist/) in headless Chromium, as a visitor gets it:
//
//   bytes   every response of a first visit, as transferred (gzip, as any
//           static host would send it), fonts and lessons included
//   start   navigation to the first interactive frame (the app's first frame
//           is drawn with the lessons loaded: state().first_frame_ms), with a
//           cold cache (a new browser profile) and a warm one (a reload)
//   frame   C++ time per frame, ImGui's new frame to its render (p50/p95),
//           while a simulation plays
//
//   scripts/build-web.sh && node scripts/bench-web.mjs [--runs 5] [--seconds 6] [--json]
//
// Targets: bytes <= 1 MB, first interactive frame <= 1.5 s cold, frame p95
// <= 4 ms. A benchmark, not a test: it reports, and exits 1 only when a target
// is missed. Chromium renders with SwiftShader (software WebGL2), as in the tests.
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist');
const CHROMIUM = process.env.FINWAVE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TARGETS = { bytes: 1_000_000, coldMs: 1500, frameP95Ms: 4 };

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = option('runs', 5);
const PLAY_SECONDS = option('seconds', 6);
const JSON_OUT = process.argv.includes('--json');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.md': 'text/markdown; charset=utf-8', '.ttf': 'font/ttf',
};

// A static host as one would deploy the site: gzip for whatever compresses,
// ETags and a cache lifetime so that a second visit revalidates or reuses.
function serve() {
  const cache = new Map();
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let file = path.join(DIST, decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    let entry = cache.get(file);
    if (!entry || entry.mtime !== statSync(file).mtimeMs) {
      const body = readFileSync(file);
      entry = { mtime: statSync(file).mtimeMs, body, gz: gzipSync(body, { level: 9 }),
        etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
      cache.set(file, entry);
    }
    const headers = { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', ETag: entry.etag,
      'Cache-Control': 'max-age=3600', Vary: 'Accept-Encoding' };
    if (req.headers['if-none-match'] === entry.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && entry.gz.length < entry.body.length;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    res.writeHead(200, headers).end(gzip ? entry.gz : entry.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function ready(page) {
  await page.waitForFunction(() => window.finwave?.state().ready === true, null, { timeout: 60_000 });
  return page.evaluate(() => window.finwave.state().first_frame_ms);
}

async function main() {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/ is missing: run scripts/build-web.sh');
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const result = { runs: RUNS, cold_ms: [], warm_ms: [] };
  try {
    for (let run = 0; run < RUNS; ++run) {
      // A new context is a new profile: an empty HTTP cache and code cache.
      const context = await browser.newContext({ viewport: { width: 1400, height: 880 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      const transfers = new Map();
      cdp.on('Network.responseReceived', (e) => transfers.set(e.requestId, { url: e.response.url, bytes: 0 }));
      cdp.on('Network.loadingFinished', (e) => {
        if (transfers.has(e.requestId)) transfers.get(e.requestId).bytes = e.encodedDataLength;
      });
      await page.goto(url);
      result.cold_ms.push(await ready(page));
      if (run === 0) {
        await page.waitForTimeout(300);
        const files = [...transfers.values()].map((t) => ({ file: t.url.slice(url.length) || 'index.html', bytes: t.bytes }));
        files.sort((a, b) => b.bytes - a.bytes);
        result.files = files;
        result.bytes = files.reduce((n, f) => n + f.bytes, 0);
      }
      await page.reload();
      result.warm_ms.push(await ready(page));
      await context.close();
    }

    // Frame time while a simulation plays: a run with retransmissions and
    // a long ladder, restarted whenever it ends so that it keeps playing.
    const context = await browser.newContext({ viewport: { width: 1400, height: 880 } });
    const page = await context.newPage();
    await page.goto(`${url}?lesson=orphan-retries-exhausted`);
    await ready(page);
    await page.evaluate(() => {
      window.finwave.command('speed 0.5');
      window.finwave.command('play');
      window.finwave.command('perf-reset');
    });
    const started = Date.now();
    let frames0 = (await page.evaluate(() => window.finwave.state().frame));
    while (Date.now() - started < PLAY_SECONDS * 1000) {
      await page.waitForTimeout(250);
      await page.evaluate(() => {
        const s = window.finwave.state();
        if (!s.sim.playing) {
          window.finwave.command('reset');
          window.finwave.command('play');
        }
      });
    }
    const s = await page.evaluate(() => window.finwave.state());
    result.frames = s.frame - frames0;
    result.frame_ms_p50 = s.perf.frame_ms_p50;
    result.frame_ms_p95 = s.perf.frame_ms_p95;
    result.frame_ms_max = s.perf.frame_ms_max;
    result.trace_len = s.sim.trace_len;
    await context.close();
  } finally {
    await browser.close();
    server.close();
  }
  result.cold_ms_median = median(result.cold_ms);
  result.warm_ms_median = median(result.warm_ms);

  const ok = {
    bytes: result.bytes <= TARGETS.bytes,
    cold: result.cold_ms_median <= TARGETS.coldMs,
    frame: result.frame_ms_p95 <= TARGETS.frameP95Ms,
  };
  if (JSON_OUT) {
    console.log(JSON.stringify({ ...result, targets: TARGETS, ok }, null, 1));
  } else {
    const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
    console.log('Transferred on a first visit (gzip):');
    for (const f of result.files) console.log(`  ${f.file.padEnd(42)} ${kb(f.bytes).padStart(11)}`);
    console.log(`  ${'total'.padEnd(42)} ${kb(result.bytes).padStart(11)}   target <= ${kb(TARGETS.bytes)}  ${ok.bytes ? 'ok' : 'MISSED'}`);
    console.log(`First interactive frame, cold cache: median ${result.cold_ms_median.toFixed(0)} ms of [${result.cold_ms.map((v) => v.toFixed(0)).join(', ')}]   target <= ${TARGETS.coldMs} ms  ${ok.cold ? 'ok' : 'MISSED'}`);
    console.log(`First interactive frame, warm cache: median ${result.warm_ms_median.toFixed(0)} ms of [${result.warm_ms.map((v) => v.toFixed(0)).join(', ')}]`);
    console.log(`C++ time per frame while playing (${result.frames} frames, ${PLAY_SECONDS} s): p50 ${result.frame_ms_p50.toFixed(2)} ms, p95 ${result.frame_ms_p95.toFixed(2)} ms, max ${result.frame_ms_max.toFixed(2)} ms   target p95 <= ${TARGETS.frameP95Ms} ms  ${ok.frame ? 'ok' : 'MISSED'}`);
  }
  process.exitCode = ok.bytes && ok.cold && ok.frame ? 0 : 1;
}

main().catch((error) => {
  console.error(`bench-web: ${error.message}`);
  process.exitCode = 2;
});
