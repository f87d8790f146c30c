// walk-steps.mjs: a screenshot of every step of every lesson, in both
// languages, at 1280x800 and at a small laptop's 1366x657, for a person to
// look at after a change to a lesson or a panel (tests/browser/walk.test.mjs
// checks the same walk; this is for the eye). Console errors fail the walk.
//
//   scripts/build-web.sh && node scripts/walk-steps.mjs [LESSON_ID...]
//
// Writes tests/artifacts/steps/<order>-<lesson>-<lang>-<step>-<W>x<H>.png.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  ARTIFACTS, assertClean, launch, openPage, screenshot, startServer, waitForReady, walkSteps,
} from '../tests/browser/harness.mjs';

const only = process.argv.slice(2);
const { child: server, url } = await startServer();
const browser = await launch();
let shots = 0;
try {
  await mkdir(path.join(ARTIFACTS, 'steps'), { recursive: true });
  const { context, page, problems } = await openPage(browser, { viewport: { width: 1280, height: 800 } });
  await page.goto(url + '?lang=en');
  await waitForReady(page);
  for (const [width, height] of [[1280, 800], [1366, 657]]) {
    await page.setViewportSize({ width, height });
    shots += await walkSteps(page, async ({ lesson, lang, step }) => {
      const name = `${String(lesson.order).padStart(2, '0')}-${lesson.id}-${lang}-${String(step).padStart(2, '0')}-${width}x${height}.png`;
      await screenshot(page, path.join('steps', name));
    }, only);
  }
  assertClean(problems);
  await context.close();
  console.log(`${shots} screenshots in ${path.join(ARTIFACTS, 'steps')}`);
} finally {
  await browser.close();
  server.kill();
}
