// The whole simulation through the accessible view (web/page/a11y-sim.js),
// checked as a screen-reader user meets it: through the accessibility tree,
// its live regions and the keyboard. A lost FIN done with the keyboard
// alone; free play driven from the view; knob and profile changes
// announced; axe-core with the view open and hidden in both languages.
//
//   scripts/build-web.sh && node --test tests/browser/a11y-sim.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { assertClean, screenshot, state, useSite, waitForState } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const site = useSite();

async function open(query) {
  const opened = await site.open(query);
  await opened.page.waitForFunction(() => document.querySelector('#a11y-controls button'));
  return opened;
}

const focusedText = (page) => page.evaluate(() => (document.activeElement?.innerText ?? '').replace(/\s+/g, ' ').trim());
const focusedKey = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-key') ?? null);
const focusedName = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? (e.getAttribute('aria-label') || e.textContent || '').trim() : '';
});
const wire = (page) => page.locator('#a11y-wire').textContent();

// Tab (or Shift+Tab) until the control with this data-key has the focus.
async function tabToKey(page, key, { back = false, limit = 200 } = {}) {
  for (let i = 0; i < limit; ++i) {
    if (await focusedKey(page) === key) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`Tab never reached ${key}; the focus is on "${await focusedName(page)}"`);
}

async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
  });
}

test('a lost FIN with the keyboard alone: predict the ACK, then drop the FIN from the table, play, hear the retransmission', async () => {
  const { context, page, problems } = await open('?lesson=why-four-segments&step=2&lang=en');
  try {
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.getElementById('a11y').contains(document.activeElement)));
    // The skip link comes first and lands on the segments' heading.
    assert.equal(await focusedName(page), 'Skip to the question');
    await page.keyboard.press('Tab');
    assert.equal(await focusedName(page), 'Skip to the segments');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'a11y-segments-heading');

    const view = page.getByRole('region', { name: 'FinWave, accessible view' });
    const table = view.getByRole('table', { name: /Every segment on the wire/ });
    const tree = await table.ariaSnapshot();
    for (const column of ['No.', 'Sent (s)', 'Direction', 'Flags', 'Seq', 'Ack', 'Len', 'What became of it', 'Faults']) {
      assert.match(tree, new RegExp(`columnheader "${column.replace(/[.()]/g, '\\$&')}"`));
    }

    // The newest segment is the client's FIN, on the wire (Alt+Shift+S).
    await page.keyboard.press('Alt+Shift+S');
    const row = await focusedText(page);
    assert.match(row, /^#(\d+) .*Client → Server FIN, ACK 101 201 0 on the wire/, row);
    const fin = Number(/^#(\d+)/.exec(row)[1]);
    // The canvas highlights the same segment, as a click on its arrow would.
    await waitForState(page, (s, n) => s.selected_segment === n, fin);
    // Predict first: the question, reached with its shortcut, asks for the
    // server's ACK number before the ACK is on the wire (it is withheld).
    await page.keyboard.press('Alt+Shift+Q');
    assert.equal(await focusedKey(page), 'q:fin-ack-number:field');
    await page.keyboard.type('102');
    await page.keyboard.press('Enter');
    const s = await waitForState(page, (st) => st.quiz.questions.find((q) => q.id === 'fin-ack-number').correct);
    assert.equal(s.quiz.questions.find((q) => q.id === 'fin-ack-number').attempts, 1);
    await page.waitForFunction(() => /^Right\./.test(document.getElementById('a11y-announce').textContent));
    // This step ends where it opens; the next one plays on from here.
    await tabToKey(page, 'step-next');
    await page.keyboard.press('Enter');
    await waitForState(page, (st) => st.lesson.step === 3);
    await page.keyboard.press('Alt+Shift+S');
    assert.match(await focusedText(page), new RegExp(`^#${fin} .*FIN, ACK 101 201 0 on the wire`));
    // Tab from the row reaches its faults; Enter drops it, as a click on its arrow.
    await page.keyboard.press('Tab');
    assert.equal(await focusedName(page), `Drop #${fin}`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /will be lost on the wire/.test(document.getElementById('a11y-announce').textContent));
    const finRow = table.getByRole('row', { name: new RegExp(`^#${fin} `) });
    await page.waitForFunction((n) => [...document.querySelectorAll('#a11y-segments-table tr')]
      .some((tr) => tr.dataset.id === String(n) && tr.dataset.fate === 'lost'), fin);
    assert.deepEqual((await state(page)).sim.drops.map((d) => [d.id, d.learner]), [[fin, true]]);
    assert.match(await finRow.ariaSnapshot(), /lost: you dropped it/);

    // Faster, then play: all from the view's own controls.
    await tabToKey(page, 'sim:speed', { back: true });
    const speed = page.getByRole('combobox', { name: 'Speed' });
    while ((await speed.inputValue()) !== '1') await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => /Speed: 1×/.test(document.getElementById('a11y-announce').textContent));
    // Playing can be over within a frame on a slow machine: what is waited
    // for is that the run moved on, not the moment it was seen playing.
    const before = (await state(page)).sim.view_us;
    await page.keyboard.press('Alt+Shift+P');
    await waitForState(page, (s, t) => s.sim.playing || s.sim.view_us > t, before);

    // The retransmission, announced politely with its numbers and its original.
    const heard = new RegExp(`client retransmits FIN, ACK, Seq 101, Ack 201 \\(retransmission of #${fin}\\)`);
    await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('a11y-wire').textContent),
      heard.source, { timeout: 20_000 });
    assert.equal(await page.locator('#a11y-wire').getAttribute('aria-live'), 'polite');
    // ... and the table holds it, with the server's ACK of it.
    await page.waitForFunction(() => [...document.querySelectorAll('#a11y-segments-table tbody tr')]
      .some((tr) => tr.dataset.from === 'server' && tr.cells[5].textContent === '102'), null, { timeout: 20_000 });
    assert.ok((await state(page)).sim.retransmissions >= 1);
    const resent = await table.getByRole('row', { name: /retransmission of/ }).first().ariaSnapshot();
    assert.match(resent, new RegExp(`retransmission of #${fin}`));

    await screenshot(page, 'a11y-sim-lost-fin.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('free play driven entirely from the view', async () => {
  const { context, page, problems } = await open('?lesson=why-four-segments&lang=en');
  try {
    const view = page.getByRole('region', { name: 'FinWave, accessible view' });
    await page.keyboard.press('Tab');
    await view.getByRole('combobox', { name: 'Lesson' }).selectOption('scenario:half-close');
    await view.getByRole('button', { name: 'Open' }).press('Enter');
    await waitForState(page, (s) => s.mode === 'sandbox' || s.sandbox === 'half-close' || s.lesson?.id === undefined);
    await page.waitForFunction(() => /half-close/.test(document.getElementById('a11y-title').textContent));

    const controls = view.getByRole('region', { name: 'Controls' });
    const client = controls.getByRole('group', { name: "Client's application" });
    const server = controls.getByRole('group', { name: "Server's application" });
    assert.match(await client.ariaSnapshot(), /spinbutton "Bytes to send"/);
    for (const call of ['send', 'close()', 'shutdown()', 'read()', 'abort', 'exit', 'connect()']) {
      assert.equal(await client.getByRole('button', { name: call, exact: true }).count(), 1, call);
      assert.equal(await server.getByRole('button', { name: call, exact: true }).count(), 1, call);
    }

    // Step until both sides are connected, from the playback group.
    const nextEvent = view.getByRole('group', { name: 'Simulation' }).getByRole('button', { name: 'Next event' });
    // One press at a time, each waited for: a view a frame behind must not
    // make the loop step past ESTABLISHED into the scenario's own calls.
    const established = (st) => st.sim.client.state === 'ESTABLISHED' && st.sim.server.state === 'ESTABLISHED';
    for (let i = 0; i < 20 && !established(await state(page)); ++i) {
      const at = (await state(page)).sim.position;
      await nextEvent.press('Enter');
      await waitForState(page, (st, p) => st.sim.position > p, at);
    }
    await page.waitForFunction(() => /Client: ESTABLISHED\. Server: ESTABLISHED\./.test(document.getElementById('a11y-states').textContent));
    assert.match(await page.locator('#a11y-states').textContent(), /Client: ESTABLISHED\. Server: ESTABLISHED\./);

    // The server writes 300 bytes, the client's next segment is lost, then the server closes.
    const bytes = server.getByRole('spinbutton', { name: 'Bytes to send' });
    await bytes.fill('300');
    await server.getByRole('button', { name: 'send', exact: true }).press('Enter');
    await page.waitForFunction(() => [...document.querySelectorAll('#a11y-segments-table tbody tr')]
      .some((tr) => tr.dataset.from === 'server' && tr.cells[6].textContent === '300'));
    await controls.getByRole('group', { name: 'Faults' }).getByRole('button', { name: "Drop the client's next segment" }).press('Enter');
    await page.waitForFunction(() => /next segment the client sends will be lost/.test(document.getElementById('a11y-announce').textContent));
    await server.getByRole('button', { name: 'close()', exact: true }).press('Enter');
    let s = await state(page);
    assert.equal(s.sim.server.state, 'FIN-WAIT-1');

    // Timers in the view: the server's retransmission timer has a deadline.
    const timers = view.getByRole('table', { name: /Each side's timers/ });
    assert.match(await timers.ariaSnapshot(), /row "(retransmit|loss probe) off expires at [\d.]+ s, in [\d.]+ s"/);

    for (let i = 0; i < 60 && !(await page.evaluate(() => [...document.querySelectorAll('#a11y-segments-table tbody tr')]
      .some((tr) => tr.dataset.fate === 'lost'))); ++i) {
      await nextEvent.press('Enter');
    }
    await page.waitForFunction(() => /is lost/.test(document.getElementById('a11y-wire').textContent), null, { timeout: 5_000 });

    // The client reads and closes; run to the end with Next timer and Next event.
    await client.getByRole('button', { name: 'read()', exact: true }).press('Enter');
    await client.getByRole('button', { name: 'close()', exact: true }).press('Enter');
    const nextTimer = view.getByRole('group', { name: 'Simulation' }).getByRole('button', { name: 'Next timer' });
    for (let i = 0; i < 80 && !(await state(page)).sim.finished; ++i) {
      if ((await nextEvent.getAttribute('aria-disabled')) === 'true') break;
      await (i % 5 === 4 ? nextTimer : nextEvent).press('Enter');
    }
    s = await state(page);
    assert.equal(s.sim.client.state, 'CLOSED');
    assert.equal(s.sim.server.state, 'CLOSED');
    assert.match(await page.locator('#a11y-log').textContent(), /TIME-WAIT/);
    // Every loss the engine recorded is a row of the table marked lost.
    assert.equal(await page.locator('#a11y-segments-table tbody tr[data-fate="lost"]').count(), s.sim.drops.length);
    assert.ok(s.sim.drops.length >= 1);
    await screenshot(page, 'a11y-sim-free-play.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('new segments are announced at a rate a listener can follow, merged while playing fast', async () => {
  const { context, page, problems } = await open('?mode=sandbox&scenario=four-way-close&lang=en');
  try {
    // Every change of the polite region, with its time.
    await page.evaluate(() => {
      window.heardWire = [];
      new MutationObserver(() => {
        const text = document.getElementById('a11y-wire').textContent;
        if (text) window.heardWire.push({ at: performance.now(), text });
      }).observe(document.getElementById('a11y-wire'), { childList: true, characterData: true, subtree: true });
    });
    await page.keyboard.press('Tab');
    const before = await page.locator('#a11y-segments-table tbody tr').count();
    await page.getByRole('combobox', { name: 'Speed' }).selectOption('60');
    await page.keyboard.press('Alt+Shift+P');
    await waitForState(page, (s) => s.sim.finished, null, 30_000);
    await page.waitForTimeout(2_000);  // the last merged announcement
    const heard = await page.evaluate(() => window.heardWire);
    assert.ok(heard.length >= 1);
    for (let i = 1; i < heard.length; ++i) {
      assert.ok(heard[i].at - heard[i - 1].at >= 1_400, `announcements ${Math.round(heard[i].at - heard[i - 1].at)} ms apart`);
    }
    // Eleven segments in well under a second of playing: merged, with the last one named.
    assert.ok(heard.some((h) => /^\d+ new segments\. .*last: (client|server) sends /.test(h.text)), JSON.stringify(heard));
    const rows = await page.locator('#a11y-segments-table tbody tr').count();
    const told = heard.reduce((n, h) => n + (Number(/^(\d+) new segments/.exec(h.text)?.[1]) || h.text.split('. ').length), 0);
    assert.equal(told, rows - before, 'every new segment counted once');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('the focus stays in its part of the view when the step changes', async () => {
  const { context, page, problems } = await open('?lesson=why-four-segments&step=2&lang=en');
  try {
    await page.keyboard.press('Tab');
    await page.keyboard.press('Alt+Shift+S');
    assert.match(await focusedKey(page), /^seg:\d+$/);
    // The step changes from elsewhere (the canvas's Next, a host page): the
    // focused row belongs to the old run.
    await page.evaluate(() => window.finwave.command('next'));
    await waitForState(page, (s) => s.lesson.step === 3);
    await page.waitForFunction(() => document.getElementById('a11y-step').textContent.startsWith('Step 3'));
    assert.ok(await page.evaluate(() => document.getElementById('a11y-segments').contains(document.activeElement)),
      `the focus is on "${await focusedName(page)}"`);
    // On a button of the playback group, it stays on that button.
    await page.locator('[data-key="sim:event"]').focus();
    await page.evaluate(() => window.finwave.command('next'));
    await waitForState(page, (s) => s.lesson.step === 4);
    assert.equal(await focusedKey(page), 'sim:event');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('knob and profile changes are announced, from the view and from elsewhere', async () => {
  const { context, page, problems } = await open('?lesson=why-four-segments&step=2&lang=en');
  try {
    const knobs = page.getByRole('region', { name: 'Knobs' });
    await page.keyboard.press('Tab');
    await page.keyboard.press('Alt+Shift+C');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'a11y-controls-heading');
    const finTimeout = knobs.getByRole('textbox', { name: 'fin_timeout' });
    assert.match(await finTimeout.getAttribute('aria-describedby'), /help/);
    const lessonValue = await finTimeout.inputValue();
    await finTimeout.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5s');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /fin_timeout is now 5s\. This step's simulation restarted\./.test(document.getElementById('a11y-announce').textContent));
    assert.equal(await focusedKey(page), 'knob:fin_timeout', 'the focus stays on the knob');

    await knobs.getByRole('radio', { name: 'RFC 9293' }).check();
    await page.waitForFunction(() => /^Profile: RFC 9293\./.test(document.getElementById('a11y-announce').textContent));
    assert.equal(await knobs.getByRole('radio', { name: 'RFC 9293' }).isChecked(), true);

    // A change made elsewhere (the canvas, the API) is announced too.
    await page.evaluate(() => window.finwave.command('set time_wait=10s'));
    await page.waitForFunction(() => /time_wait is now 10s/.test(document.getElementById('a11y-announce').textContent));
    assert.equal(await knobs.getByRole('textbox', { name: 'time_wait' }).inputValue(), '10s');

    await knobs.getByRole('button', { name: "Back to the lesson's values" }).press('Enter');
    await page.waitForFunction(() => /knobs are back to the lesson's values/.test(document.getElementById('a11y-announce').textContent));
    assert.equal(await finTimeout.inputValue(), lessonValue);
    assert.equal((await state(page)).sim.profile, 'linux');
    // A bad value: the engine's message, and nothing changes.
    await finTimeout.fill('soon');
    await finTimeout.press('Enter');
    await page.waitForFunction(() => /fin_timeout/.test(document.getElementById('a11y-announce').textContent) &&
      !/is now/.test(document.getElementById('a11y-announce').textContent));
    assertClean(problems);
  } finally {
    await context.close();
  }
});

test('Chinese: every element in the right language, every word translated', async () => {
  // The step whose Play goes on from the FIN on the wire: new segments to hear.
  const { context, page, problems } = await open('?lesson=why-four-segments&step=3&lang=zh');
  try {
    await page.keyboard.press('Tab');
    await page.getByRole('region', { name: 'FinWave 无障碍视图' }).waitFor();
    await page.keyboard.press('Alt+Shift+N');
    await page.waitForFunction(() => document.querySelectorAll('#a11y-segments-table tbody tr').length > 0);
    const stray = await page.evaluate(() => {
      // Words of English outside an element marked lang="en". Identifiers
      // (states, flags, knobs, calls, fields) are the same in both languages.
      // Knob names and the values a learner types (off, auto, time, count) are identifiers too.
      const allowed = /^(FinWave|FIN|ACK|SYN|RST|PSH|Seq|Ack|Len|Linux|RFC|MSL|TCP|Nagle|SHUT_WR|SO_[A-Z]+|Alt|Shift|[A-Z]{2,}|[A-Z]+(-[A-Z0-9]+)+|[a-z_]+\(\)|[a-z]+_[a-z0-9_]+|[a-z]+(-[a-z0-9]+)+|send|abort|exit|on|off|auto|time|count|English|[A-Z]|ms|s)$/;
      const out = [];
      const walker = document.createTreeWalker(document.getElementById('a11y'), NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const lang = n.parentElement.closest('[lang]')?.getAttribute('lang');
        if (lang === 'en' || n.parentElement.closest('code, pre, kbd')) continue;
        if (lang !== 'zh-CN') out.push(`no zh-CN lang: "${n.textContent}"`);
        for (const word of n.textContent.match(/[A-Za-z][A-Za-z0-9_()-]+/g) ?? []) {
          if (!allowed.test(word)) out.push(`"${word}" in "${n.textContent.slice(0, 60)}"`);
        }
      }
      return out;
    });
    assert.deepEqual(stray, []);
    assert.match(await page.locator('#a11y-segments-heading').textContent(), /报文段/);
    // A new segment, announced in Chinese.
    for (let i = 0; i < 10 && !(await wire(page)); ++i) {
      await page.keyboard.press('Alt+Shift+N');
      await page.waitForTimeout(300);
    }
    await page.waitForFunction(() => document.getElementById('a11y-wire').textContent !== '', null, { timeout: 5_000 });
    assert.match(await wire(page), /^(客户端|服务器)(发送|重传) (FIN|ACK|SYN|RST)[^。]*，Seq \d+/);
    await screenshot(page, 'a11y-sim-zh.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

for (const lang of ['en', 'zh']) {
  test(`axe-core (${lang}): 0 violations with the view hidden and open, in a lesson and in free play`, async () => {
    const { context, page, problems } = await open(`?lesson=why-four-segments&step=2&lang=${lang}`);
    try {
      // Hidden: nothing has the focus.
      assert.deepEqual(await axeViolations(page), [], 'view hidden');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Alt+Shift+N');
      await page.waitForFunction(() => document.querySelectorAll('#a11y-segments-table tbody tr').length > 0);
      assert.ok((await page.locator('#a11y').boundingBox()).width > 300, 'the view is open');
      assert.deepEqual(await axeViolations(page), [], 'view open, lesson');
      await page.evaluate(() => window.finwave.command('sandbox half-close'));
      // The scenario's title in the page's language (strings/: scenario.half-close).
      await page.waitForFunction((l) => (l === 'zh' ? /自由练习：半关闭/ : /half-close/).test(document.getElementById('a11y-title').textContent), lang);
      await page.keyboard.press('Alt+Shift+C');
      assert.deepEqual(await axeViolations(page), [], 'view open, free play');
      await screenshot(page, `a11y-sim-axe-${lang}.png`);
      assertClean(problems);
    } finally {
      await context.close();
    }
  });
}
