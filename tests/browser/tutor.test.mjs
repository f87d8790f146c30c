// The tutor in a real browser, driven by real input: mouse clicks at the
// widgets' rectangles (window.finwave.state().ui), key presses and touch
// taps. window.finwave.state() is only used to check what the input did.
//
//   scripts/build-web.sh && node --test tests/browser/
//
// Screenshots of each key screen land in tests/artifacts/tutor-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertClean, click, openPage, reveal, screenshot, state, useSite, waitForReady, waitForState, widget,
} from './harness.mjs';

const LESSON = 'states-step-by-step';
const GATE = 'gate-2017';

const site = useSite();
const open = (query = `?lesson=${LESSON}&lang=en`, contextOptions = {}) => site.open(query, contextOptions);

const question = (s, id) => s.quiz.questions.find((q) => q.id === id);

test('the page loads a lesson with WebGL2 and no console errors', async () => {
  const { context, page, problems } = await open();
  try {
    const webgl2 = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
    assert.ok(webgl2, 'WebGL2 is not available in this Chromium: every other check would be meaningless');
    const s = await state(page);
    assert.equal(s.lesson.id, LESSON);
    assert.equal(s.lesson.step, 1);
    assert.equal(s.lang, 'en');
    assert.ok(s.font_glyphs > 100, `the CJK font did not load (${s.font_glyphs} glyphs)`);
    assert.ok(s.lessons.length >= 2, 'the lesson list comes from lessons/index.json');
    assert.deepEqual(s.problems, []);
    assert.equal(s.sim.client.state, 'FIN-WAIT-1', 'the step\'s play block ran');
    assert.ok(s.sim.in_flight.some((f) => f.from === 'client' && f.flags.includes('FIN')), 'the FIN is on the wire');
    for (const name of ['lesson.next', 'ctl.play', 'ladder.seg.8', 'diagram.state.FIN-WAIT-1', 'timer.client.loss-probe'])
      await widget(page, name);
    await screenshot(page, 'tutor-lesson.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a lesson is walked through with clicks and keys', async () => {
  const { context, page, problems } = await open();
  try {
    await click(page, 'lesson.next');
    let s = await waitForState(page, (st) => st.lesson.step === 2);
    assert.equal(s.sim.client.state, 'FIN-WAIT-2', 'step 2 plays until the client is in FIN-WAIT-2');

    await page.keyboard.press('ArrowRight');
    s = await waitForState(page, (st) => st.lesson.step === 3);
    await page.keyboard.press('ArrowLeft');
    await waitForState(page, (st) => st.lesson.step === 2);
    // Step 2 opens at its own end point (nothing to play): back to step 1,
    // past its prediction without answering.
    await page.keyboard.press('ArrowLeft');
    await waitForState(page, (st) => st.lesson.step === 1);
    await page.evaluate(() => window.finwave.command('skip state-after-fin'));

    // N: one event; Space: play, Space: pause.
    const position = (await state(page)).sim.position;
    await page.keyboard.press('n');
    await waitForState(page, (st, p) => st.sim.position === p + 1, position);
    await page.keyboard.press('Space');
    await waitForState(page, (st) => st.sim.playing === true || st.sim.step_end);
    await page.keyboard.press('Space');
    await waitForState(page, (st) => st.sim.playing === false);

    // The step dots jump; the Play button plays (step 6 plays to the end).
    await click(page, 'lesson.dot.6');
    await waitForState(page, (st) => st.lesson.step === 6);
    await click(page, 'ctl.play');
    await waitForState(page, (st) => st.sim.playing === true || st.sim.finished);
    await click(page, 'ctl.play');
    await click(page, 'ctl.step');
    await screenshot(page, 'tutor-walk.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('the GATE question: a wrong answer, then the right one; the score changes and is kept', async () => {
  const { context, page, problems } = await open();
  try {
    await click(page, 'lesson.next');
    await waitForState(page, (st) => st.lesson.step === 2);
    let s = await state(page);
    const before = s.quiz.score;
    assert.equal(question(s, GATE).kind, 'choice');

    // C is FIN-WAIT-1: the tempting wrong answer.
    await click(page, `quiz.${GATE}.choice.2`);
    s = await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).attempts === 1, GATE);
    assert.equal(question(s, GATE).last_correct, false);
    assert.equal(question(s, GATE).correct, false);
    assert.equal(s.quiz.score, before, 'a wrong answer scores nothing');
    await widget(page, `quiz.${GATE}.feedback`);
    await screenshot(page, 'tutor-quiz-wrong.png');

    // D is FIN-WAIT-2.
    await click(page, `quiz.${GATE}.choice.3`);
    s = await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).correct, GATE);
    assert.equal(s.quiz.score, before + 1);
    assert.equal(question(s, GATE).attempts, 2);
    await screenshot(page, 'tutor-quiz-right.png');

    // Kept across a reload (localStorage, versioned JSON).
    const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('finwave.progress')));
    assert.equal(saved.format, 'finwave-progress');
    assert.equal(saved.version, 2);
    await page.reload();
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.quiz.score, before + 1);
    assert.equal(question(s, GATE).correct, true);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a predict question is answered on the paused simulation and checked by the engine', async () => {
  const { context, page, problems } = await open();
  try {
    let s = await state(page);
    const predict = s.quiz.questions.find((q) => q.kind === 'predict' && q.step === 1);
    assert.ok(predict, 'step 1 asks a predict question');
    assert.equal(predict.engine, 'FIN-WAIT-2', 'the answer comes from the engine at run time');
    assert.equal(s.sim.playing, false);
    await click(page, `quiz.${predict.id}.choice.0`);
    s = await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).correct, predict.id);
    // Then play to see it happen.
    await click(page, `quiz.${predict.id}.play`);
    await waitForState(page, (st) => st.sim.client.state === 'FIN-WAIT-2', null, 15_000);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('clicking a segment on the ladder drops it, and its sender retransmits', async () => {
  const { context, page, problems } = await open();
  try {
    let s = await state(page);
    const fin = s.sim.in_flight.find((f) => f.from === 'client' && f.flags.includes('FIN'));
    assert.ok(fin, 'the client\'s FIN is on the wire when step 1 opens');
    await click(page, `ladder.seg.${fin.id}`);
    s = await waitForState(page, (st, id) => st.sim.drops.some((d) => d.id === id && d.learner), fin.id);
    assert.ok(!s.sim.in_flight.some((f) => f.id === fin.id), 'the dropped FIN is off the wire');
    await screenshot(page, 'tutor-drop.png');

    // T: run to the next timer, until the client has sent its FIN again.
    for (let i = 0; i < 6 && (await state(page)).sim.retransmissions === 0; ++i) {
      await page.keyboard.press('t');
      await page.waitForTimeout(100);
    }
    s = await state(page);
    assert.ok(s.sim.retransmissions >= 1, 'no retransmission after the drop');
    const resent = s.sim.last_events.find((e) => e.kind === 'send' && e.side === 'client' && /FIN/.test(e.text));
    assert.ok(resent, `the client resends its FIN: ${JSON.stringify(s.sim.last_events.map((e) => e.text))}`);
    await page.keyboard.press('n');
    await page.keyboard.press('n');
    await page.waitForTimeout(200);
    await screenshot(page, 'tutor-retransmission.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('rewinding replays the learner\'s commands deterministically', async () => {
  // The try-it step: it plays to the end, with the client's last ACK on the wire.
  const { context, page, problems } = await open(`?lesson=${LESSON}&step=6&lang=en`);
  try {
    let s = await state(page);
    const start = s.sim.position;
    const fin = s.sim.in_flight.find((f) => f.from === 'client');
    await click(page, `ladder.seg.${fin.id}`);
    await waitForState(page, (st) => st.sim.drops.some((d) => d.learner));
    for (let i = 0; i < 4; ++i) await page.keyboard.press('n');  // the run has 5 events left after the drop
    s = await waitForState(page, (st, p) => st.sim.position >= p + 5, start);
    const future = s.sim.last_events.map((e) => `${e.t_us} ${e.text}`);
    const end = s.sim.position;

    // Back with the button and the key, then forward again: the same events.
    await click(page, 'ctl.back');
    await page.keyboard.press('b');
    s = await waitForState(page, (st, p) => st.sim.position === p - 2, end);
    for (let i = 0; i < 2; ++i) await page.keyboard.press('n');
    s = await waitForState(page, (st, p) => st.sim.position === p, end);
    assert.deepEqual(s.sim.last_events.map((e) => `${e.t_us} ${e.text}`), future, 'the replay differs');
    assert.ok(s.sim.drops.some((d) => d.learner), 'the learner\'s drop was replayed');

    // Back to an event picked in the log.
    await click(page, 'tab.events.title');
    await waitForState(page, (st) => Object.keys(st.ui).some((k) => k.startsWith('events.row.')));
    const rows = Object.keys((await state(page)).ui).filter((k) => k.startsWith('events.row.'));
    assert.ok(rows.length > 3, 'the event log shows events');
    const target = rows.map((k) => Number(k.slice('events.row.'.length))).sort((a, b) => a - b)[rows.length - 3];
    await click(page, `events.row.${target}`);
    // The click lands on a later frame: wait for its effect, not for a
    // condition that already held before it.
    s = await waitForState(page, (st, p) => st.sim.position < p, end).catch(() => state(page));
    assert.ok(s.sim.position < end, 'clicking an event goes back');

    // Reset: back to where the step began, the drop forgotten.
    await click(page, 'ctl.reset');
    s = await waitForState(page, (st, p) => st.sim.position === p, start);
    assert.equal(s.sim.drops.filter((d) => d.learner).length, 0);
    await screenshot(page, 'tutor-rewind.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('keyboard only: the arrows reach an answer, Space presses it, Escape gives the arrows back', async () => {
  const { context, page, problems } = await open();
  try {
    await page.keyboard.press('ArrowRight');
    await waitForState(page, (st) => st.lesson.step === 2);
    const target = await widget(page, `quiz.${GATE}.choice.3`);
    await page.keyboard.press('ArrowDown');
    await widget(page, 'nav.focus');
    let reached = false;
    for (let i = 0; i < 40 && !reached; ++i) {
      const [focus, choice] = await page.evaluate((id) => {
        const ui = window.finwave.state().ui;
        return [ui['nav.focus'], ui[`quiz.${id}.choice.3`]];
      }, GATE);
      reached = !!focus && !!choice && Math.abs(focus[1] - choice[1]) < 4 && Math.abs(focus[0] - choice[0]) < 4;
      if (!reached) {
        await page.keyboard.press('ArrowDown');
        await page.waitForTimeout(50);
      }
    }
    assert.ok(reached, `ArrowDown never reached the answer at ${JSON.stringify(target)}`);
    await page.keyboard.press('Space');

    await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).correct, GATE);
    await screenshot(page, 'tutor-keyboard.png');
    await page.keyboard.press('Escape');
    await waitForState(page, (st) => !st.ui['nav.focus']);
    await page.keyboard.press('ArrowLeft');
    await waitForState(page, (st) => st.lesson.step === 1);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('switching to Chinese renders the Chinese lesson and is remembered', async () => {
  const { context, page, problems } = await open();
  try {
    await click(page, 'lang.zh');
    let s = await waitForState(page, (st) => st.lang === 'zh');
    assert.equal(s.lesson.lang, 'zh');
    assert.match(s.lesson.title, /[\u4e00-\u9fff]/, 'the lesson title is Chinese');
    assert.equal(s.lesson.step, 1, 'the learner keeps their place');
    assert.equal(await page.evaluate(() => localStorage.getItem('finwave.lang')), 'zh');
    assert.match(await page.evaluate(() => location.search), /lang=zh/);
    await screenshot(page, 'tutor-zh.png');
    await page.goto(site.url);  // no ?lang: the saved choice wins
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.lang, 'zh');
    await page.keyboard.press('l');
    await waitForState(page, (st) => st.lang === 'en');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('the lesson list opens lessons and free play', async () => {
  const { context, page, problems } = await open();
  try {
    await click(page, 'lesson.list');
    const s = await state(page);
    const other = s.lessons.find((l) => l.id !== LESSON);
    await screenshot(page, 'tutor-lesson-list.png');
    await click(page, `lessons.${other.id}`);
    await waitForState(page, (st, id) => st.lesson?.id === id, other.id);
    await click(page, 'lesson.list');
    await reveal(page, 'sandbox.rst-linger-zero', `lessons.${LESSON}`);
    await click(page, 'sandbox.rst-linger-zero');
    await waitForState(page, (st) => st.sandbox === 'rst-linger-zero');
    await click(page, 'ctl.timer');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('application calls and knobs are applied from their buttons', async () => {
  const { context, page, problems } = await open('?lesson=rst-linger-zero');
  try {
    await waitForState(page, (st) => st.sandbox === 'rst-linger-zero');
    // Run a little, then abort from the server's button: a RST.
    for (let i = 0; i < 6; ++i) await page.keyboard.press('n');
    await click(page, 'call.server.abort');
    const s = await waitForState(page, (st) => st.sim.last_events.some((e) => e.side === 'server' && /abort|RST/.test(e.text)));
    assert.ok(s.sim.last_events.some((e) => /RST/.test(e.text)));
    await click(page, 'tab.settings.title');
    await click(page, 'knobs.profile.rfc');
    await waitForState(page, (st) => st.sim.profile === 'rfc');
    await screenshot(page, 'tutor-knobs.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('touch: a tap presses a button', async () => {
  const { context, page, problems } = await open(`?lesson=${LESSON}`, { hasTouch: true, isMobile: false });
  try {
    const r = await widget(page, 'lesson.next');
    await page.touchscreen.tap(r.cx, r.cy);
    await waitForState(page, (st) => st.lesson.step === 2);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a narrow screen gets tabs instead of panes', async () => {
  const { context, page, problems } = await open(`?lesson=${LESSON}`, { viewport: { width: 420, height: 800 }, deviceScaleFactor: 2 });
  try {
    await click(page, 'tab.connection');
    await widget(page, 'ctl.play');
    await screenshot(page, 'tutor-narrow.png');
    await click(page, 'tab.lesson');
    await widget(page, 'lesson.next');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('bad URL parameters become notices; the first lesson opens', async () => {
  const { context, page, problems } = await open('?lang=xx&lesson=nope&step=abc');
  try {
    const s = await state(page);
    const keys = s.notices.map((n) => n.key).sort();
    assert.deepEqual(keys, ['notice.bad_lang', 'notice.bad_step', 'notice.unknown_lesson']);
    assert.equal(s.lesson.id, s.lessons[0].id);
    assert.equal(s.lang, 'en');
    await widget(page, 'notice.0');
    await screenshot(page, 'tutor-bad-url.png');
    await click(page, 'notice.dismiss.0');
    await waitForState(page, (st) => st.notices.length === 2);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a missing and a malformed lesson are reported by file and line; the rest load', async () => {
  const { context, page, problems } = await openPage(site.browser);
  try {
    await page.route('**/lessons/index.json', async (route) => {
      const response = await route.fetch();
      const index = await response.json();
      index.files.push('en/98-broken.md', 'en/99-missing.md', '../../etc/passwd');
      await route.fulfill({ response, json: index });
    });
    await page.route('**/lessons/en/98-broken.md', (route) => route.fulfill({
      status: 200, contentType: 'text/markdown',
      body: '---\nid: broken\ntitle: Broken\norder: 98\n---\n\n## A step\n\n```question\nid: q\nkind: riddle\n```\n' }));
    await page.route('**/lessons/en/99-missing.md', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(site.url + `?lesson=${LESSON}`);
    await waitForReady(page);
    const s = await state(page);
    assert.ok(s.problems.includes('lessons/en/98-broken.md:11: unknown question kind \'riddle\'; expected choice, predict, field, order or lost'),
      JSON.stringify(s.problems));
    assert.ok(s.problems.some((p) => p.startsWith('lessons/en/99-missing.md: HTTP 404')), JSON.stringify(s.problems));
    assert.ok(s.problems.some((p) => p.startsWith('lessons/../../etc/passwd: not a lesson file')), 'a path out of lessons/ is refused');
    assert.ok(s.notices.some((n) => n.text.includes('98-broken.md:11')));
    assert.equal(s.lesson.id, LESSON, 'the other lessons still load');
    await screenshot(page, 'tutor-lesson-errors.png');
    // Failed fetches log themselves as console errors; nothing else may.
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors.filter((e) => !/404/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('a missing font or a broken lesson index still gives a working app with a message', async () => {
  const { context, page, problems } = await openPage(site.browser);
  try {
    await page.route('**/finwave-ui.ttf', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.route('**/lessons/index.json', (route) => route.fulfill({ status: 200, body: '{ not json' }));
    await page.goto(site.url);
    await waitForReady(page);
    const s = await state(page);
    const keys = s.notices.map((n) => n.key);
    assert.ok(keys.includes('notice.font_failed'), JSON.stringify(keys));
    assert.ok(keys.includes('notice.index_failed'), JSON.stringify(keys));
    assert.ok(keys.includes('notice.no_lessons'), JSON.stringify(keys));
    assert.equal(s.sandbox, 'four-way-close', 'free play still works');
    assert.equal(await page.isVisible('#status'), false, 'the page shows the app, not an error page');
    await screenshot(page, 'tutor-no-font.png');
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors.filter((e) => !/404/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('corrupted saved progress is discarded with a visible note', async () => {
  const { context, page, problems } = await openPage(site.browser);
  try {
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        localStorage.setItem('finwave.progress', '{"format":"finwave-progress","version":99,"lessons":{}}');
        localStorage.setItem('finwave.lang', 'klingon');
        sessionStorage.setItem('seeded', '1');
      }
    });
    await page.goto(site.url + `?lesson=${LESSON}`);
    await waitForReady(page);
    const s = await state(page);
    const note = s.notices.find((n) => n.key === 'notice.progress_discarded');
    assert.ok(note, JSON.stringify(s.notices));
    assert.match(note.text, /version 99/);
    assert.equal(s.lang, 'en');
    // The clean state is written back, so the note does not come again.
    const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('finwave.progress')));
    assert.equal(saved.version, 2);
    await page.reload();
    await waitForReady(page);
    assert.ok(!(await state(page)).notices.some((n) => n.key === 'notice.progress_discarded'));
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a built-in scenario that matched the real kernel says so; a changed one does not', async () => {
  const { page, problems, context } = await open(`?lesson=${LESSON}&lang=en`);
  const s = await state(page);
  // Step 1 plays four-way-close unchanged, which the kernel harness passed.
  assert.equal(s.linux_checked?.scenario, 'four-way-close');
  assert.match(s.linux_checked.kernel, /^\d+\.\d+/);
  const badge = await widget(page, 'lesson.linux_checked');
  assert.ok(badge.w > 0 && badge.h > 0, 'the line is drawn in the lesson pane');
  await screenshot(page, 'tutor-linux-checked.png');
  // Free play of the one scenario a kernel cannot reproduce: no claim.
  await page.goto(`${site.url}?mode=sandbox&scenario=time-wait-protects-new-connection&lang=en`);
  await waitForReady(page);
  assert.equal((await state(page)).linux_checked, null);
  assertClean(problems);
  await context.close();
});
