// Browser smoke test of the built site (dist/): the page starts the app in
// Debian's Chromium with software WebGL2, the JS API answers, input reaches
// the app, the picture is not blank, and failures show as text.
//
//   scripts/build-web.sh && node --test tests/browser/
//
// Screenshots land in tests/artifacts/ for a person to look at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { colourHistogram, decodePng } from './png.mjs';
import { ARTIFACTS, READY_TIMEOUT_MS, openPage as openPageIn, useSite, waitForReady } from './harness.mjs';

const site = useSite();
// The smoke test's pages are a little smaller than the other tests' ones.
const openPage = (contextOptions = {}) =>
  openPageIn(site.browser, { viewport: { width: 1000, height: 700 }, ...contextOptions });

async function saveScreenshot(page, name) {
  const png = await page.screenshot();
  await writeFile(path.join(ARTIFACTS, name), png);
  return decodePng(png);
}

test('the app starts, answers its JS API, takes input and draws', async () => {
  const { context, page, problems } = await openPage();
  try {
    await page.goto(site.url);
    const hasWebGL2 = await page.evaluate(
      () => !!document.createElement('canvas').getContext('webgl2'));
    assert.ok(hasWebGL2, 'WebGL2 is not available in this Chromium: every other check would be ' +
      'meaningless (are the SwiftShader flags still accepted?)');

    await waitForReady(page);
    const state = await page.evaluate(() => window.finwave.state());
    assert.equal(state.ready, true);
    assert.ok(state.frame >= 1, `frame ${state.frame}`);
    assert.ok(state.font_glyphs > 100,
      `the CJK font subset did not load (${state.font_glyphs} glyphs): Chinese would show as '?'`);
    assert.equal(await page.evaluate(() => window.finwave.command('ping')), 'pong');
    assert.equal(await page.isVisible('#status'), false, 'the loading message is still shown');

    // Input goes through SDL's browser event handlers into the app. (Not
    // Tab: it moves the page's focus, out of the canvas too; web/page/a11y.js.)
    const before = state.input_events;
    await page.mouse.click(200, 150);
    await page.keyboard.press('Escape');
    await page.waitForFunction((n) => window.finwave.state().input_events >= n + 2, before,
      { timeout: 5_000 });

    const frameBefore = state.frame;
    await page.waitForFunction((n) => window.finwave.state().frame > n + 2, frameBefore);
    const image = await saveScreenshot(page, 'smoke.png');
    const colours = colourHistogram(image);
    const [, background] = [...colours.entries()].sort((a, b) => b[1] - a[1])[0];
    const drawn = image.width * image.height - background;
    assert.ok(colours.size > 1, 'the screenshot is a single colour');
    assert.ok(drawn > 2_000, `only ${drawn} pixels differ from the background: nothing drawn?`);

    assert.deepEqual(problems.pageErrors, [], 'uncaught exceptions');
    assert.deepEqual(problems.consoleErrors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('the drawing buffer follows the CSS size and devicePixelRatio', async () => {
  const { context, page, problems } = await openPage({ viewport: { width: 640, height: 400 },
    deviceScaleFactor: 2 });
  try {
    await page.goto(site.url);
    await waitForReady(page);
    const canvasSize = () => page.evaluate(() => {
      const canvas = document.getElementById('canvas');
      return [canvas.width, canvas.height, canvas.clientWidth, canvas.clientHeight];
    });
    await page.waitForFunction(() => document.getElementById('canvas').width === 1280);
    assert.deepEqual(await canvasSize(), [1280, 800, 640, 400]);
    await saveScreenshot(page, 'smoke-hidpi.png');

    await page.setViewportSize({ width: 500, height: 300 });
    await page.waitForFunction(() => document.getElementById('canvas').width === 1000, null,
      { timeout: 5_000 });
    assert.deepEqual(await canvasSize(), [1000, 600, 500, 300]);

    // A ratio change without a change of CSS size (browser zoom, another
    // screen): the buffer follows and the font atlas is rebuilt.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride',
      { width: 500, height: 300, deviceScaleFactor: 3, mobile: false });
    await page.waitForFunction(() => document.getElementById('canvas').width === 1500, null,
      { timeout: 5_000 });
    assert.deepEqual(await canvasSize(), [1500, 900, 500, 300]);
    await page.waitForFunction(() => window.finwave.state().font_pixel_ratio === 3, null,
      { timeout: 5_000 });
    // (No screenshot here: taking one re-applies Playwright's own scale factor.)
    assert.deepEqual(problems.pageErrors, []);
    assert.deepEqual(problems.consoleErrors, []);
  } finally {
    await context.close();
  }
});

test('without WebGL2 the page says so instead of going blank', async () => {
  const { context, page, problems } = await openPage();
  try {
    await page.addInitScript(() => {
      const getContext = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
        return kind === 'webgl2' ? null : getContext.call(this, kind, ...rest);
      };
    });
    await page.goto(site.url);
    await page.waitForSelector('#status.error h1', { timeout: 10_000 });
    assert.match(await page.textContent('#status h1'), /WebGL 2 is not available/);
    await saveScreenshot(page, 'no-webgl2.png');
    assert.deepEqual(problems.pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a .wasm that fails to load shows an error instead of a blank page', async () => {
  const { context, page, problems } = await openPage();
  try {
    await page.route('**/finwave.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(site.url);
    await page.waitForSelector('#status.error h1', { timeout: READY_TIMEOUT_MS });
    assert.match(await page.textContent('#status h1'), /FinWave (stopped|could not start)/);
    await saveScreenshot(page, 'no-wasm.png');
    assert.deepEqual(problems.pageErrors, [], 'uncaught exceptions');
  } finally {
    await context.close();
  }
});
