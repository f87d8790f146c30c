// The lesson player in a real browser: steps stop at their end point,
// predictions come before observations, values a question asks for are
// withheld, and the ladder follows a changed knob. Screenshots of every step
// for a person to look at: scripts/walk-steps.mjs.
//
//   scripts/build-web.sh && node --test tests/browser/player.test.mjs
//
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS, assertClean, click, command, frames, state, useSite, widget } from './harness.mjs';

const site = useSite();

before(async () => {
  await mkdir(path.join(ARTIFACTS, 'steps'), { recursive: true });
});

const open = (query, viewport = { width: 1280, height: 800 }, extra = {}) => site.open(query, { viewport, ...extra });

// What a predict question is about, read from the run: the side's state,
// the number of retransmissions, the segments sent.
function observed(s) {
  return {
    client: s.sim.client.state,
    server: s.sim.server.state,
    retransmissions: s.sim.retransmissions,
  };
}

// Every way a learner can move the run on, without answering: Play at the
// fastest speed until it stops by itself, Next event, Next timer, Play again
// at a slow speed, and a rewind to the newest event. The page polls for the
// end of Play itself, so each question costs about a second.
async function tryEveryWayOfAdvancing(page) {
  await command(page, 'speed 60');
  await command(page, 'play');
  await page.waitForFunction(() => !window.finwave.state().sim.playing, null, { timeout: 20_000 });
  for (let i = 0; i < 5; ++i) await command(page, 'event');
  for (let i = 0; i < 3; ++i) await command(page, 'timer');
  await command(page, 'speed 0.1');
  await command(page, 'play');
  await frames(page, 5);
  await command(page, 'pause');
  const s = await state(page);
  await command(page, `rewind-to-event ${s.sim.trace_len - 1}`);
  await command(page, 'play');
  await frames(page, 3);
}

test('every predict question, in both languages, holds every way of advancing before its moment', async () => {
  const { context, page, problems } = await open('?lang=en');
  try {
    const lessons = (await state(page)).lessons;
    let checked = 0;
    for (const lang of ['en', 'zh']) {
      await command(page, `lang ${lang}`);
      await command(page, 'reset-progress');  // nothing answered or skipped from the other language
      for (const lesson of lessons) {
        await command(page, `lesson ${lesson.id} 1`);
        const questions = (await state(page)).quiz.questions.filter((q) => (q.kind === 'predict' || q.kind === 'lost') && q.check);
        for (const q of questions) {
          assert.equal(await command(page, `lesson ${lesson.id} ${q.step}`), 'ok');
          // An earlier question of the same step holds first: skip it (checked on its own turn).
          let before = await state(page);
          for (let k = 0; k < 5 && before.sim.hidden.gate && before.sim.hidden.gate !== q.id; ++k) {
            await command(page, `skip ${before.sim.hidden.gate}`);
            await command(page, 'reset');
            before = await state(page);
          }
          assert.equal(before.sim.hidden.gate, q.id, `${lang} ${lesson.id} step ${q.step}: '${q.id}' does not hold Play`);
          await tryEveryWayOfAdvancing(page);
          const after = await state(page);
          const what = `${lang} ${lesson.id} step ${q.step} '${q.id}'`;
          const entry = after.quiz.questions.find((x) => x.id === q.id);
          assert.equal(entry.answered, false, what);
          assert.equal(after.sim.hidden.gate, q.id, `${what}: the question no longer holds Play`);
          const b = observed(before);
          const a = observed(after);
          const [verb, side] = q.check.split(' ');
          if (verb === 'next-state' || verb === 'state')
            assert.equal(a[side], b[side], `${what}: the ${side} changed state before the answer`);
          if (verb === 'end-state') {
            assert.ok(!after.sim.finished, `${what}: the run reached its end before the answer`);
            if (b[side] !== entry.engine) assert.notEqual(a[side], entry.engine, `${what}: the ${side} reached its end state`);
          }
          if (verb === 'first-retransmit') assert.equal(a.retransmissions, b.retransmissions, `${what}: a retransmission showed`);
          assert.ok(after.sim.position >= before.sim.position, what);
          checked += 1;
        }
      }
    }
    assert.ok(checked >= 60, `only ${checked} predict questions checked`);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('the skip control records the question as skipped, and Play goes on', async () => {
  const { context, page, problems } = await open('?lesson=states-step-by-step&lang=en');
  try {
    await command(page, 'speed 60');
    await click(page, 'ctl.play');
    await page.waitForFunction(() => window.finwave.state().sim.hidden.held_by === 'state-after-fin', null, { timeout: 10_000 });
    let s = await state(page);
    assert.equal(s.sim.client.state, 'FIN-WAIT-1', 'a real click on Play stopped before the ACK moved the client on');
    await click(page, 'ctl.step');
    await frames(page, 3);
    s = await state(page);
    assert.equal(s.sim.client.state, 'FIN-WAIT-1', 'Next event stopped before it too');
    await click(page, 'quiz.state-after-fin.skip');
    await page.waitForFunction(() => window.finwave.state().quiz.questions.find((x) => x.id === 'state-after-fin').skipped, null,
      { timeout: 5_000 });
    s = await state(page);
    const q = s.quiz.questions.find((x) => x.id === 'state-after-fin');
    assert.equal(q.skipped, true);
    assert.equal(q.answered, false);
    assert.equal(q.attempts, 0);
    await click(page, 'ctl.play');
    s = await page.waitForFunction(() => window.finwave.state().sim.step_end, null, { timeout: 10_000 }).then(() => state(page));
    assert.equal(s.sim.client.state, 'FIN-WAIT-2', 'Play ran to the step\'s end point');
    assert.equal(s.sim.finished, false, 'and not to the end of the run');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a question about a state withholds it from the views until it is answered', async () => {
  const { context, page, problems } = await open('?lesson=states-step-by-step&step=2&lang=en');
  try {
    let s = await state(page);
    assert.equal(s.sim.hidden.client_state, true);
    assert.equal(s.ui['diagram.state.FIN-WAIT-2'] !== undefined, true, 'the diagram is drawn');
    await command(page, 'answer gate-2017 D');
    s = await state(page);
    assert.equal(s.sim.hidden.client_state, false);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('after a knob change the ladder draws the new run, not the old one', async () => {
  const { context, page, problems } = await open('?lesson=states-step-by-step&lang=en');
  try {
    await frames(page);
    const seg = Object.keys((await state(page)).ui).filter((k) => k.startsWith('ladder.seg.')).sort().pop();
    assert.ok(seg, 'a segment is on the ladder');
    const before = await widget(page, seg);
    assert.equal(await command(page, 'set latency=19ms'), 'ok');
    await frames(page);
    const after = await widget(page, seg);
    assert.notDeepEqual([after.y, after.h], [before.y, before.h], `${seg} is drawn where the 10 ms run had it`);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a short laptop screen gives the timers a tab, so the packets table keeps its rows', async () => {
  const { context, page, problems } = await open('?lesson=time-wait&step=3&lang=en', { width: 1366, height: 657 });
  try {
    await frames(page);
    let s = await state(page);
    assert.ok(s.ui['tab.timers.title'], 'a Timers tab at 1366x657');
    assert.ok(s.ui['tab.packets.title'], 'beside the Packets tab');
    await click(page, 'tab.timers.title');
    await frames(page);
    await page.setViewportSize({ width: 1280, height: 800 });
    await frames(page, 4);
    s = await state(page);
    assert.equal(s.ui['tab.timers.title'], undefined, 'at 1280x800 the timers have their own pane again');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

const overlaps = (a, b) => a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];

test('a short screen keeps room for the ladder; the calls and faults scroll under it', async () => {
  for (const [width, height] of [[1366, 657], [1024, 600]]) {
    const { context, page, problems } = await open('?lesson=why-four-segments&step=3&lang=zh', { width, height });
    try {
      await frames(page);
      const s = await state(page);
      const [, , , h] = s.ui['ladder.area'];
      // 18 lines of text: the exchanges of about eight segments at a short pane's scale.
      assert.ok(h >= 18 * 16 - 1, `${width}x${height}: the ladder is ${h} px high`);
      assertClean(problems);
    } finally {
      await context.close();
    }
  }
});

test('a toolbar tooltip opens beside its button, never over the button or the t = readout', async () => {
  for (const [width, height] of [[1280, 800], [1366, 657], [1024, 600]]) {
    const { context, page, problems } = await open('?lesson=why-four-segments&step=3&lang=en', { width, height });
    try {
      await page.waitForSelector('#offline-mark', { timeout: 15_000 });
      for (const name of ['ctl.reset', 'ctl.back', 'ctl.play', 'ctl.step', 'ctl.timer']) {
        const r = await widget(page, name);
        await page.mouse.move(r.cx, r.cy);
        await frames(page, 4);
        const s = await state(page);
        const tip = s.ui.tooltip;
        assert.ok(tip, `${width}x${height}: no tooltip over ${name}`);
        assert.ok(!overlaps(tip, [r.x, r.y, r.w, r.h]), `${width}x${height}: the tooltip of ${name} ${tip} covers it`);
        assert.ok(!overlaps(tip, s.ui['ctl.clock']), `${width}x${height}: the tooltip of ${name} ${tip} covers t = at ${s.ui['ctl.clock']}`);
        assert.ok(tip[0] >= 0 && tip[1] >= 0 && tip[0] + tip[2] <= width && tip[1] + tip[3] <= height,
          `${width}x${height}: the tooltip of ${name} ${tip} leaves the screen`);
        // The page's offline mark sits in the top bar, where these tooltips open.
        assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('offline-mark')).opacity), '0',
          `${width}x${height}: the offline mark shows through the tooltip of ${name}`);
      }
      await page.mouse.move(2, height - 2);
      await frames(page, 3);
      assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('offline-mark')).opacity), '1',
        `${width}x${height}: the offline mark stays hidden after the tooltip`);
      assertClean(problems);
    } finally {
      await context.close();
    }
  }
});
