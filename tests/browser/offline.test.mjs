// The installable, offline tutor: the web manifest and icons, the service
// worker that keeps every file of a build (web/page/sw.js, stamped by
// scripts/stamp-offline.py), the whole tutor with the network gone (server
// stopped and the browser offline), a new build replacing the old cache,
// and the learner's progress surviving all of it.
//
//   scripts/build-web.sh && node --test tests/browser/offline.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DIST, ROOT, assertClean, openPage, screenshot, startServer, state, useBrowser, waitForReady, waitForState,
} from './harness.mjs';

const LESSON = 'states-step-by-step';
const GATE = 'gate-2017';

// One browser for the file; what the tests start and make is undone after them.
const shared = useBrowser();

// The site in a folder of its own, served on its own port: the tests stop
// that server and change those files.
async function ownSite() {
  const dir = await shared.copySite();
  const server = await startServer(dir);
  shared.defer(async () => server.child.kill());
  return { dir, ...server };
}

// Resolves once this page is controlled by a service worker whose cache
// holds every file it lists; returns the cache's name and files.
async function waitForOfflineCopy(page, timeout = 20_000) {
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

test('the build is an installable web app with a manifest and icons', async () => {
  const site = await ownSite();
  const { context, page, problems } = await openPage(shared.browser);
  try {
    await page.goto(`${site.url}?lesson=${LESSON}&lang=en`);
    await waitForReady(page);
    await waitForOfflineCopy(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.short_name, 'FinWave');
    assert.equal(parsed.display, 'standalone');
    // A test browser context is an incognito one, where nothing installs;
    // any other reason would be the app's.
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    const reasons = installabilityErrors.filter((e) => e.errorId !== 'in-incognito');
    assert.deepEqual(reasons, [], JSON.stringify(reasons));
    for (const icon of parsed.icons) {
      const png = await readFile(path.join(DIST, icon.src));
      assert.equal(png.subarray(1, 4).toString(), 'PNG', icon.src);
      const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      assert.equal(`${w}x${h}`, icon.sizes, icon.src);
    }
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('after one visit the whole tutor works with the network off', async () => {
  const site = await ownSite();
  const { context, page, problems } = await openPage(shared.browser);
  try {
    await page.goto(`${site.url}?lesson=${LESSON}&lang=en`);
    await waitForReady(page);
    const copy = await waitForOfflineCopy(page);
    assert.equal(copy.build, await page.getAttribute('meta[name="finwave-build"]', 'content'));
    // The learner is told, in the lesson's language.
    await page.waitForSelector('#offline-mark[role="status"]');
    assert.equal(await page.textContent('#offline-mark'), 'Available offline');
    for (const f of ['index.html', 'finwave.js', 'finwave.wasm', 'assets/fonts/finwave-ui.ttf', 'lessons/index.json',
      'lessons/zh/02-states-step-by-step.md', 'a11y.js', 'manifest.webmanifest'])
      assert.ok(copy.kept.includes(f), `${f} is not kept`);

    assert.equal(await page.evaluate((id) => {
      window.finwave.command('step 2');
      return window.finwave.command(`answer ${id} D`);
    }, GATE), 'ok');

    // No network at all: the server is gone and the browser is offline.
    site.child.kill();
    await context.setOffline(true);
    await page.reload();
    await waitForReady(page);
    let s = await state(page);
    assert.equal(s.lesson.id, LESSON);
    assert.deepEqual(s.problems, [], 'every lesson loaded');
    assert.ok(s.lessons.length >= 12);
    assert.ok(s.font_glyphs > 100, 'the CJK font loaded');
    assert.deepEqual(s.notices, []);
    assert.equal(s.quiz.questions.find((q) => q.id === GATE).correct, true, 'the answer is kept');

    // Another lesson, in Chinese, from a deep link; a quiz answered.
    await page.goto(`${site.url}?lesson=half-close&lang=zh`);
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.lesson.id, 'half-close');
    assert.match(s.lesson.title, /[\u4e00-\u9fff]/);
    await page.waitForFunction(() => document.getElementById('offline-mark')?.textContent === '可离线使用');
    const q = s.quiz.questions.find((x) => x.step === s.lesson.step && x.engine);
    if (q) {
      await page.evaluate((id) => window.finwave.command(`answer ${id} A`), q.id);
      await waitForState(page, (st, id) => st.quiz.questions.find((x) => x.id === id).attempts === 1, q.id);
    }
    await screenshot(page, 'offline-zh.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a new build replaces the old cache; progress survives it, and a foreign save is discarded with a note', async () => {
  const site = await ownSite();
  const { context, page, problems } = await openPage(shared.browser);
  try {
    await page.goto(`${site.url}?lesson=${LESSON}&lang=en`);
    await waitForReady(page);
    const first = await waitForOfflineCopy(page);
    await page.evaluate((id) => {
      window.finwave.command('step 2');
      window.finwave.command(`answer ${id} C`);
      window.finwave.command(`answer ${id} D`);
    }, GATE);
    const before = await state(page);

    // A new build: a lesson changed, the site stamped again.
    const file = path.join(site.dir, 'lessons', 'en', '02-states-step-by-step.md');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^title: (.*)$/m, 'title: $1 (revised)'));
    execFileSync('python3', [path.join(ROOT, 'scripts', 'stamp-offline.py'), site.dir], { stdio: 'pipe' });

    // The next visit finds the new service worker; it takes over, drops the
    // old build's cache, and the page offers a reload.
    await page.reload();
    await waitForReady(page);
    const second = await waitForOfflineCopy(page);
    assert.notEqual(second.build, first.build);
    assert.deepEqual(await page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith('finwave-'))), [second.name],
      'only the new build is kept');
    await page.waitForSelector('#update-note[role="status"] button');
    await screenshot(page, 'offline-update-note.png');

    await page.reload();
    await waitForReady(page);
    let s = await state(page);
    assert.equal(await page.getAttribute('meta[name="finwave-build"]', 'content'), second.build);
    assert.match(s.lesson.title, /\(revised\)$/, 'the new build\'s lesson');
    assert.equal(s.lesson.step, 2, 'the place is kept');
    const kept = (st) => {
      const q = st.quiz.questions.find((x) => x.id === GATE);
      return { correct: q.correct, attempts: q.attempts };
    };
    assert.deepEqual(kept(s), kept(before));
    assert.deepEqual(kept(s), { correct: true, attempts: 2 });
    assert.equal(s.quiz.score, before.quiz.score);

    // A save that is not FinWave's (another app on the same origin): discarded, noted, replaced.
    await page.evaluate(() => {
      localStorage.setItem('finwave.progress', JSON.stringify({ format: 'todo-list', items: [1, 2] }));
      localStorage.setItem('finwave.place', 'lesson=%3Cscript%3E&step=x');
    });
    await page.goto(site.url);
    await waitForReady(page);
    s = await state(page);
    const note = s.notices.find((n) => n.key === 'notice.progress_discarded');
    assert.ok(note, JSON.stringify(s.notices));
    assert.match(note.text, /not FinWave progress/);
    assert.equal(s.quiz.score, 0);
    assert.equal(JSON.parse(await page.evaluate(() => localStorage.getItem('finwave.progress'))).format, 'finwave-progress');
    assertClean(problems);
  } finally {
    await context.close();
  }
});
