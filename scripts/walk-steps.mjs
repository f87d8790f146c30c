// walk-steps.mjs: a screenshot of every step of every lesson, in both
// languages, at 1280x800 and at a small laptop's 1366x657, for a person to
// look at after a change to a lesson or a panel (the browser tests check
// behaviour; this is for the eye). Console errors fail the walk.
//
//   scripts/build-web.sh && node scripts/walk-steps.mjs [LESSON_ID...]
//
// Writes tests/artifacts/steps/<order>-<lesson>-<lang>-<step>-<W>x<H>.png.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  ARTIFACTS, assertClean, launch, openPage, screenshot, startServer, state, waitForReady,
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
  const command = (text) => page.evaluate((t) => window.finwave.command(t), text);
  const frames = (n) => page.evaluate((k) => new Promise((done) => {
    const next = (left) => (left === 0 ? done() : requestAnimationFrame(() => next(left - 1)));
    next(k);
  }), n);
  const lessons = (await state(page)).lessons.filter((l) => only.length === 0 || only.includes(l.id));
  for (const [width, height] of [[1280, 800], [1366, 657]]) {
    await page.setViewportSize({ width, height });
    for (const lang of ['en', 'zh']) {
      await command(`lang ${lang}`);
      for (const lesson of lessons) {
        await command(`lesson ${lesson.id} 1`);
        const steps = (await state(page)).lesson.steps;
        for (let n = 1; n <= steps; ++n) {
          const reply = await command(`lesson ${lesson.id} ${n}`);
          if (reply !== 'ok') throw new Error(`lesson ${lesson.id} ${n}: ${reply}`);
          await frames(4);
          const name = `${String(lesson.order).padStart(2, '0')}-${lesson.id}-${lang}-${String(n).padStart(2, '0')}-${width}x${height}.png`;
          await screenshot(page, path.join('steps', name));
          shots += 1;
        }
      }
    }
  }
  assertClean(problems);
  await context.close();
  console.log(`${shots} screenshots in ${path.join(ARTIFACTS, 'steps')}`);
} finally {
  await browser.close();
  server.kill();
}
