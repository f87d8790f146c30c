// Every step of every lesson, in both languages, opened in the browser as a
// learner would reach it: each opens on its own step and language, its
// simulation runs, every character it shows has a glyph, and the console
// stays clean. Screenshots of the same walk for a person to look at:
// scripts/walk-steps.mjs.
//
//   scripts/build-web.sh && node --test tests/browser/walk.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, state, useSite, walkSteps } from './harness.mjs';

const site = useSite();

test('every step of every lesson opens cleanly in English and in Chinese', async () => {
  const { context, page, problems } = await site.open('?lang=en', { viewport: { width: 1280, height: 800 } });
  try {
    const lessons = (await state(page)).lessons.length;
    assert.ok(lessons >= 12, `only ${lessons} lessons listed`);
    const visited = await walkSteps(page, async ({ lesson, lang, step }) => {
      const where = `${lesson.id} step ${step} (${lang})`;
      const s = await state(page);
      assert.equal(s.lesson?.id, lesson.id, where);
      assert.equal(s.lesson.step, step, where);
      assert.equal(s.lesson.lang, lang, where);
      assert.equal(s.sim_error, '', `${where}: ${s.sim_error}`);
      assert.deepEqual(s.problems, [], where);
      assert.equal(s.font_missing ?? '', '', `${where}: characters without a glyph`);
      assertClean(problems, where);
    });
    assert.ok(visited >= 2 * 12 * 5, `only ${visited} steps visited`);
  } finally {
    await context.close();
  }
});
