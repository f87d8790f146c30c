// What the browser tests share: the built site served by scripts/serve.py,
// Debian's Chromium with software WebGL2, pages that record console errors,
// and clicks on the widgets the app reports in window.finwave.state().ui.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { colourHistogram, decodePng } from './png.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
// Debian's chromium: Playwright's own browser download is not available here.
export const CHROMIUM = process.env.FINWAVE_CHROMIUM ?? '/usr/bin/chromium';
// Software WebGL2 (SwiftShader) so the tests need no GPU, and nothing that
// reaches the network on the browser's own initiative.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const READY_TIMEOUT_MS = 30_000;

// scripts/serve.py on a free port; resolves with the URL it prints.
export function startServer(dir = DIST) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [path.join(ROOT, 'scripts', 'serve.py'),
      '--dir', dir, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('serve.py did not start in 10 s')), 10_000);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const url = output.match(/http:\/\/\S+\//);
      if (url) {
        clearTimeout(timer);
        resolve({ child, url: url[0] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited with ${code}`));
    });
  });
}

export async function launch() {
  assert.ok(existsSync(path.join(DIST, 'index.html')),
    'dist/index.html is missing: run scripts/build-web.sh first');
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: run scripts/setup.sh`);
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// A page that records what would be a bug: console errors and uncaught exceptions.
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 880 }, ...contextOptions });
  const page = await context.newPage();
  const problems = { consoleErrors: [], pageErrors: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(String(error)));
  return { context, page, problems };
}

export async function waitForReady(page) {
  await page.waitForFunction(() => window.finwave?.state().ready === true, null, { timeout: READY_TIMEOUT_MS });
}

// What a test file shares, set up once before its tests and torn down after
// them: one browser, the servers it started and the folders it made.
// Call at the top level of the test file.
export function useBrowser() {
  const cleanup = [];
  const shared = {
    browser: null,
    // Runs `undo` after the file's tests, last registered first.
    defer(undo) { cleanup.push(undo); },
    // scripts/serve.py over `dir` until the file's tests are done; its URL.
    async serve(dir) {
      const server = await startServer(dir);
      shared.defer(async () => server.child.kill());
      return server.url;
    },
    // A copy of the built site in a temporary folder the tests may change.
    async copySite(prefix = 'finwave-site-') {
      const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
      shared.defer(() => rm(dir, { recursive: true, force: true }));
      await cp(DIST, dir, { recursive: true });
      return dir;
    },
    // A new context and page at `url`, once the app has drawn its first frame.
    async open(url, contextOptions = {}) {
      const opened = await openPage(shared.browser, contextOptions);
      await opened.page.goto(url);
      await waitForReady(opened.page);
      return opened;
    },
  };
  before(async () => { shared.browser = await launch(); });
  after(async () => {
    await shared.browser?.close();
    for (const undo of cleanup.reverse()) await undo();
  });
  return shared;
}

// useBrowser() with the built site served: `site.url` is its address and
// `site.open(query, contextOptions)` opens the app with that query string.
export function useSite(dir = DIST) {
  const shared = useBrowser();
  const openUrl = shared.open;
  const site = Object.assign(shared, {
    url: null,
    open: (query = '', contextOptions = {}) => openUrl(site.url + query, contextOptions),
    openUrl,
  });
  before(async () => { site.url = await site.serve(dir); });
  return site;
}

export const state = (page) => page.evaluate(() => window.finwave.state());

// A command of window.finwave.command (web/model/controller.cpp); its reply.
export const command = (page, text) => page.evaluate((t) => window.finwave.command(t), text);

// Waits until the page has shown `n` more animation frames.
export const frames = (page, n = 3) => page.evaluate((k) => new Promise((done) => {
  const next = (left) => (left === 0 ? done() : requestAnimationFrame(() => next(left - 1)));
  next(k);
}), n);

// Opens every step of every lesson (or of the lessons named in `only`) in
// both languages, as the step dots would, and calls `visit` on each once it
// has been drawn. Returns how many steps were visited.
export async function walkSteps(page, visit, only = [], langs = ['en', 'zh']) {
  const lessons = (await state(page)).lessons.filter((l) => only.length === 0 || only.includes(l.id));
  let visited = 0;
  for (const lang of langs) {
    assert.equal(await command(page, `lang ${lang}`), 'ok');
    for (const lesson of lessons) {
      assert.equal(await command(page, `lesson ${lesson.id} 1`), 'ok', `lesson ${lesson.id}`);
      const steps = (await state(page)).lesson.steps;
      for (let n = 1; n <= steps; ++n) {
        const reply = await command(page, `lesson ${lesson.id} ${n}`);
        assert.equal(reply, 'ok', `lesson ${lesson.id} step ${n} (${lang})`);
        await frames(page, 4);
        await visit({ lesson, lang, step: n, steps });
        visited += 1;
      }
    }
  }
  return visited;
}

// Waits until the app has drawn `name` (and `predicate` holds, if given) and
// returns its rectangle; a widget scrolled out of view is not reported.
export async function widget(page, name, timeout = 5_000) {
  const handle = await page.waitForFunction((n) => window.finwave.state().ui[n] ?? null, name, { timeout })
    .catch(async () => {
      const ui = Object.keys((await state(page)).ui).sort().join(', ');
      throw new Error(`the app did not draw '${name}'; it drew: ${ui}`);
    });
  const [x, y, w, h] = await handle.jsonValue();
  return { x, y, w, h, cx: x + w / 2, cy: y + h / 2 };
}

// Scrolls with the mouse wheel over `over` (a widget in the same scrolling
// pane) until `name` has been drawn, as a person would.
export async function reveal(page, name, over, steps = 20) {
  const anchor = await widget(page, over);
  await page.mouse.move(anchor.cx, anchor.cy);
  // Drawn is not enough: a row cut by the window's edge would take the click
  // elsewhere, so scroll on until its centre is in view.
  const inView = (r) => r && r[1] + r[3] / 2 < page.viewportSize().height && r[1] + r[3] / 2 > 0;
  for (let i = 0; i < steps; ++i) {
    if (inView((await state(page)).ui[name])) return widget(page, name);
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(60);
  }
  return widget(page, name);
}

// A real click (mouse down and up through the browser) at the widget's centre.
export async function click(page, name) {
  const r = await widget(page, name);
  await page.mouse.click(r.cx, r.cy);
  return r;
}

export async function waitForState(page, predicate, arg, timeout = 5_000) {
  await page.waitForFunction(
    ([source, a]) => new Function('s', 'arg', `return (${source})(s, arg);`)(window.finwave.state(), a),
    [predicate.toString(), arg], { timeout });
  return state(page);
}

// Saves a screenshot under tests/artifacts/ and fails if it is (nearly) one colour.
export async function screenshot(page, name) {
  const png = await page.screenshot();
  await writeFile(path.join(ARTIFACTS, name), png);
  const image = decodePng(png);
  const colours = colourHistogram(image);
  const [, background] = [...colours.entries()].sort((a, b) => b[1] - a[1])[0];
  const drawn = image.width * image.height - background;
  assert.ok(colours.size > 16, `${name}: only ${colours.size} colours: is anything drawn?`);
  assert.ok(drawn > image.width * image.height * 0.05, `${name}: only ${drawn} pixels differ from the background`);
  return image;
}

export function assertClean(problems, what = '') {
  assert.deepEqual(problems.pageErrors, [], `uncaught exceptions ${what}`);
  assert.deepEqual(problems.consoleErrors, [], `console errors ${what}`);
}

// Answers every question of `lesson` right through window.finwave.command,
// in the page or frame `target`: numbers and choices as the engine has them
// (a choice without a check: letter by letter until one is right), order
// questions sorted by moves. Returns the lesson's quiz state.
export async function answerWholeLesson(target, lesson) {
  return target.evaluate((id) => {
    const f = window.finwave;
    const question = (qid) => f.state().quiz.questions.find((q) => q.id === qid);
    if (f.command(`lesson ${id} 1`) !== 'ok') throw new Error(`no lesson ${id}`);
    const steps = f.state().lesson.steps;
    for (let step = 1; step <= steps; ++step) {
      f.command(`step ${step}`);
      for (const q of f.state().quiz.questions.filter((x) => x.step === step)) {
        if (q.correct) continue;
        if (q.kind === 'field') {
          f.command(`answer ${q.id} ${q.engine}`);
        } else if (q.kind === 'order') {
          for (let k = 0; k < q.arrangement.length; ++k) {
            const at = question(q.id).arrangement.indexOf(k);
            if (at !== k) f.command(`order-move ${q.id} ${at + 1} ${k + 1}`);
          }
          f.command(`answer ${q.id} check`);
        } else {
          for (const letter of 'ABCDEFGH') {
            if (question(q.id).correct || f.command(`answer ${q.id} ${letter}`).startsWith('error')) break;
          }
        }
      }
    }
    return f.state().quiz;
  }, lesson);
}

// The frame an <iframe> shows, once FinWave in it has drawn its first frame.
export async function appFrame(page, selector) {
  const handle = await page.waitForSelector(selector);
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => window.finwave?.state().ready === true, null, { timeout: READY_TIMEOUT_MS });
  return frame;
}

// Resolves once this page is controlled by a service worker whose cache
// holds every file it lists; returns the cache's name and files.
export async function waitForOfflineCopy(page, timeout = 20_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const copy = await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return null;
      const names = (await caches.keys()).filter((n) => n.startsWith('finwave-'));
      if (names.length !== 1) return null;
      const source = await (await fetch('sw.js', { cache: 'no-store' })).text();
      const build = JSON.parse(/const BUILD = ("[^"]*")/.exec(source)[1]);
      const files = JSON.parse(/const FILES = (\[[^\]]*\])/.exec(source)[1]);
      if (names[0] !== `finwave-${build}`) return null;
      const cache = await caches.open(names[0]);
      const kept = (await cache.keys()).map((r) => new URL(r.url).pathname.slice(1));
      return files.every((f) => kept.includes(f)) ? { name: names[0], build, files, kept } : null;
    });
    if (copy) return copy;
    if (Date.now() > until) throw new Error('the service worker did not keep the build within the time');
    await page.waitForTimeout(200);
  }
}
