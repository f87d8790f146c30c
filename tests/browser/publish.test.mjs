// A teacher publishes into a built site (scripts/publish-site.py, no build)
// and a learner who visited before, whose service worker already keeps the
// old site, sees the new and the changed lesson on the very next visit; then
// offline they are still there.
//
//   scripts/build-web.sh && node --test tests/browser/publish.test.mjs
// (the lessons check needs the native finwave tool: $FINWAVE, else
// build/check or build/native)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DIST, ROOT, assertClean, openPage, startServer, state, useBrowser, waitForReady, waitForState,
} from './harness.mjs';

const NEW_ID = 'published-later';
const NEW_TITLE = { en: 'Published after the build', zh: '构建之后发布的课程' };
const CHANGED_FILE = '01-why-four-segments.md';

// One browser for the file; what the tests start and make is undone after them.
const shared = useBrowser();

function finwaveTool() {
  const candidates = [process.env.FINWAVE, path.join(ROOT, 'build', 'check', 'cli', 'finwave'),
    path.join(ROOT, 'build', 'native', 'cli', 'finwave')].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  assert.ok(found, `no finwave tool for the lessons check (looked at ${candidates.join(', ')}): build it first`);
  return found;
}

// The course's lessons plus one new lesson in both languages (a copy of
// lesson 2 under another id), and lesson 1's English title changed.
async function teacherLessons(dir) {
  await cp(path.join(ROOT, 'lessons'), dir, { recursive: true });
  for (const lang of ['en', 'zh']) {
    const text = await readFile(path.join(dir, lang, '02-states-step-by-step.md'), 'utf8');
    await writeFile(path.join(dir, lang, `13-${NEW_ID}.md`), text
      .replace(/^id: .*$/m, `id: ${NEW_ID}`)
      .replace(/^title: .*$/m, `title: ${NEW_TITLE[lang]}`)
      .replace(/^order: .*$/m, 'order: 13'));
  }
  const changed = path.join(dir, 'en', CHANGED_FILE);
  await writeFile(changed, (await readFile(changed, 'utf8')).replace(/^title: (.*)$/m, 'title: $1 (revised)'));
}

// Resolves once the page is controlled by a service worker and one build's
// cache, the one the server's sw.js names, holds every file it lists.
async function waitForOfflineCopy(page, timeout = 30_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const build = await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller) return null;
      const names = (await caches.keys()).filter((n) => n.startsWith('finwave-'));
      if (names.length !== 1) return null;
      const source = await (await fetch('sw.js', { cache: 'no-store' })).text();
      const id = JSON.parse(/const BUILD = ("[^"]*")/.exec(source)[1]);
      const files = JSON.parse(/const FILES = (\[[^\]]*\])/.exec(source)[1]);
      if (names[0] !== `finwave-${id}`) return null;
      const kept = (await (await caches.open(names[0])).keys()).map((r) => new URL(r.url).pathname.slice(1));
      return files.every((f) => kept.includes(f)) ? id : null;
    });
    if (build) return build;
    if (Date.now() > until) throw new Error('the service worker did not keep the site within the time');
    await page.waitForTimeout(250);
  }
}

test('publish: a returning visitor sees a new and a changed lesson on the next visit, and offline after it', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'finwave-publish-'));
  shared.defer(() => rm(dir, { recursive: true, force: true }));
  const site = path.join(dir, 'site');
  await cp(DIST, site, { recursive: true });
  const server = await startServer(site);
  shared.defer(async () => server.child.kill());

  const { context, page, problems } = await openPage(shared.browser);
  try {
    // The first visit: the worker keeps the site as it was built.
    await page.goto(`${server.url}?lang=en`);
    await waitForReady(page);
    const oldBuild = await waitForOfflineCopy(page);
    let s = await state(page);
    const before = s.lessons.length;
    assert.ok(!s.lessons.some((l) => l.id === NEW_ID));
    const oldTitle = s.lessons.find((l) => l.id === 'why-four-segments').title;
    assert.doesNotMatch(oldTitle, /\(revised\)$/);
    assert.equal(await page.getAttribute('meta[name="finwave-build"]', 'content'), oldBuild);

    // The teacher publishes, with the page still open and the server running.
    const lessons = path.join(dir, 'lessons');
    await teacherLessons(lessons);
    const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'publish-site.py'),
      '--finwave', finwaveTool(), lessons, site], { encoding: 'utf8' });
    assert.match(out, /all answers verified/);
    assert.match(out, new RegExp(`new: en/13-${NEW_ID}\\.md, zh/13-${NEW_ID}\\.md`));

    // The next visit, served by the worker of the old build: the new lesson
    // is in the list and opens, the changed one has its new title. No
    // second reload, nothing done to the cache.
    await page.goto(`${server.url}?lang=en&lesson=${NEW_ID}`);
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.lessons.length, before + 1);
    assert.equal(s.lesson?.id, NEW_ID, JSON.stringify(s.notices));
    assert.equal(s.lesson.title, NEW_TITLE.en);
    assert.match(s.lessons.find((l) => l.id === 'why-four-segments').title, /\(revised\)$/);
    assert.deepEqual(s.problems, []);

    // The new build's worker takes over in the background; its cache holds
    // the published lessons.
    assert.notEqual(await waitForOfflineCopy(page), oldBuild);

    // Offline: the server gone and the browser offline.
    server.child.kill();
    await context.setOffline(true);
    await page.goto(`${server.url}?lang=zh&lesson=${NEW_ID}`);
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.lesson?.id, NEW_ID);
    assert.equal(s.lesson.title, NEW_TITLE.zh);
    assert.equal(s.lessons.length, before + 1);
    assert.deepEqual(s.problems, []);
    await page.goto(`${server.url}?lang=en&lesson=why-four-segments`);
    await waitForReady(page);
    s = await waitForState(page, (st) => st.lesson?.id === 'why-four-segments');
    assert.match(s.lesson.title, /\(revised\)$/);
    assertClean(problems);
  } finally {
    await context.close();
  }
});
