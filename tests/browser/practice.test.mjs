// Practice in the browser: ?practice=SEED&level=L opens the exercise that
// `finwave practice --seed SEED --level L` prints, on the live simulation.
// Answered wrong it comes back in the same session; answered right it is
// scheduled later; the schedule is kept in the versioned local storage
// across a reload. A bad ?practice= value gives a notice. Both languages,
// with screenshots at 1280x800 and 1366x657 (tests/artifacts/practice-*.png).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT, assertClean, click, frames, reveal, screenshot, state, useSite, waitForReady, waitForState, widget,
} from './harness.mjs';

const site = useSite();

// A state-at question (the states are hidden until the answer).
const SEED = 5;
const LEVEL = 1;

// The exercise as the terminal tool prints it: the independent source of
// the right choice (the page never tells it before the answer).
function exerciseFromCli(seed, level) {
  const candidates = [process.env.FINWAVE, path.join(ROOT, 'build', 'check', 'cli', 'finwave'),
    path.join(ROOT, 'build', 'native', 'cli', 'finwave')].filter(Boolean);
  const tool = candidates.find((c) => existsSync(c));
  assert.ok(tool, `the finwave tool is needed (tried ${candidates.join(', ')})`);
  const line = execFileSync(tool, ['practice', '--count', '1', '--seed', String(seed), '--level', String(level), '--json'],
    { encoding: 'utf8' });
  return JSON.parse(line);
}

const exercise = exerciseFromCli(SEED, LEVEL);
const CARD = `practice:${LEVEL}:${SEED}`;
const RIGHT = exercise.question.choices.findIndex((c) => c.value === exercise.answer);
const WRONG = RIGHT === 0 ? 1 : 0;

const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

for (const lang of ['en', 'zh']) {
  test(`practice (${lang}): wrong comes back, right is scheduled later, the schedule survives a reload`, async () => {
    assert.equal(exercise.question.kind, 'state-at');
    assert.ok(RIGHT >= 0);
    const { context, page, problems } = await site.open(`?practice=${SEED}&level=${LEVEL}&lang=${lang}`,
      { viewport: { width: 1280, height: 800 } });
    try {
      await waitForReady(page);
      let s = await state(page);
      assert.deepEqual(s.notices, []);
      assert.equal(s.lang, lang);
      assert.equal(s.practice.open.card, CARD);
      assert.equal(s.lesson.id, CARD);
      assert.equal(s.practice.due, 0);
      const question = (st) => st.quiz.questions.find((q) => q.id === 'exercise');
      assert.equal(question(s).attempts, 0);
      // Before the answer: the ladder stops at the question's moment, and
      // neither side's state is on screen (the question asks for one).
      assert.equal(s.sim.step_end, true);
      assert.ok(s.sim.t_us <= exercise.question.t_us, `the run is at ${s.sim.t_us} us, the question at ${exercise.question.t_us}`);
      assert.equal(s.sim.hidden.client_state, true);
      assert.equal(s.sim.hidden.server_state, true);
      const a11yBefore = await page.evaluate(() => document.getElementById('a11y').innerText);
      assert.ok(a11yBefore.includes(lang === 'en' ? exercise.question.prompt.en.slice(0, 30) : exercise.question.prompt.zh.slice(0, 12)),
        'the accessible view asks the question');
      await frames(page, 4);
      await screenshot(page, `practice-${lang}-1280-ask.png`);

      // Wrong: box 1, due today, offered again in this session.
      await click(page, `quiz.exercise.choice.${WRONG}`);
      s = await waitForState(page, (st, card) => st.practice.cards[card]?.wrong === 1, CARD);
      const today = s.practice.today;
      assert.deepEqual(s.practice.cards[CARD], { box: 1, due: today, right: 0, wrong: 1 });
      assert.equal(s.practice.due, 1);
      // A retry is allowed (it no longer moves the card), so the answer
      // stays off the views until it is right.
      assert.equal(s.sim.hidden.client_state, true);
      assert.equal(s.sim.hidden.server_state, true);
      // The accessible view says so too, with the next exercise's button.
      await page.waitForFunction(() => document.getElementById('a11y-practice-schedule') !== null);
      const a11yAfter = await page.evaluate(() => document.getElementById('a11y-practice-schedule').textContent);
      assert.match(a11yAfter, lang === 'en' ? /comes back in this session/ : /再次出现/);
      await frames(page, 4);
      await screenshot(page, `practice-${lang}-1280-wrong.png`);
      await reveal(page, 'practice.next', 'practice.schedule');
      await click(page, 'practice.next');
      s = await waitForState(page, (st) => st.quiz.questions.find((q) => q.id === 'exercise')?.attempts === 0);
      assert.equal(s.lesson.id, CARD, 'the wrong exercise comes back');
      assert.equal(s.sim.hidden.client_state, true);

      // Right: box 2, due tomorrow (clicked once the new showing is drawn
      // at its top).
      await frames(page, 4);
      await click(page, `quiz.exercise.choice.${RIGHT}`);
      s = await waitForState(page, (st, card) => st.practice.cards[card]?.right === 1, CARD);
      assert.deepEqual(s.practice.cards[CARD], { box: 2, due: addDays(today, 1), right: 1, wrong: 1 });
      assert.equal(s.practice.due, 0);
      assert.equal(question(s).correct, true);
      await frames(page, 4);
      await screenshot(page, `practice-${lang}-1280-right.png`);

      // Kept in the versioned local storage, and read back on reload.
      const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('finwave.progress')));
      assert.equal(saved.version, 2);
      assert.match(saved.review, new RegExp(`^${CARD} box 2 due ${addDays(today, 1)} right 1 wrong 1$`, 'm'));
      await page.reload();
      await waitForReady(page);
      s = await state(page);
      assert.deepEqual(s.practice.cards[CARD], { box: 2, due: addDays(today, 1), right: 1, wrong: 1 });
      assert.deepEqual(s.notices, []);

      // Reopened by its link before it is due: asked again, the date stays.
      assert.equal(question(s).attempts, 0);
      await frames(page, 4);
      await click(page, `quiz.exercise.choice.${WRONG}`);
      s = await waitForState(page, (st) => st.quiz.questions.find((q) => q.id === 'exercise')?.attempts === 1);
      assert.deepEqual(s.practice.cards[CARD], { box: 2, due: addDays(today, 1), right: 1, wrong: 1 });

      // At the smaller laptop size, and the lesson list's Practice entry.
      await page.setViewportSize({ width: 1366, height: 657 });
      await frames(page, 4);
      await screenshot(page, `practice-${lang}-1366-again.png`);
      await click(page, 'lesson.list');
      await widget(page, 'lessons.practice');
      await frames(page, 4);
      await screenshot(page, `practice-${lang}-1366-list.png`);
      assertClean(problems, lang);
    } finally {
      await context.close();
    }
  });

  test(`practice (${lang}): a bad ?practice= value gives a notice and the first lesson`, async () => {
    for (const [query, key, shown] of [['?practice=abc', 'notice.bad_practice', 'abc'],
      ['?practice=7&level=9', 'notice.bad_practice_level', '9'], ['?level=2', 'notice.level_without_practice', '2']]) {
      const { context, page, problems } = await site.open(`${query}&lang=${lang}`, { viewport: { width: 1366, height: 657 } });
      try {
        await waitForReady(page);
        const s = await state(page);
        const note = s.notices.find((n) => n.key === key);
        assert.ok(note, `${query}: ${JSON.stringify(s.notices)}`);
        assert.ok(note.text.includes(shown), note.text);
        if (lang === 'zh') assert.match(note.text, /[\u4e00-\u9fff]/);
        assert.equal(s.practice.open, null);
        assert.equal(s.lesson.id, s.lessons[0].id);
        if (key === 'notice.bad_practice') {
          await frames(page, 4);
          await screenshot(page, `practice-${lang}-1366-bad.png`);
        }
        assertClean(problems, query);
      } finally {
        await context.close();
      }
    }
  });
}

// A returning learner has a saved place (a lesson). A link to an exercise
// opens the exercise, not that lesson; the exercise becomes the place; and
// going on to a lesson leaves no exercise behind in the address, so that a
// reload opens the lesson.
test('practice: a link to an exercise opens it for a returning learner; the place follows it and leaves it', async () => {
  const { context, page, problems } = await site.open('?lesson=half-close&step=2&lang=en');
  try {
    let s = await state(page);
    assert.equal(s.lesson.id, 'half-close');
    await page.goto(`${site.url}?practice=${SEED}&level=${LEVEL}&lang=en`);
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.practice.open?.card, CARD, `opened ${JSON.stringify(s.practice.open)} with lesson ${s.lesson?.id}`);
    assert.deepEqual(s.notices, []);
    // The place is the exercise: a bare address reopens it.
    await page.goto(`${site.url}?lang=en`);
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.practice.open?.card, CARD, 'a bare address reopens the exercise');
    // On to a lesson: the address names the lesson alone, and a reload opens it.
    await page.evaluate(() => window.finwave.command('lesson half-close 3'));
    await waitForState(page, (st) => st.lesson?.id === 'half-close' && st.lesson.step === 3);
    const search = new URLSearchParams(await page.evaluate(() => window.location.search));
    assert.equal(search.get('lesson'), 'half-close');
    assert.equal(search.has('practice') || search.has('level'), false, `the address still names an exercise: ${search}`);
    await page.reload();
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.practice.open, null);
    assert.equal(s.lesson.id, 'half-close');
    assert.equal(s.lesson.step, 3);
    assertClean(problems);
  } finally {
    await context.close();
  }
});
