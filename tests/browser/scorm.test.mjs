// The SCORM 1.2 package (dist-scorm/finwave-scorm12.zip, made by
// scripts/build-web.sh) as an LMS uses it: unpacked as it is, launched from
// the manifest's href inside a player page that provides the SCORM 1.2 API
// (tests/browser/fixtures/scorm-lms.html), which checks and records every
// call. Then resumed from what the LMS kept.
//
//   scripts/build-web.sh && node --test tests/browser/scorm.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT, answerWholeLesson, appFrame, assertClean, launch, openPage, screenshot, startServer,
} from './harness.mjs';

const PACKAGE = path.join(ROOT, 'dist-scorm', 'finwave-scorm12.zip');
const LESSON = 'states-step-by-step';
const GATE = 'gate-2017';

let dir;
let server;
let browser;
let launchHref;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'finwave-lms-'));
  // Unpacked as an LMS does, into a folder of its own.
  execFileSync('python3', ['-m', 'zipfile', '-e', PACKAGE, path.join(dir, 'course')]);
  await copyFile(path.join(ROOT, 'tests', 'browser', 'fixtures', 'scorm-lms.html'), path.join(dir, 'index.html'));
  const manifest = await readFile(path.join(dir, 'course', 'imsmanifest.xml'), 'utf8');
  launchHref = `course/${/<resource [^>]*href="([^"]+)"/.exec(manifest)[1]}`;
  server = await startServer(dir);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.child.kill();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function files(folder, prefix = '') {
  const out = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const name = prefix + entry.name;
    if (entry.isDirectory()) out.push(...await files(path.join(folder, entry.name), `${name}/`));
    else out.push(name);
  }
  return out;
}

const calls = (page) => page.evaluate(() => window.lmsCalls);
const data = (page) => page.evaluate(() => window.lmsData);

async function lmsPage() {
  const opened = await openPage(browser, { viewport: { width: 1200, height: 820 } });
  await opened.page.goto(server.url);
  return opened;
}

async function start(page, href = launchHref) {
  await page.evaluate((h) => window.launch(h), href);
  return appFrame(page, '#sco');
}

async function finish(page) {
  await page.evaluate(() => window.unload());
  await page.waitForFunction(() => window.lmsCalls.some((c) => c.name === 'LMSFinish'));
}

test('the package: one SCO, and a manifest that lists every file in it', async () => {
  const manifest = await readFile(path.join(dir, 'course', 'imsmanifest.xml'), 'utf8');
  assert.match(manifest, /<schema>ADL SCORM<\/schema>\s*<schemaversion>1\.2<\/schemaversion>/);
  const resources = [...manifest.matchAll(/<resource [^>]*>/g)];
  assert.equal(resources.length, 1);
  assert.match(resources[0][0], /adlcp:scormtype="sco"/);
  assert.match(manifest, /<item identifier="[^"]+" identifierref="finwave-sco"/);
  const listed = [...manifest.matchAll(/<file href="([^"]+)"\/>/g)].map((m) => m[1]).sort();
  const packed = (await files(path.join(dir, 'course'))).filter((f) => f !== 'imsmanifest.xml').sort();
  assert.deepEqual(listed, packed);
  for (const needed of ['index.html', 'finwave.wasm', 'scorm.js', 'lessons/index.json', 'assets/fonts/finwave-ui.ttf'])
    assert.ok(listed.includes(needed), needed);
  assert.ok(!listed.some((f) => f.startsWith('examples/')), 'the example host page is not part of the course');
  assert.ok((await stat(PACKAGE)).size < 1_000_000);
});

test('in the LMS: initialize, answers reported as score and status, progress in suspend_data, finish; then resume', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    let frame = await start(page);
    await page.waitForFunction(() => window.lmsCalls.some((c) => c.name === 'LMSSetValue' && c.args[0] === 'cmi.core.lesson_status'));
    let recorded = await calls(page);
    assert.equal(recorded[0].name, 'LMSInitialize', 'LMSInitialize comes first');
    assert.ok(recorded.some((c) => c.name === 'LMSGetValue' && c.args[0] === 'cmi.suspend_data'));
    assert.equal((await data(page))['cmi.core.lesson_status'], 'incomplete');

    await frame.evaluate((id) => {
      window.finwave.command('lesson states-step-by-step 2');
      window.finwave.command(`answer ${id} C`);
      window.finwave.command(`answer ${id} D`);
    }, GATE);
    await page.waitForFunction((id) => window.lmsCommitted?.['cmi.suspend_data'].includes(`${id}=C`), GATE);
    const total = await frame.evaluate(() => window.finwave.state().lessons.reduce((n, l) => n + l.total, 0));
    let kept = await data(page);
    assert.equal(kept['cmi.core.score.raw'], String(Math.round(100 / total)));
    assert.equal(kept['cmi.core.score.min'], '0');
    assert.equal(kept['cmi.core.score.max'], '100');
    assert.equal(kept['cmi.core.lesson_status'], 'incomplete');
    assert.match(kept['cmi.core.lesson_location'], new RegExp(`lesson=${LESSON}&step=2`));
    assert.ok(kept['cmi.suspend_data'].length < 4096);
    assert.match(kept['cmi.suspend_data'], /^F1\|(en)?\|/, 'the language only once the learner chose one');
    // The LMS keeps the learner's state; this browser keeps none of it, and
    // no service worker is installed inside the LMS.
    assert.equal(await frame.evaluate(() => localStorage.getItem('finwave.progress')), null);
    assert.equal(await frame.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
    await screenshot(page, 'scorm-lms.png');

    await finish(page);
    recorded = await calls(page);
    const sets = Object.fromEntries(recorded.filter((c) => c.name === 'LMSSetValue').map((c) => c.args));
    assert.equal(sets['cmi.core.exit'], 'suspend');
    assert.match(sets['cmi.core.session_time'], /^\d{2,4}:\d{2}:\d{2}$/);
    const last = recorded.map((c) => c.name).slice(-2);
    assert.deepEqual(last, ['LMSCommit', 'LMSFinish']);
    assert.deepEqual(recorded.filter((c) => c.result === 'false'), [], 'every call is one the LMS accepts');

    // The next launch resumes: the answers and the place come back from the LMS.
    assert.equal((await data(page))['cmi.core.entry'], 'resume');
    frame = await start(page);
    const s = await frame.evaluate(() => window.finwave.state());
    assert.equal(s.lesson.id, LESSON);
    assert.equal(s.lesson.step, 2);
    const gate = s.quiz.questions.find((q) => q.id === GATE);
    assert.equal(gate.correct, true);
    assert.equal(gate.attempts, 2);
    assert.deepEqual(s.notices, []);
    await finish(page);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a lesson launched by itself: completed with 100 once every question is right', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    const frame = await start(page, `${launchHref}?lesson=why-four-segments`);
    await answerWholeLesson(frame, 'why-four-segments');
    await page.waitForFunction(() => window.lmsCommitted?.['cmi.core.lesson_status'] === 'completed', null, { timeout: 10_000 });
    const kept = await data(page);
    assert.equal(kept['cmi.core.score.raw'], '100');
    await finish(page);
    const sets = (await calls(page)).filter((c) => c.name === 'LMSSetValue');
    assert.equal(sets.filter((c) => c.args[0] === 'cmi.core.exit').pop().args[1], '', 'nothing to resume');
    assert.deepEqual((await calls(page)).filter((c) => c.result === 'false'), []);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a suspend_data that is not FinWave\'s is discarded with a note and replaced', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    await page.evaluate(() => {
      window.lmsData['cmi.suspend_data'] = 'legacy-course-state;slide=14';
      window.lmsData['cmi.core.entry'] = 'resume';
    });
    const frame = await start(page);
    const s = await frame.evaluate(() => window.finwave.state());
    assert.ok(s.notices.some((n) => n.key === 'notice.progress_discarded'), JSON.stringify(s.notices));
    await page.waitForFunction(() => window.lmsCommitted?.['cmi.suspend_data'].startsWith('F1|'));
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('suspend_data stays within 4096 characters, keeping what is right first', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    const frame = await start(page);
    const result = await frame.evaluate(() => {
      const lessons = {};
      for (let l = 0; l < 40; ++l) {
        const questions = {};
        for (let q = 0; q < 30; ++q)
          questions[`question-number-${q}`] = { correct: q < 4, first_try: q % 2 === 0, attempts: 3 };
        lessons[`a-rather-long-lesson-id-${l}`] = questions;
      }
      const json = JSON.stringify({ format: 'finwave-progress', version: 1, lessons });
      const text = window.finwaveScorm.compact(json, 'zh');
      const back = JSON.parse(window.finwaveScorm.expand(text).progress).lessons;
      const right = Object.values(back).reduce((n, qs) => n + Object.values(qs).filter((r) => r.correct).length, 0);
      const wrong = Object.values(back).reduce((n, qs) => n + Object.values(qs).filter((r) => !r.correct).length, 0);
      const small = window.finwaveScorm.compact(JSON.stringify({ format: 'finwave-progress', version: 1,
        lessons: { l: { 'q 1': { correct: true, first_try: false, attempts: 5 } } } }), 'en');
      return { length: text.length, right, wrong, small, smallBack: window.finwaveScorm.expand(small) };
    });
    assert.ok(result.length <= 4096, `${result.length} characters`);
    assert.equal(result.wrong, 0, 'answers not yet right go first');
    assert.ok(result.right > 0);
    assert.equal(result.small, 'F1|en|l:q%201=C5');
    assert.deepEqual(JSON.parse(result.smallBack.progress).lessons, { l: { 'q 1': { correct: true, first_try: false, attempts: 5 } } });
    assertClean(problems);
  } finally {
    await context.close();
  }
});
