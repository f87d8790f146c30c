// The app in Chinese, as a Chinese learner uses it: a lost-FIN lesson step, a
// RST step and free play, every tab and panel opened. What the learner can
// read - the text in window.finwave.state() and the accessible view - holds
// no English word outside the terms Chinese textbooks keep (FIN, ACK, state
// names, close(), ...). Screenshots of every panel: tests/artifacts/zh-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertClean, click, openPage, screenshot, state, useSite, waitForReady, waitForState,
} from './harness.mjs';

const site = useSite();

// Words a Chinese text keeps in Latin letters.
const ALLOWED = new Set(['FIN', 'ACK', 'RST', 'SYN', 'PSH', 'Seq', 'Ack', 'Len', 'MSL', 'RTO', 'RTT', 'MSS', 'ISN', 'TCP', 'EOF',
  'Linux', 'RFC', 'FinWave', 'Nagle', 'HTTP', 'LISTEN', 'CLOSED', 'ESTABLISHED', 'CLOSING', 'LAST', 'WAIT', 'SENT', 'RECEIVED',
  'CLOSE', 'TIME', 'SHUT', 'LINGER', 'KEEPALIVE', 'NXT', 'RCV', 'SND', 'UNA', 'off', 'auto', 'time', 'count', 'min', 'Maximum',
  'Segment', 'Lifetime', 'English', 'Space', 'Enter', 'Esc', 'Ctrl', 'Alt', 'Shift', 'Tab', 'CABD', 'linux', 'rfc', 'ato', 'jiffy', 'swiftshader']);
// Function calls, kernel names and errno names are kept too: close(), tcp_fin_timeout, ECONNRESET, SO_LINGER.
const KEPT = /[A-Za-z_][A-Za-z0-9_]*\([^)]*\)|\b(?:tcp|net|ipv4|SO|SHUT)_[A-Za-z0-9_.]+|\bE[A-Z]{3,}\b|\b[a-z]+_[a-z0-9_]+\b|\b[A-Z]+-[A-Z0-9-]+\b/g;

function englishWords(text) {
  return (String(text).replace(KEPT, ' ').match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !ALLOWED.has(w));
}

// The learner-visible strings of the app's state: texts, titles, notices,
// feedback - not identifiers such as widget names or scenario ids.
function learnerText(value, key = '', out = []) {
  if (typeof value === 'string') {
    if (/^(text|title|html|message|notices|step_title|prompt|feedback|why|label|choices|description|error|help)$/.test(key)) out.push(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => learnerText(v, key, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (k !== 'ui') learnerText(v, k, out);
  }
  return out;
}

async function assertChinese(page, where) {
  const texts = learnerText(await state(page));
  // The accessible view's text, less what it marks as identifiers: lang="en"
  // (knob and call names a learner types, as the canvas shows them) and code.
  const a11y = await page.evaluate(() => {
    const parts = [];
    const walker = document.createTreeWalker(document.getElementById('a11y'), NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el.checkVisibility() || el.closest('[lang]')?.getAttribute('lang') === 'en' || el.closest('code, pre, kbd')) continue;
      parts.push(n.textContent);
    }
    return parts.join('\n');
  });
  const found = [];
  for (const t of [...texts, a11y]) for (const w of englishWords(t.replace(/<[^>]+>/g, ' '))) found.push(`${w} in "${t.slice(0, 80)}"`);
  assert.deepEqual(found, [], `${where}: English words a Chinese learner would read`);
  assert.ok(texts.length > 3, `${where}: state() holds learner text`);
}

async function playToEnd(page) {
  await page.evaluate(() => {
    for (let i = 0; i < 400 && window.finwave.command('event') === 'ok';) ++i;
  });
}

async function openEveryTab(page, prefix) {
  for (const tab of ['tab.packets.title', 'tab.events.title', 'tab.settings.title']) {
    await click(page, tab);
    await page.waitForTimeout(150);
    await assertChinese(page, `${prefix} ${tab}`);
    await screenshot(page, `zh-${prefix}-${tab.split('.')[1]}.png`);
  }
}

test('zh: a lost-FIN step, a RST step and free play speak Chinese in every panel', async () => {
  const { page, problems } = await openPage(site.browser);
  await page.goto(`${site.url}?lang=zh&lesson=lost-segments`);
  await waitForReady(page);
  const first = await state(page);
  assert.equal(first.lang, 'zh');

  // The lesson's step with the lost first FIN: played to the end.
  const step = await page.evaluate(() => {
    const f = window.finwave;
    for (let s = 1; s <= f.state().lesson.steps; ++s) {
      f.command(`step ${s}`);
      if (f.state().sandbox === '' && JSON.stringify(f.state()).includes('first-fin-lost')) return s;
    }
    f.command('step 2');
    return 2;
  });
  await playToEnd(page);
  await assertChinese(page, `lost-segments step ${step}`);
  await screenshot(page, 'zh-lost-fin-lesson.png');
  await openEveryTab(page, 'lost-fin');

  // A RST step.
  assert.equal(await page.evaluate(() => window.finwave.command('lesson rst 2')), 'ok');
  await playToEnd(page);
  await assertChinese(page, 'rst step 2');
  await screenshot(page, 'zh-rst-lesson.png');

  // Free play with a knob changed badly: the error is in Chinese too.
  assert.equal(await page.evaluate(() => window.finwave.command('sandbox first-fin-lost')), 'ok');
  await waitForState(page, (s) => s.sandbox === 'first-fin-lost');
  await playToEnd(page);
  const refused = await page.evaluate(() => window.finwave.command('set fin_timeout=3'));
  assert.match(refused, /^error: 参数“fin_timeout”不接受“3”/);
  await assertChinese(page, 'free play');
  await openEveryTab(page, 'free-play');

  // The lesson list with the free-play scenarios: their Chinese titles.
  await click(page, 'lesson.list');
  await page.waitForTimeout(200);
  await screenshot(page, 'zh-lesson-list.png');
  await click(page, 'header.keys');
  await page.waitForTimeout(200);
  await assertChinese(page, 'keyboard help');
  await screenshot(page, 'zh-keys.png');
  assertClean(problems, 'in the zh session');
});
