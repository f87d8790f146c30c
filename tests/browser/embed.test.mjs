// FinWave inside other pages: deep links and launch parameters, the compact
// embed layout, and the postMessage contract with a host page (the example
// host of docs/embedding.md, dist/examples/host.html), from the same origin
// and from another one, with origins allowed or not, and bad messages.
//
//   scripts/build-web.sh && node --test tests/browser/embed.test.mjs
//
// Screenshots: tests/artifacts/embed-*.png.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  DIST, answerWholeLesson, appFrame, assertClean, openPage, screenshot, state, useSite, waitForReady,
  waitForState, widget,
} from './harness.mjs';

// Learning Locker's xAPI statement validator (npm xapi-validation).
const validateStatement = createRequire(import.meta.url)('xapi-validation').default;
const TEST_ACTOR = { objectType: 'Agent', name: 'Test Learner', mbox: 'mailto:learner@example.org' };

const LESSON = 'states-step-by-step';
const GATE = 'gate-2017';

const site = useSite();    // the built site
let otherUrl;             // another origin: a course site with the example host page

before(async () => {
  const otherDir = await mkdtemp(path.join(os.tmpdir(), 'finwave-host-'));
  site.defer(() => rm(otherDir, { recursive: true, force: true }));
  await cp(path.join(DIST, 'examples', 'host.html'), path.join(otherDir, 'host.html'));
  await writeFile(path.join(otherDir, 'index.html'), '<!doctype html><title>A course site</title>');
  otherUrl = await site.serve(otherDir);
});

const origin = (url) => new URL(url).origin;
const messages = (page, type) => page.evaluate((t) => window.finwaveMessages.filter((m) => t === undefined || m.type === t), type);

async function waitForMessage(page, type, predicate = '() => true', timeout = 10_000) {
  await page.waitForFunction(([t, p]) => window.finwaveMessages.some((m) => m.type === t && new Function('m', `return (${p})(m);`)(m)),
    [type, predicate], { timeout });
  return (await messages(page, type)).filter((m) => new Function('m', `return (${predicate})(m);`)(m)).pop();
}

function warnings(page) {
  const seen = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' && m.text().startsWith('finwave')) seen.push(m.text());
  });
  return seen;
}

test('deep links: language, lesson and step, a quiz only, a scenario with a profile', async () => {
  const { context, page, problems } = await openPage(site.browser);
  try {
    await page.goto(`${site.url}?lang=zh&lesson=${LESSON}&step=3`);
    await waitForReady(page);
    let s = await state(page);
    assert.equal(s.lang, 'zh');
    assert.equal(s.lesson.id, LESSON);
    assert.equal(s.lesson.step, 3);
    assert.equal(s.mode, 'lesson');
    assert.equal(s.embed, false);

    await page.goto(`${site.url}?mode=quiz&lesson=why-four-segments&lang=en`);
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.mode, 'quiz');
    assert.ok(s.quiz.questions.some((q) => q.step === s.lesson.step), 'a quiz opens on a step with a question');
    // Quiz only: no lesson text in the accessible view either, only questions.
    await page.waitForFunction(() => document.querySelector('#a11y-quiz .a11y-question'));
    assert.equal(await page.locator('#a11y-text').innerHTML(), '');
    assert.deepEqual(s.notices, []);

    await page.goto(`${site.url}?scenario=rst-linger-zero&profile=rfc`);
    await waitForReady(page);
    s = await state(page);
    assert.equal(s.sandbox, 'rst-linger-zero');
    assert.equal(s.mode, 'sandbox');
    assert.equal(s.sim.profile, 'rfc');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('bad launch parameters fall back, each with a visible note', async () => {
  const { context, page, problems } = await openPage(site.browser, { viewport: { width: 900, height: 640 } });
  try {
    await page.goto(`${site.url}?mode=exam&embed=maybe&profile=bsd&scenario=nope&lang=en`);
    await waitForReady(page);
    const s = await state(page);
    assert.deepEqual(s.notices.map((n) => n.key).sort(),
      ['notice.bad_embed', 'notice.bad_mode', 'notice.bad_profile', 'notice.unknown_scenario']);
    assert.equal(s.sandbox, 'four-way-close', 'the unknown scenario gives the default one');
    assert.equal(s.embed, false);
    for (let i = 0; i < 4; ++i) await widget(page, `notice.${i}`);
    // The notes are in the accessible view too.
    await page.waitForFunction(() => document.querySelectorAll('#a11y .a11y-notice').length === 4);
    await screenshot(page, 'embed-bad-parameters.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('the compact embed layout: lesson and connection side by side, tabs when narrow', async () => {
  const { context, page, problems } = await openPage(site.browser, { viewport: { width: 640, height: 480 } });
  try {
    await page.goto(`${site.url}?embed=1&lang=en&lesson=${LESSON}&step=2`);
    await waitForReady(page);
    const s = await state(page);
    assert.equal(s.embed, true);
    const next = await widget(page, 'lesson.next');
    const play = await widget(page, 'ctl.play');
    assert.ok(play.x > next.x, 'the connection is beside the lesson');
    assert.ok(!s.ui['diagram.state.FIN-WAIT-1'], 'no state diagram in the compact layout');
    assert.match(await page.evaluate(() => location.search), /embed=1/, 'the URL keeps embed=1');
    await screenshot(page, 'embed-640x480.png');

    await page.setViewportSize({ width: 400, height: 560 });
    await widget(page, 'tab.connection');
    await screenshot(page, 'embed-400x560.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('the page\'s own URL parameters survive the app rewriting its URL; the place is remembered', async () => {
  const { context, page, problems } = await openPage(site.browser);
  try {
    await page.goto(`${site.url}?embed=1&origin=https://course.example&lesson=${LESSON}&lang=en`);
    await waitForReady(page);
    assert.equal(await page.evaluate(() => window.finwave.command('next')), 'ok');
    await page.waitForFunction(() => /step=2/.test(location.search));
    const params = await page.evaluate(() => Object.fromEntries(new URLSearchParams(location.search)));
    assert.equal(params.origin, 'https://course.example');
    assert.equal(params.embed, '1');
    // A visit without a place opens where the learner left off.
    await page.goto(site.url);
    await waitForReady(page);
    const s = await state(page);
    assert.equal(s.lesson.id, LESSON);
    assert.equal(s.lesson.step, 2);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('same-origin host: ready, resize, goto, setLang, and answers as xAPI statements', async () => {
  const { context, page, problems } = await openPage(site.browser, { viewport: { width: 1100, height: 900 } });
  try {
    await page.goto(`${site.url}examples/host.html`);
    const frame = await appFrame(page, '#finwave');
    const ready = await waitForMessage(page, 'ready');
    assert.equal(ready.version, 1);
    assert.equal(ready.lesson, LESSON);
    assert.equal(ready.embed, true);
    assert.match(ready.build, /^[0-9a-f]{16}$/, 'the build id stamped by scripts/stamp-offline.py');

    // The host sizes the frame to the content.
    const resize = await waitForMessage(page, 'resize');
    assert.ok(resize.height >= 420 && resize.height <= 1600, `height ${resize.height}`);
    await page.waitForFunction((h) => document.getElementById('finwave').clientHeight === h, resize.height);

    await page.click('[data-goto]');
    await frame.waitForFunction(() => window.finwave.state().lesson.step === 2);
    await page.click('[data-lang="zh"]');
    await frame.waitForFunction(() => window.finwave.state().lang === 'zh');
    await page.click('[data-lang="en"]');
    await frame.waitForFunction(() => window.finwave.state().lang === 'en');

    // A wrong answer, then the right one, from inside the app.
    await frame.evaluate((id) => {
      window.finwave.command(`answer ${id} C`);
      window.finwave.command(`answer ${id} D`);
    }, GATE);
    await waitForMessage(page, 'answered', '(m) => m.statement.result.success');
    const answered = await messages(page, 'answered');
    assert.equal(answered.length, 2);
    const [wrong, right] = answered.map((m) => m.statement);
    // Ids that do not depend on where FinWave is served.
    const base = 'urn:finwave:';
    assert.equal(right.verb.id, 'http://adlnet.gov/expapi/verbs/answered');
    assert.equal(right.object.id, `${base}lesson:${LESSON}:question:${GATE}`);
    assert.equal(right.object.definition.interactionType, 'choice');
    assert.deepEqual(right.object.definition.correctResponsesPattern, ['D']);
    assert.deepEqual(wrong.object.definition.correctResponsesPattern, ['D']);
    assert.equal(right.object.definition.choices[3].id, 'D');
    assert.deepEqual(right.result.score, { raw: 1, min: 0, max: 1, scaled: 1 });
    assert.equal(right.result.response, 'D');
    assert.equal(right.result.success, true);
    assert.equal(wrong.result.success, false);
    assert.equal(wrong.result.response, 'C');
    assert.equal(right.context.contextActivities.parent[0].id, `${base}lesson:${LESSON}`);
    assert.ok(!('actor' in right), 'the host adds the actor');
    assert.ok(!Number.isNaN(Date.parse(right.timestamp)));

    // Every question of a lesson right: one `completed`.
    await answerWholeLesson(frame, 'why-four-segments');
    const completed = (await waitForMessage(page, 'completed')).statement;
    assert.equal(completed.verb.id, 'http://adlnet.gov/expapi/verbs/completed');
    assert.equal(completed.object.id, `${base}lesson:why-four-segments`);
    assert.equal(completed.result.completion, true);
    assert.equal(completed.result.score.raw, completed.result.score.max);
    assert.equal((await messages(page, 'completed')).length, 1);
    // Every statement, with the actor a host adds, is valid xAPI: no error, no warning.
    const all = [...await messages(page, 'answered'), ...await messages(page, 'completed')].map((m) => m.statement);
    assert.ok(all.length >= 3);
    for (const s of all) {
      if (s.object.definition.interactionType) assert.ok(s.object.definition.correctResponsesPattern?.length === 1, JSON.stringify(s.object));
      const problemsFound = validateStatement({ ...s, actor: TEST_ACTOR });
      assert.deepEqual(problemsFound.map((w) => `${w.path.join('.')}: ${w.message}`), [], JSON.stringify(s));
    }
    await screenshot(page, 'embed-host.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('another origin: nothing is exchanged until the embedder allows it', async () => {
  const { context, page, problems } = await openPage(site.browser, { viewport: { width: 1100, height: 900 } });
  const warned = warnings(page);
  try {
    const appUrl = `${site.url}index.html?embed=1&lang=en&lesson=${LESSON}`;
    await page.goto(`${otherUrl}host.html?app=${encodeURIComponent(appUrl)}`);
    const frame = await appFrame(page, '#finwave');
    await page.waitForTimeout(500);
    assert.deepEqual(await messages(page), [], 'no message to an origin that is not allowed');
    await page.click('[data-goto]');
    await frame.waitForTimeout(500);
    assert.equal((await frame.evaluate(() => window.finwave.state())).lesson.step, 1, 'the goto was ignored');
    assert.ok(warned.some((w) => w.includes(`ignored a message from ${origin(otherUrl)}`)), JSON.stringify(warned));
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('another origin allowed by ?origin=: messages flow; bad ones are ignored with a warning', async () => {
  const { context, page, problems } = await openPage(site.browser, { viewport: { width: 1100, height: 900 } });
  const warned = warnings(page);
  try {
    const appUrl = `${site.url}index.html?embed=1&lang=en&lesson=${LESSON}&origin=${encodeURIComponent(origin(otherUrl))}`;
    await page.goto(`${otherUrl}host.html?app=${encodeURIComponent(appUrl)}`);
    const frame = await appFrame(page, '#finwave');
    await waitForMessage(page, 'ready');
    await waitForMessage(page, 'resize');

    const bad = [
      'a string',
      42,
      null,
      [1, 2],
      { type: 'goto', lesson: LESSON, step: 3 },                       // no target
      { target: 'finwave', type: 'explode' },
      { target: 'finwave', type: 'goto' },
      { target: 'finwave', type: 'goto', lesson: 42 },
      { target: 'finwave', type: 'goto', lesson: '../../etc/passwd' },
      { target: 'finwave', type: 'goto', lesson: LESSON, step: -1 },
      { target: 'finwave', type: 'goto', lesson: LESSON, step: 2.5 },
      { target: 'finwave', type: 'goto', lesson: LESSON, scenario: 'four-way-close' },
      { target: 'finwave', type: 'setLang', lang: 'fr' },
      { target: 'finwave', type: 'goto', lesson: 'no-such-lesson' },   // valid, but no such lesson
    ];
    await page.evaluate(([messagesToSend, to]) => {
      const target = document.getElementById('finwave').contentWindow;
      for (const m of messagesToSend) target.postMessage(m, to);
    }, [bad, origin(site.url)]);
    await frame.waitForTimeout(500);
    const s = await frame.evaluate(() => window.finwave.state());
    assert.equal(s.lesson.id, LESSON);
    assert.equal(s.lesson.step, 1);
    assert.equal(s.lang, 'en');
    const ignored = warned.filter((w) => w.includes('ignored a message') || w.includes('failed'));
    assert.equal(ignored.length, bad.length, JSON.stringify(warned, null, 1));

    // The app still listens.
    await page.evaluate(() => window.sendToFinwave({ type: 'goto', scenario: 'rst-linger-zero' }));
    await frame.waitForFunction(() => window.finwave.state().sandbox === 'rst-linger-zero');
    await page.evaluate(() => window.sendToFinwave({ type: 'setLang', lang: 'zh' }));
    await frame.waitForFunction(() => window.finwave.state().lang === 'zh');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('another origin allowed by embed-config.json; a broken config allows only the page\'s own origin', async () => {
  // No service worker: it would answer the reload from its cache, not from the route.
  const { context, page, problems } = await openPage(site.browser, { viewport: { width: 1100, height: 900 }, serviceWorkers: 'block' });
  const warned = warnings(page);
  try {
    let config = JSON.stringify({ allowedOrigins: [origin(otherUrl), 'not an origin'] });
    await context.route(`${site.url}embed-config.json`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: config }));
    const appUrl = `${site.url}index.html?embed=1&lang=en&lesson=${LESSON}`;
    await page.goto(`${otherUrl}host.html?app=${encodeURIComponent(appUrl)}`);
    let frame = await appFrame(page, '#finwave');
    await waitForMessage(page, 'ready');
    await page.click('[data-goto]');
    await frame.waitForFunction(() => window.finwave.state().lesson.step === 2);
    assert.ok(warned.some((w) => w.includes('"not an origin"')), JSON.stringify(warned));

    config = '{ broken';
    await page.reload();
    frame = await appFrame(page, '#finwave');
    await frame.waitForTimeout(800);
    assert.deepEqual(await messages(page), []);
    assert.ok(warned.some((w) => w.includes('embed-config.json is not usable')), JSON.stringify(warned));
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('the launch names the learner and the activity base: statements carry them, still valid xAPI', async () => {
  const { context, page, problems } = await openPage(site.browser, { viewport: { width: 1100, height: 900 } });
  try {
    const actor = { name: 'Lin Wei', account: { homePage: 'https://lms.example.org', name: 'lin.wei' } };
    const registration = '2b7a4c1e-8d3f-4a6b-9c2d-5e1f0a3b7c9d';
    const appUrl = `${site.url}index.html?embed=1&lang=en&lesson=${LESSON}&actor=${encodeURIComponent(JSON.stringify(actor))}` +
      `&registration=${registration}&activityBase=${encodeURIComponent('https://course.example.org/tcp/')}`;
    await page.goto(`${site.url}examples/host.html?app=${encodeURIComponent(appUrl)}`);
    const frame = await appFrame(page, '#finwave');
    await waitForMessage(page, 'ready');
    await frame.evaluate((id) => {
      window.finwave.command('step 2');
      window.finwave.command(`answer ${id} D`);
    }, GATE);
    const s = (await waitForMessage(page, 'answered')).statement;
    assert.deepEqual(s.actor, { objectType: 'Agent', name: 'Lin Wei', account: actor.account });
    assert.equal(s.context.registration, registration);
    assert.equal(s.object.id, `https://course.example.org/tcp/lessons/${LESSON}/questions/${GATE}`);
    assert.deepEqual(validateStatement(s).map((w) => `${w.path.join('.')}: ${w.message}`), []);
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('a frame sandboxed without allow-same-origin: a message that names the attribute, not "Failed to fetch"', async () => {
  const { context, page } = await openPage(site.browser, { viewport: { width: 900, height: 700 } });
  try {
    await page.goto(`${site.url}examples/host.html`);
    await page.evaluate((src) => {
      document.body.innerHTML = '';
      const frame = document.createElement('iframe');
      frame.id = 'boxed';
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.style.cssText = 'width: 800px; height: 600px';
      frame.src = src;
      document.body.appendChild(frame);
    }, `${site.url}index.html?embed=1&lang=en`);
    const frame = await (await page.waitForSelector('#boxed')).contentFrame();
    await frame.waitForFunction(() => document.getElementById('status')?.classList.contains('error'), null, { timeout: 10_000 });
    const text = await frame.evaluate(() => document.getElementById('status').textContent);
    assert.match(text, /allow-same-origin/);
    assert.doesNotMatch(text, /Failed to fetch/);
    await screenshot(page, 'embed-sandboxed.png');
  } finally {
    await context.close();
  }
});
