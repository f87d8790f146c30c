// The SCORM packages (dist-scorm/, made by scripts/build-web.sh through
// scripts/make-scorm.py) as an LMS uses them: unpacked as they are, launched
// from the manifest's href and parameters inside a player page whose run-time
// is scorm-again (tests/browser/fixtures/lms.html), for SCORM 1.2 and SCORM
// 2004. The check: scorm-again logs no error and no warning, every call
// succeeds, and what reaches the LMS (the commits and the final beacon,
// recorded by this file's server) is the expected data, interactions
// included. Then the next attempt resumes from what the LMS kept.
//
//   scripts/build-web.sh && node --test tests/browser/scorm.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT, answerWholeLesson, appFrame, assertClean, launch, openPage, screenshot,
} from './harness.mjs';

const PACKAGES = path.join(ROOT, 'dist-scorm');
const LESSON = 'why-four-segments';
const GATE_LESSON = 'states-step-by-step';
const GATE = 'gate-2017';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.wasm': 'application/wasm', '.ttf': 'font/ttf', '.md': 'text/markdown; charset=utf-8', '.png': 'image/png',
  '.webmanifest': 'application/manifest+json', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8',
};

let dir;
let server;
let base;
let browser;
const commits = {};  // session -> [what scorm-again committed]
const logs = {};  // session -> [what scorm-again logged at warning level or above]

// A static server for the unpacked packages and the player page, and the
// LMS's commit endpoint.
function serve(root) {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://localhost');
      if (req.method === 'POST' && url.pathname === '/log') {
        let body = '';
        req.on('data', (chunk) => { body += chunk; });
        req.on('end', () => {
          (logs[url.searchParams.get('session') ?? '?'] ??= []).push(body);
          res.writeHead(204).end();
        });
        return;
      }
      if (req.method === 'POST' && url.pathname === '/commit') {
        let body = '';
        req.on('data', (chunk) => { body += chunk; });
        req.on('end', () => {
          const session = url.searchParams.get('session') ?? '?';
          let parsed = null;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = { unparsed: body };
          }
          (commits[session] ??= []).push(parsed);
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end('{"result":"true","errorCode":0}');
        });
        return;
      }
      const file = path.join(root, decodeURIComponent(url.pathname));
      if (!file.startsWith(root)) {
        res.writeHead(403).end();
        return;
      }
      stat(file).then((info) => {
        if (!info.isFile()) throw new Error('not a file');
        res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        createReadStream(file).pipe(res);
      }).catch(() => res.writeHead(404).end());
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

async function unpack(zip, name) {
  const target = path.join(dir, name);
  execFileSync('python3', ['-m', 'zipfile', '-e', path.join(PACKAGES, zip), target]);
  const manifest = await readFile(path.join(target, 'imsmanifest.xml'), 'utf8');
  const href = /<resource [^>]*href="([^"]+)"/.exec(manifest)[1];
  const parameters = /<item [^>]*parameters="([^"]*)"/.exec(manifest)?.[1]?.replace(/&amp;/g, '&') ?? '';
  const mastery = /<adlcp:masteryscore>([^<]+)</.exec(manifest)?.[1] ?? /<imsss:minNormalizedMeasure>([^<]+)</.exec(manifest)?.[1];
  return { manifest, launch: `${name}/${href}${parameters}`, folder: target, mastery };
}

const packs = {};
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'finwave-lms-'));
  packs.course12 = await unpack('finwave-scorm12.zip', 'course12');
  packs.course2004 = await unpack('finwave-scorm2004.zip', 'course2004');
  packs.lesson12 = await unpack(`lessons/finwave-${LESSON}-scorm12.zip`, 'lesson12');
  packs.lesson2004 = await unpack(`lessons/finwave-${LESSON}-scorm2004.zip`, 'lesson2004');
  await copyFile(path.join(ROOT, 'tests', 'browser', 'fixtures', 'lms.html'), path.join(dir, 'lms.html'));
  await copyFile(path.join(ROOT, 'node_modules', 'scorm-again', 'dist', 'scorm-again.js'), path.join(dir, 'scorm-again.js'));
  server = await serve(dir);
  base = `http://127.0.0.1:${server.address().port}/`;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
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

async function lmsPage() {
  const opened = await openPage(browser, { viewport: { width: 1200, height: 820 } });
  await opened.page.goto(`${base}lms.html`);
  return opened;
}

let sessions = 0;
// Starts an attempt: (version, pack, what the LMS kept) -> { frame, session }.
async function attempt(page, version, pack, cmi = null, href = pack.launch) {
  const session = `s${++sessions}`;
  await page.evaluate(([v, h, c, s]) => window.lmsLaunch(v, h, c, s), [version, href, cmi, session]);
  return { frame: await appFrame(page, '#sco'), session };
}

// What the LMS would load for an attempt: its data model as scorm-again
// commits it, plus what the LMS itself sets (the mastery score of the
// manifest, and the entry).
function kept(version, cmi, extra = {}) {
  const out = JSON.parse(JSON.stringify(cmi ?? {}));
  if (version === '1.2') {
    out.core = out.core ?? {};
    delete out.core.session_time;
    delete out.core.exit;
    delete out.core.total_time;
    Object.assign(out.core, extra.core ?? {});
    if (extra.mastery !== undefined) out.student_data = { ...(out.student_data ?? {}), mastery_score: extra.mastery };
  } else {
    delete out.session_time;
    delete out.exit;
    delete out.total_time;
    if (extra.entry) out.entry = extra.entry;
    if (extra.mastery !== undefined) out.scaled_passing_score = extra.mastery;
  }
  if (extra.launch_data !== undefined) out.launch_data = extra.launch_data;
  delete out.interactions;  // a journal: an LMS does not hand it back
  return out;
}

function lastCmi(session) {
  const list = commits[session] ?? [];
  assert.ok(list.length > 0, `nothing committed in ${session}`);
  return list[list.length - 1].cmi;
}

// No error and no warning from scorm-again, and every call answered 0.
async function assertLmsClean(page, what) {
  const log = await page.evaluate(() => window.lmsLog);
  assert.deepEqual(log, [], `scorm-again logged ${what}`);
  const failed = (await page.evaluate(() => window.lmsCalls)).filter((c) => c.error !== '0' || c.result === 'false');
  assert.deepEqual(failed, [], `failed calls ${what}`);
}

async function finish(page, session) {
  const before = (commits[session] ?? []).length;
  await page.evaluate(() => window.lmsUnload());
  const deadline = Date.now() + 10_000;
  while ((commits[session] ?? []).length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok((commits[session] ?? []).length > before, 'the LMS got the final data when the SCO went away');
}

test('the packages: the course and every lesson, SCORM 1.2 and 2004, each a manifest that lists every file', async () => {
  const lessons = JSON.parse(await readFile(path.join(ROOT, 'dist', 'lessons', 'index.json'), 'utf8'))
    .files.filter((f) => f.startsWith('en/')).length;
  const zips = (await files(PACKAGES)).filter((f) => f.endsWith('.zip'));
  assert.equal(zips.length, 2 * (lessons + 1), zips.join(' '));
  for (const [name, pack] of Object.entries(packs)) {
    const v12 = name.endsWith('12');
    assert.match(pack.manifest, v12 ? /<schemaversion>1\.2<\/schemaversion>/ : /<schemaversion>2004 4th Edition<\/schemaversion>/);
    const resources = [...pack.manifest.matchAll(/<resource [^>]*>/g)];
    assert.equal(resources.length, 1);
    assert.match(resources[0][0], v12 ? /adlcp:scormtype="sco"/ : /adlcp:scormType="sco"/);
    assert.equal(Number(pack.mastery), v12 ? 80 : 0.8, `${name}: the mastery score`);
    const listed = [...pack.manifest.matchAll(/<file href="([^"]+)"\/>/g)].map((m) => m[1]).sort();
    const packed = (await files(pack.folder)).filter((f) => f !== 'imsmanifest.xml').sort();
    assert.deepEqual(listed, packed);
    for (const needed of ['index.html', 'finwave.wasm', 'scorm.js', 'lessons/index.json'])
      assert.ok(listed.includes(needed), needed);
    assert.ok(!listed.some((f) => f.startsWith('examples/')), 'the example host page is not part of the course');
  }
  assert.ok(packs.lesson12.launch.endsWith(`index.html?lesson=${LESSON}`), packs.lesson12.launch);
  assert.ok(packs.course12.launch.endsWith('index.html'), packs.course12.launch);
  assert.ok((await stat(path.join(PACKAGES, 'finwave-scorm12.zip'))).size < 1_000_000);
});

test('make-scorm.py: a quiz package and a single-question package, from launch parameters', async () => {
  const out = await mkdtemp(path.join(os.tmpdir(), 'finwave-scorm-'));
  try {
    const dist = path.join(ROOT, 'dist');
    execFileSync('python3', [path.join(ROOT, 'scripts', 'make-scorm.py'), dist, '--out', out, '--lesson', GATE_LESSON, '--mode', 'quiz']);
    execFileSync('python3', [path.join(ROOT, 'scripts', 'make-scorm.py'), dist, '--out', out, '--question', GATE, '--mastery', '100']);
    const made = (await files(out)).filter((f) => f.endsWith('.zip')).sort();
    assert.deepEqual(made, [`finwave-${GATE}-scorm12.zip`, `finwave-${GATE}-scorm2004.zip`,
      `finwave-${GATE_LESSON}-quiz-scorm12.zip`, `finwave-${GATE_LESSON}-quiz-scorm2004.zip`]);
    const quiz = execFileSync('python3', ['-c', `import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read("imsmanifest.xml").decode())`,
      path.join(out, `finwave-${GATE_LESSON}-quiz-scorm12.zip`)], { encoding: 'utf8' });
    assert.match(quiz, new RegExp(`parameters="\\?lesson=${GATE_LESSON}&amp;mode=quiz"`));
    const one = execFileSync('python3', ['-c', `import zipfile,sys; print(zipfile.ZipFile(sys.argv[1]).read("imsmanifest.xml").decode())`,
      path.join(out, `finwave-${GATE}-scorm2004.zip`)], { encoding: 'utf8' });
    assert.match(one, new RegExp(`parameters="\\?question=${GATE}"`));
    assert.match(one, /<imsss:minNormalizedMeasure>1<\/imsss:minNormalizedMeasure>/);
    // A wrong id is refused with a message, not packed.
    assert.throws(() => execFileSync('python3', [path.join(ROOT, 'scripts', 'make-scorm.py'), dist, '--out', out,
      '--lesson', 'no-such-lesson'], { stdio: 'pipe' }), /no lesson 'no-such-lesson'/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});

for (const version of ['1.2', '2004']) {
  const v = version === '1.2' ? '12' : '2004';

  test(`SCORM ${version}, one lesson's package: answers as interactions, score, passed; final data by beacon; then resume`, async () => {
    const { context, page, problems } = await lmsPage();
    try {
      const pack = packs[`lesson${v}`];
      const { mastery } = pack;
      let { frame, session } = await attempt(page, version, pack, kept(version, null, { mastery }));
      // One wrong answer first (a number one too high), then every question right.
      const first = await frame.evaluate(() => {
        const f = window.finwave;
        const field = f.state().quiz.questions.find((q) => q.kind === 'field');
        f.command(`step ${field.step}`);
        const q = f.state().quiz.questions.find((x) => x.id === field.id);
        f.command(`answer ${q.id} ${Number(q.engine) + 1}`);
        return q;
      });
      const quiz = await answerWholeLesson(frame, LESSON);
      const total = quiz.questions.length;
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        // Every answer recorded (the wrong one too), and passed.
        const cmi = commits[session]?.at(-1)?.cmi;
        const recorded = Object.keys(cmi?.interactions ?? {}).filter((k) => /^\d+$/.test(k)).length;
        const done = version === '1.2' ? cmi?.core?.lesson_status === 'passed' : cmi?.success_status === 'passed';
        if (done && recorded >= total + 1) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      let cmi = lastCmi(session);
      const answers = (await page.evaluate(() => window.lmsCalls))
        .filter((c) => /\.interactions\.\d+\.id$/.test(c.args[0] ?? '')).length;
      assert.ok(answers >= total, `${answers} interactions for ${total} questions`);
      if (version === '1.2') {
        assert.equal(cmi.core.lesson_status, 'passed');
        assert.equal(cmi.core.score.raw, '100');
        assert.equal(cmi.core.exit, '');
        assert.match(cmi.core.session_time, /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/);
      } else {
        assert.equal(cmi.completion_status, 'completed');
        assert.equal(cmi.success_status, 'passed');
        assert.equal(Number(cmi.score.scaled), 1);
        assert.equal(cmi.exit, 'normal');
        assert.match(cmi.session_time, /^PT[\d.]+S$/);
      }
      // The interactions: each answer with its result, latency and the right response.
      const { interactions } = cmi;
      const list = Array.isArray(interactions) ? interactions : Object.values(interactions?.childArray ?? interactions ?? {});
      assert.ok(list.length >= total, `${list.length} committed interactions for ${total} questions: ${Object.keys(interactions ?? {})}`);
      const firstRecord = list[0];
      assert.ok(String(firstRecord.id).includes(first.id), JSON.stringify(firstRecord));
      assert.equal(firstRecord.result, version === '1.2' ? 'wrong' : 'incorrect');
      assert.ok(firstRecord.correct_responses && JSON.stringify(firstRecord.correct_responses).includes('pattern'));
      assert.match(String(firstRecord.latency), version === '1.2' ? /^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$/ : /^PT[\d.]+S$/);
      assert.ok(list.some((r) => r.result === 'correct'));
      await assertLmsClean(page, 'while answering');
      await screenshot(page, `scorm${v}-lms.png`);

      await finish(page, session);
      await assertLmsClean(page, 'at the end');

      // The next attempt: what the LMS kept comes back.
      cmi = lastCmi(session);
      ({ frame, session } = await attempt(page, version, pack,
        kept(version, cmi, { mastery, core: { entry: 'resume' }, entry: 'resume' })));
      const s = await frame.evaluate(() => window.finwave.state());
      const lesson = s.lessons.find((l) => l.id === LESSON);
      assert.equal(lesson.score, total, 'every answer is back');
      assert.deepEqual(s.notices, []);
      await assertLmsClean(page, 'on resume');
      assertClean(problems);
    } finally {
      await context.close();
    }
  });

  test(`SCORM ${version}: the tab is closed mid-lesson; session time and suspend arrive, with no error`, async () => {
    const { context, page } = await lmsPage();
    const pack = packs[`course${v}`];
    const { frame, session } = await attempt(page, version, pack, kept(version, null, { mastery: pack.mastery }));
    await frame.evaluate((id) => {
      window.finwave.command(`lesson ${id} 2`);
      window.finwave.command('answer gate-2017 C');
    }, GATE_LESSON);
    const deadline = Date.now() + 10_000;
    while (!(commits[session]?.length > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await assertLmsClean(page, 'before the tab closes');
    const before = commits[session].length;
    await page.close({ runBeforeUnload: true });
    const until = Date.now() + 10_000;
    while (commits[session].length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    await context.close();
    assert.ok(commits[session].length > before, 'Finish sent the data as the tab closed');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(logs[session] ?? [], [], 'scorm-again logged nothing while the tab closed');
    const cmi = lastCmi(session);
    if (version === '1.2') {
      assert.equal(cmi.core.exit, 'suspend');
      assert.match(cmi.core.session_time, /^\d{2,4}:\d{2}:\d{2}/);
      assert.equal(cmi.core.lesson_status, 'incomplete');
      assert.match(cmi.suspend_data, /gate-2017=W/);
    } else {
      assert.equal(cmi.exit, 'suspend');
      assert.match(cmi.session_time, /^PT/);
      assert.equal(cmi.completion_status, 'incomplete');
      assert.match(cmi.suspend_data, /gate-2017=W/);
    }
  });

  test(`SCORM ${version}: one question alone (?question=ID), scored like a lesson`, async () => {
    const { context, page, problems } = await lmsPage();
    try {
      const pack = packs[`course${v}`];
      const href = `${pack.launch.replace(/\?.*$/, '')}?question=${GATE}`;
      await page.setViewportSize({ width: 480, height: 600 });
      await page.evaluate(() => { document.getElementById('sco').style.cssText = 'width: 480px; height: 600px; border: 0'; });
      const { frame, session } = await attempt(page, version, pack, kept(version, null, { mastery: pack.mastery }), href);
      const s = await frame.evaluate(() => window.finwave.state());
      assert.equal(s.question, GATE);
      assert.equal(s.mode, 'quiz');
      assert.equal(s.lesson.id, GATE_LESSON);
      await screenshot(page, `scorm${v}-question.png`);
      await frame.evaluate(() => window.finwave.command('answer gate-2017 D'));
      const answered = (c) => Object.keys(c?.interactions ?? {}).some((k) => /^\d+$/.test(k));
      const deadline = Date.now() + 10_000;
      while (!answered(commits[session]?.at(-1)?.cmi) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const cmi = lastCmi(session);
      if (version === '1.2') {
        assert.equal(cmi.core.score.raw, '100');
        assert.equal(cmi.core.lesson_status, 'passed');
      } else {
        assert.equal(cmi.success_status, 'passed');
        assert.equal(cmi.completion_status, 'completed');
      }
      await assertLmsClean(page, 'for one question');
      assertClean(problems);
    } finally {
      await context.close();
    }
  });
}

test('SCORM 1.2 launch data (cmi.launch_data) opens the questions only', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    const { frame } = await attempt(page, '1.2', packs.lesson12, kept('1.2', null, { mastery: '80', launch_data: 'mode=quiz' }));
    const s = await frame.evaluate(() => window.finwave.state());
    assert.equal(s.mode, 'quiz');
    assert.equal(s.lesson.id, LESSON);
    await assertLmsClean(page, 'with launch data');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a suspend_data that is not FinWave\'s is discarded with a note and replaced', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    const { frame, session } = await attempt(page, '1.2', packs.course12,
      kept('1.2', { suspend_data: 'legacy-course-state;slide=14' }, { core: { entry: 'resume' } }));
    const s = await frame.evaluate(() => window.finwave.state());
    assert.ok(s.notices.some((n) => n.key === 'notice.progress_discarded'), JSON.stringify(s.notices));
    const deadline = Date.now() + 10_000;
    while (!String(commits[session]?.at(-1)?.cmi?.suspend_data ?? '').startsWith('F1|') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.match(lastCmi(session).suspend_data, /^F1\|/);
    await assertLmsClean(page, 'with a foreign suspend_data');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a suspend_data with an id like __proto__ is read as data, never onto Object.prototype', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    const { frame } = await attempt(page, '1.2', packs.course12,
      kept('1.2', { suspend_data: 'F1|en|__proto__:polluted=C;states-step-by-step:gate-2017=F' }, { core: { entry: 'resume' } }));
    const seen = await frame.evaluate(() => ({ plain: ({}).polluted, proto: Object.prototype.polluted }));
    assert.deepEqual(seen, { plain: undefined, proto: undefined });
    await frame.evaluate(() => window.finwave.command('lesson states-step-by-step 1'));
    const s = await frame.evaluate(() => window.finwave.state());
    assert.equal(s.quiz.questions.find((q) => q.id === 'gate-2017').correct, true, 'the rest of the record is kept');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('suspend_data stays within 4096 characters, keeping what is right first', async () => {
  const { context, page, problems } = await lmsPage();
  try {
    const { frame } = await attempt(page, '1.2', packs.course12, kept('1.2', null));
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
