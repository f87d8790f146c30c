// The accessible view beside the canvas (web/page/a11y.js), checked through
// the browser's accessibility tree: the lesson's text, both sides' states,
// the changes of state announced in a live log, and questions answered with
// the keyboard alone, scoring exactly as the canvas does.
//
//   scripts/build-web.sh && node --test tests/browser/a11y.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, click, screenshot, state, useSite, waitForState } from './harness.mjs';

const LESSON = 'states-step-by-step';
const GATE = 'gate-2017';

const site = useSite();

async function open(query = `?lesson=${LESSON}&lang=en`, options = {}) {
  const opened = await site.open(query, options);
  await opened.page.waitForFunction(() => document.querySelector('#a11y-controls button'));
  return opened;
}

const question = (s, id) => s.quiz.questions.find((q) => q.id === id);
const focusedName = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : '';
});

// Tab (or Shift+Tab) until the focused control's name matches, as a
// keyboard user would; fails after `limit` presses.
async function tabTo(page, name, { back = false, limit = 120 } = {}) {
  for (let i = 0; i < limit; ++i) {
    const now = await focusedName(page);
    if (typeof name === 'string' ? now === name : name.test(now)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${name}; the focus is on "${await focusedName(page)}"`);
}

test('the accessibility tree mirrors the lesson, the states and the questions', async () => {
  const { context, page, problems } = await open();
  try {
    const view = page.getByRole('region', { name: 'FinWave, accessible view' });
    const tree = await view.ariaSnapshot();
    assert.match(tree, /heading "The states of a close, step by step" \[level=2\]/);
    assert.match(tree, /paragraph: "Step 1 of \d+/);
    assert.match(tree, /paragraph: "Client: FIN-WAIT-1\. Server: ESTABLISHED\."/);
    assert.match(tree, /group "Simulation":/);
    assert.match(tree, /button "Next event"/);
    assert.match(tree, /log "Changes of state"/);
    assert.match(tree, /button "A: FIN-WAIT-2"/, 'the predict question\'s options are buttons');
    assert.doesNotMatch(tree, /a11y\./, 'every interface word is translated');
    assert.equal(await page.getByRole('application').count(), 1, 'the canvas says what it is');

    // Switching language here switches the app and the view.
    await view.getByRole('button', { name: '中文' }).focus();
    await page.keyboard.press('Enter');
    await waitForState(page, (s) => s.lang === 'zh');
    const zh = page.getByRole('region', { name: 'FinWave 无障碍视图' });
    await zh.waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.match(await zh.ariaSnapshot(), /客户端：FIN-WAIT-1。服务器：ESTABLISHED。/);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('keyboard alone: Tab into the view, step the simulation, hear each change of state', async () => {
  const { context, page, problems } = await open();
  try {
    const view = page.locator('#a11y');
    assert.ok((await view.boundingBox()).width <= 1, 'hidden until it has the focus');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('a11y').contains(document.activeElement)),
      'the first Tab lands in the accessible view');
    assert.ok((await view.boundingBox()).width > 300, 'and shows it');

    await tabTo(page, 'Next event');
    const log = page.getByRole('log', { name: 'Changes of state' });
    assert.equal(await log.locator('p').count(), 0);
    let s = await state(page);
    const start = s.sim.position;
    // The step asks first which state the client will enter: Next event
    // does not move past that moment until the learner commits.
    for (let i = 0; i < 6; ++i) await page.keyboard.press('Enter');
    assert.equal((await state(page)).sim.hidden.gate, 'state-after-fin');
    assert.equal((await state(page)).sim.client.state, 'FIN-WAIT-1');
    await page.keyboard.press('Alt+Shift+Q');
    await tabTo(page, /^[A-D]: FIN-WAIT-2$/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.finwave.state().sim.hidden.gate === null);
    await tabTo(page, 'Next event', { back: true });
    // Space and Enter press the button; the app's own shortcuts (Space
    // plays) do not see them.
    for (let i = 0; i < 12 && (await state(page)).sim.client.state === 'FIN-WAIT-1'; ++i) {
      await page.keyboard.press(i % 2 ? 'Space' : 'Enter');
      await page.waitForTimeout(50);
    }
    s = await state(page);
    assert.equal(s.sim.client.state, 'FIN-WAIT-2');
    assert.equal(s.sim.playing, false, 'Space on a button is not the app\'s Play');
    assert.ok(s.sim.position > start);
    await page.waitForFunction(() => /client: FIN-WAIT-1 → FIN-WAIT-2/i.test(document.getElementById('a11y-log').textContent));
    assert.match(await log.ariaSnapshot(), /FIN-WAIT-1 → FIN-WAIT-2/);
    assert.match(await page.locator('#a11y-states').textContent(), /Client: FIN-WAIT-2/);
    assert.equal(await focusedName(page), 'Next event', 'the focus stays where it was');
    await screenshot(page, 'a11y-view.png');

    // One event back, until the change is undone: the log forgets it and
    // the status says where the run is.
    await tabTo(page, 'One event back');
    for (let i = 0; i < 12 && (await state(page)).sim.client.state === 'FIN-WAIT-2'; ++i) {
      await page.keyboard.press('Enter');
      await page.waitForTimeout(50);
    }
    await page.waitForFunction(() => !/FIN-WAIT-2/.test(document.getElementById('a11y-log').textContent));
    await page.waitForFunction(() => /Back to/.test(document.getElementById('a11y-announce').textContent));

    // Tab leaves the canvas too: no keyboard trap.
    await page.locator('#canvas').focus();
    await page.keyboard.press('Tab');
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'canvas');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a question answered through the view scores exactly as through the canvas', async () => {
  // The canvas: C (wrong), then D (right).
  const canvasRun = await open();
  let canvasState;
  try {
    await click(canvasRun.page, 'lesson.next');
    await waitForState(canvasRun.page, (s) => s.lesson.step === 2);
    await click(canvasRun.page, `quiz.${GATE}.choice.2`);
    await waitForState(canvasRun.page, (s, id) => s.quiz.questions.find((q) => q.id === id).attempts === 1, GATE);
    await click(canvasRun.page, `quiz.${GATE}.choice.3`);
    canvasState = await waitForState(canvasRun.page, (s, id) => s.quiz.questions.find((q) => q.id === id).correct, GATE);
    assertClean(canvasRun.problems);
  } finally {
    await canvasRun.context.close();
  }

  // The view, keyboard only.
  const { context, page, problems } = await open();
  try {
    const before = (await state(page)).quiz.score;
    await page.keyboard.press('Tab');
    await tabTo(page, 'Next step');
    await page.keyboard.press('Enter');
    await waitForState(page, (s) => s.lesson.step === 2);
    await page.waitForFunction(() => /step 2 of/i.test(document.getElementById('a11y-announce').textContent));
    assert.equal(await focusedName(page), 'Next step', 'the focus stays on Next step');

    const gate = page.getByRole('group', { name: /GATE CS 2017/ });
    assert.match(await gate.ariaSnapshot(), /button "C: FIN-WAIT-1"/);
    await tabTo(page, 'C: FIN-WAIT-1');
    await page.keyboard.press('Enter');
    let s = await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).attempts === 1, GATE);
    assert.equal(s.quiz.score, before, 'a wrong answer scores nothing');
    await page.waitForFunction(() => /Not quite/.test(document.getElementById('a11y-announce').textContent));
    assert.match(await gate.ariaSnapshot(), /button "C: FIN-WAIT-1 \(Not quite\)"/);

    await tabTo(page, 'D: FIN-WAIT-2');
    await page.keyboard.press('Space');
    s = await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).correct, GATE);
    assert.equal(s.quiz.score, before + 1);
    assert.deepEqual(question(s, GATE), question(canvasState, GATE), 'the same record as through the canvas');
    assert.equal(s.quiz.score, canvasState.quiz.score);
    await page.waitForFunction(() => /^Right\./.test(document.getElementById('a11y-announce').textContent));
    assert.match(await gate.ariaSnapshot(), /button "D: FIN-WAIT-2 \(Right\)" \[disabled\]/);
    // The canvas shows the same verdict.
    assert.equal((await state(page)).ui[`quiz.${GATE}.feedback`] !== undefined, true);
    await screenshot(page, 'a11y-quiz.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('number and order questions through the view', async () => {
  const { context, page, problems } = await open();
  try {
    let s = await state(page);
    const field = s.quiz.questions.find((q) => q.kind === 'field');
    const order = s.quiz.questions.find((q) => q.kind === 'order');
    assert.ok(field && order, 'this lesson asks for a number and for an order');

    // A number: typed, then Enter. Not a number first: the view says so.
    await page.evaluate((n) => window.finwave.command(`step ${n}`), field.step);
    const input = page.getByRole('textbox', { name: 'Your answer (a whole number)' });
    await input.waitFor();
    await input.focus();
    await page.keyboard.type('abc');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /whole number/.test(document.getElementById('a11y-announce').textContent));
    await input.fill('');
    await input.focus();
    s = await state(page);
    const engine = question(s, field.id).engine;
    await page.keyboard.type(String(engine));
    await page.keyboard.press('Enter');
    s = await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).correct, field.id);
    assert.equal(question(s, field.id).attempts, 1);

    // An order: items moved with their buttons, then checked.
    await page.evaluate((n) => window.finwave.command(`step ${n}`), order.step);
    await page.locator(`[data-question="${order.id}"]`).waitFor();
    for (let k = 0; k < order.arrangement.length; ++k) {
      let at = question(await state(page), order.id).arrangement.indexOf(k);
      while (at > k) {
        const was = question(await state(page), order.id).arrangement.join();
        await page.locator(`[data-key="q:${order.id}:up:${at - 1}"]`).focus();
        await page.keyboard.press('Enter');
        await waitForState(page, (st, [id, before]) => st.quiz.questions.find((q) => q.id === id).arrangement.join() !== before,
          [order.id, was]);
        at = question(await state(page), order.id).arrangement.indexOf(k);
      }
    }
    assert.deepEqual(question(await state(page), order.id).arrangement, [...order.arrangement].sort((a, b) => a - b));
    const check = page.locator(`[data-key="q:${order.id}:check"]`);
    await check.focus();
    await page.keyboard.press('Enter');
    s = await waitForState(page, (st, id) => st.quiz.questions.find((q) => q.id === id).correct, order.id);
    assert.equal(question(s, order.id).attempts, 1);
    assertClean(problems);
  } finally {
    await context.close();
  }
});
