// Share links (scripts/share-link.py, web/share_link.js): a lesson in the
// URL's fragment opens in a fresh browser as it was written, and answers
// like any lesson; a damaged, foreign or future link gets a notice saying
// so and the site's own lessons, and the app keeps running.
//
//   scripts/build-web.sh && node --test tests/browser/share.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT, assertClean, launch, openPage, startServer, state, waitForReady, waitForState,
} from './harness.mjs';

const SOURCE = path.join(ROOT, 'lessons', 'zh', '04-half-close.md');
const ID = 'shared-half-close';
const TITLE = '分享的半关闭练习';

let browser;
let server;
let lessonFile;
const cleanup = [];

before(async () => {
  browser = await launch();
  server = await startServer();
  cleanup.push(async () => server.child.kill());
  // A teacher's own lesson: a copy of a shipped one under another id and title.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'finwave-share-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'zh'));
  lessonFile = path.join(dir, 'zh', 'my-lesson.md');
  const text = (await readFile(SOURCE, 'utf8')).replace(/^id: .*$/m, `id: ${ID}`).replace(/^title: .*$/m, `title: ${TITLE}`);
  await writeFile(lessonFile, text);
});

after(async () => {
  await browser?.close();
  for (const undo of cleanup.reverse()) await undo();
});

function shareLink(file) {
  return execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'share-link.py'), '--no-check', '--site', server.url, file],
    { encoding: 'utf8' }).trim();
}

test('share link: the lesson opens in a fresh browser as written, alone, and answers', async () => {
  const link = shareLink(lessonFile);
  assert.match(link, /#share=1\.zh\.[A-Za-z0-9_-]+$/);
  const text = await readFile(lessonFile, 'utf8');
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(link);
    await waitForReady(page);
    const s = await state(page);
    assert.deepEqual(s.notices, []);
    assert.deepEqual(s.problems, []);
    assert.equal(s.lang, 'zh');
    assert.equal(s.lesson.id, ID);
    assert.equal(s.lesson.title, TITLE);
    assert.equal(s.lesson.steps, text.split('\n').filter((l) => l.startsWith('## ')).length);
    assert.deepEqual(s.lessons.map((l) => l.id), [ID], 'only the shared lesson');
    // Its first question, answered as the file says.
    const q = s.quiz.questions[0];
    assert.ok(q, 'the shared lesson has questions');
    const block = text.split('```question').slice(1).find((b) => b.includes(`id: ${q.id}\n`));
    const answer = /^answer: (.*)$/m.exec(block)[1].trim();
    assert.equal(await page.evaluate(([step]) => window.finwave.command(`step ${step}`), [q.step]), 'ok');
    const letter = /^[A-Z]$/.test(answer) ? answer
      : String.fromCharCode(65 + block.split('\n').filter((l) => l.startsWith('choice:')).findIndex((l) => l.slice(7).trim() === answer));
    assert.equal(await page.evaluate(([id, a]) => window.finwave.command(`answer ${id} ${a}`), [q.id, q.kind === 'field' ? answer : letter]), 'ok');
    const after = await waitForState(page, (st, id) => st.quiz.questions.find((x) => x.id === id).attempts === 1, q.id);
    assert.equal(after.quiz.questions.find((x) => x.id === q.id).correct, true);
    // The site's own lessons come back without the fragment; the shared
    // lesson left no place behind.
    await page.goto(server.url);
    await waitForReady(page);
    const site = await state(page);
    assert.ok(site.lessons.length >= 12);
    assert.notEqual(site.lesson.id, ID);
    assert.deepEqual(site.notices, []);
    // A share link pasted into the same tab: only the fragment changes, and
    // the page reads it.
    await Promise.all([page.waitForEvent('load'), page.evaluate((hash) => { window.location.hash = hash; }, link.split('#')[1])]);
    await waitForReady(page);
    assert.equal((await state(page)).lesson.id, ID);
    // In a small frame, at a step named before the fragment.
    await page.goto(link.replace('#', '?embed=1&step=2#'));
    await waitForReady(page);
    const framed = await state(page);
    assert.equal(framed.embed, true);
    assert.equal(framed.lesson.id, ID);
    assert.equal(framed.lesson.step, 2);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

async function openBroken(link, key, detail) {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(link);
    await waitForReady(page);
    const s = await state(page);
    const notice = s.notices.find((n) => n.key === key);
    assert.ok(notice, `${key} in ${JSON.stringify(s.notices)}`);
    if (detail) assert.ok(notice.text.includes(detail), notice.text);
    assert.ok(s.lessons.length >= 12, 'the site\'s own lessons instead');
    // Still running: a command answers.
    assert.equal(await page.evaluate(() => window.finwave.command('step 2')), 'ok');
    assertClean(problems);
    return notice.text;
  } finally {
    await context.close();
  }
}

test('share link: damaged, foreign and future links get a message; the app keeps running', async () => {
  const link = shareLink(lessonFile);
  const [site, data] = link.split('#share=1.zh.');
  // Cut short in the middle of its data, as a chat tool might.
  await openBroken(`${site}#share=1.zh.${data.slice(0, Math.floor(data.length / 2))}`, 'notice.share_damaged');
  // A character changed inside the compressed data, at the start, the
  // middle and the end: the checksum finds each out (without it, raw
  // DEFLATE read 8 of 108 such changes to this lesson as valid text).
  for (const at of [2, Math.floor(data.length / 2), data.length - 3]) {
    const flipped = data.slice(0, at) + (data[at] === 'A' ? 'B' : 'A') + data.slice(at + 1);
    await openBroken(`${site}#share=1.zh.${flipped}`, 'notice.share_damaged');
  }
  await openBroken(`${site}#share=1.zh.abc%20def`, 'notice.share_damaged', 'character');
  await openBroken(`${site}#share=2.zh.${data}`, 'notice.share_format', '2');
  await openBroken(`${site}#share=1.fr.${data}`, 'notice.share_lang', 'fr');
  await openBroken(`${site}#share=hello`, 'notice.share_foreign');
  // In Chinese too, when the app speaks Chinese.
  const zh = await openBroken(`${site}?lang=zh#share=3.zh.${data}`, 'notice.share_format');
  assert.match(zh, /分享链接/);
});

test('share link: a link that would unpack into more than a lesson may hold is refused', async () => {
  // 300 KB of one letter packs into a few hundred bytes.
  const dir = path.dirname(lessonFile);
  const big = path.join(dir, 'big.md');
  await writeFile(big, `---\nid: big\ntitle: Big\norder: 1\n---\n\n## One\n\n${'a'.repeat(300_000)}\n`);
  // The script itself refuses it; the link is made by hand, as anyone could.
  assert.throws(() => shareLink(big), /send the file/);
  const zlib = await import('node:zlib');
  const data = zlib.deflateSync(await readFile(big)).toString('base64url');
  await openBroken(`${server.url}#share=1.zh.${data}`, 'notice.share_too_long', '262144');
  // A fragment longer than the app reads at all.
  await openBroken(`${server.url}#share=1.zh.${'A'.repeat(70_000)}`, 'notice.share_too_long');
});
