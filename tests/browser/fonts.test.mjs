// Chinese a teacher writes renders: a lesson added to the site after the build,
// with characters outside the built-in font subset (瞌睡 鹦鹉 蠢 懒猫), makes the
// app fetch the fallback font once and rebuild its atlas with those glyphs; a
// character that no font here has (㐀, outside GB 2312) is named in a notice.
// A learner who reads only the shipped lessons never fetches the fallback.
// Screenshots: tests/artifacts/fonts-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DIST, assertClean, click, openPage, screenshot, state, useBrowser, waitForReady, waitForState,
} from './harness.mjs';

const TEACHER_CHARS = ['瞌', '睡', '鹦', '鹉', '蠢', '懒', '猫'];
const NO_FONT_HAS = '㐀';

const LESSON = `---
id: teacher-parrot
title: 打瞌睡的鹦鹉
order: 99
---

## 懒猫和鹦鹉

客户端就像一只打瞌睡的鹦鹉：它调用 \`close()\` 发出 FIN，然后等 ACK。别犯蠢，先预测再观察。生僻字${NO_FONT_HAS}没有字体。

\`\`\`scenario
use four-way-close
\`\`\`
`;

const site = useBrowser();

// The built site plus one lesson, as a teacher would drop it in: the file and
// its line in lessons/index.json, no rebuild.
async function siteWithTeacherLesson() {
  const dir = await site.copySite('finwave-fonts-');
  await writeFile(path.join(dir, 'lessons', 'zh', '99-teacher-parrot.md'), LESSON);
  const indexPath = path.join(dir, 'lessons', 'index.json');
  const index = JSON.parse(await readFile(indexPath, 'utf8'));
  index.files.push('zh/99-teacher-parrot.md');
  await writeFile(indexPath, JSON.stringify(index));
  // The precompressed copy would otherwise still be the old list.
  await rm(`${indexPath}.gz`, { force: true });
  await rm(`${indexPath}.br`, { force: true });
  return dir;
}

function fallbackRequests(page) {
  const seen = [];
  page.on('request', (r) => { if (r.url().includes('finwave-fallback')) seen.push(r.url()); });
  return seen;
}

test('fonts: the shipped lessons need no fallback; the Events panel shows Chinese', async () => {
  const url = await site.serve(DIST);
  const { page, problems } = await openPage(site.browser);
  const fetched = fallbackRequests(page);
  await page.goto(`${url}?lang=zh&lesson=lost-segments&step=2`);
  await waitForReady(page);
  const s = await state(page);
  assert.equal(s.font_missing, '', 'every character of the shipped lessons is in the subset');
  assert.equal(s.font_fallback, 'unused');
  // The mono face carries the tables' Chinese (the Events panel's text).
  assert.ok(s.font_mono_glyphs > 300, `mono face has ${s.font_mono_glyphs} glyphs`);
  await page.evaluate(() => { for (let i = 0; i < 12 && window.finwave.command('event') === 'ok';) ++i; });
  await click(page, 'tab.events.title');
  await page.waitForTimeout(200);
  await screenshot(page, 'fonts-zh-events.png');
  assert.deepEqual(fetched, [], 'the fallback font was fetched for the shipped lessons');
  assertClean(problems, 'with the shipped lessons');
  await page.context().close();
});

test('fonts: a teacher\'s Chinese lesson outside the subset renders, and what no font has is named', async () => {
  const url = await site.serve(await siteWithTeacherLesson());
  const { page, problems } = await openPage(site.browser);
  const fetched = fallbackRequests(page);
  await page.goto(`${url}?lang=zh&lesson=teacher-parrot`);
  await waitForReady(page);
  const s = await waitForState(page, (st) => st.font_fallback === 'loaded' && st.notices.some((n) => n.key === 'notice.glyphs_missing'), undefined, 15_000);
  assert.equal(fetched.length, 1, 'the fallback is fetched once');
  // The atlas the app reports: only the character outside GB 2312 is missing.
  assert.equal(s.font_missing, NO_FONT_HAS);
  for (const c of TEACHER_CHARS) assert.ok(!s.font_missing.includes(c), `${c} has no glyph`);
  const notice = s.notices.find((n) => n.key === 'notice.glyphs_missing');
  assert.equal(notice.text, `课程中的这些字符没有可用的字体，无法显示：${NO_FONT_HAS} (U+3400)`);
  await screenshot(page, 'fonts-teacher-lesson.png');
  assertClean(problems, 'with a teacher\'s lesson');
  await page.context().close();
});
