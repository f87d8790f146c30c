// Draw on demand: with nothing happening the app draws no frames at all
// (web/main.cpp pauses its main loop); input, a resize, the JS API and a
// playing simulation draw again. window.finwave.state().frame counts the
// frames drawn.
//
//   scripts/build-web.sh && node --test tests/browser/idle.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, click, openPage, state, useSite, waitForReady, widget } from './harness.mjs';

const LESSON = 'states-step-by-step';
const STILL_MS = 3000;

const site = useSite();

const frame = async (page) => (await state(page)).frame;

// Waits until no frame has been drawn for `quietMs`; the frame count then.
async function settle(page, quietMs = 1000, timeout = 15_000) {
  const until = Date.now() + timeout;
  let last = await frame(page);
  let since = Date.now();
  while (Date.now() < until) {
    await page.waitForTimeout(200);
    const now = await frame(page);
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return now;
    }
  }
  throw new Error(`the app never stopped drawing (frame ${last} after ${timeout} ms)`);
}

// Runs `act`, then expects at least one frame more than `before` within 2 s.
async function drawsAgain(page, what, act) {
  const before = await settle(page);
  await act();
  await page.waitForFunction((n) => window.finwave.state().frame > n, before, { timeout: 2000 })
    .catch(() => assert.fail(`${what} drew no frame (still at ${before})`));
}

test('a still lesson draws no frames; a click, a key, a resize and Play draw again', async () => {
  const { context, page, problems } = await openPage(site.browser);
  try {
    await page.goto(`${site.url}?lesson=${LESSON}&lang=en`);
    await waitForReady(page);
    await widget(page, 'lesson.list');
    const settled = await settle(page);
    await page.waitForTimeout(STILL_MS);
    const s = await state(page);
    assert.equal(s.frame, settled, `${s.frame - settled} frames drawn in ${STILL_MS} ms with nothing happening`);
    assert.equal(s.sim?.playing ?? false, false);

    await drawsAgain(page, 'a click', async () => {
      const r = await widget(page, 'lesson.list');
      await page.mouse.click(r.cx, r.cy);
      await page.keyboard.press('Escape');
    });
    await drawsAgain(page, 'a key', () => page.keyboard.press('Tab'));
    await drawsAgain(page, 'a resize', () => page.setViewportSize({ width: 1200, height: 800 }));
    // Step 3 plays on (step 2 ends where it opens).
    await drawsAgain(page, 'a JS API command', () => page.evaluate(() => window.finwave.command('step 3')));

    // Play: frames keep coming with no input at all, as long as it plays.
    await settle(page);
    await click(page, 'ctl.play');
    await page.waitForFunction(() => window.finwave.state().sim.playing, null, { timeout: 2000 });
    const playing = await frame(page);
    await page.waitForTimeout(1000);
    const s2 = await state(page);
    if (s2.sim.playing) assert.ok(s2.frame - playing >= 5, `only ${s2.frame - playing} frames in 1 s of playing`);

    // Paused again: still again.
    await page.evaluate(() => window.finwave.command('pause'));
    const paused = await settle(page);
    await page.waitForTimeout(1500);
    assert.equal(await frame(page), paused, 'frames drawn after pausing');
    assertClean(problems);
  } finally {
    await context.close();
  }
});
