// A busy host in free play: ?scenario=busy-client-closes-first opens the
// host panel, Play runs it at 1x, and the counts in window.finwave.state()
// are those `finwave run NAME --summary` prints for the same instant. The
// socket table sorts by a click on a column's head and filters by state
// through its combo box; both languages, screenshots at 1280x800 and
// 1366x657 (tests/artifacts/busy-host-*.png). The accessible view's counts,
// table, filter and order, with axe-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  ROOT, assertClean, click, command, frames, screenshot, state, useSite, waitForReady, waitForState, widget,
} from './harness.mjs';

const site = useSite();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const SCENARIO = 'busy-client-closes-first';

// The terminal tool's summary: {t_us: {client: {STATE: n, ports}, server: ...}}.
function summaryFromCli(name) {
  const candidates = [process.env.FINWAVE, path.join(ROOT, 'build', 'check', 'cli', 'finwave'),
    path.join(ROOT, 'build', 'native', 'cli', 'finwave')].filter(Boolean);
  const tool = candidates.find((c) => existsSync(c));
  assert.ok(tool, `the finwave tool is needed (tried ${candidates.join(', ')})`);
  const lines = execFileSync(tool, ['run', name, '--summary'], { encoding: 'utf8' }).split('\n');
  const head = lines.find((l) => /^\s*time\s+host\s/.test(l)).trim().split(/\s+/);
  const rows = {};
  for (const line of lines) {
    const cells = line.trim().split(/\s+/);
    if (cells.length !== head.length || !/^\d+\.\d{3}$/.test(cells[0])) continue;
    const t = Math.round(Number(cells[0]) * 1e6);
    const row = {};
    head.forEach((h, k) => { if (k >= 2) row[h] = cells[k] === '-' ? null : Number(cells[k]); });
    (rows[t] ??= {})[cells[1]] = row;
  }
  return rows;
}

const summary = summaryFromCli(SCENARIO);

const addressKey = (a) => {
  const [host, port] = a.split(':');
  return [host, port === '*' ? -1 : Number(port)];
};
const compareAddress = (a, b) => {
  const [ha, pa] = addressKey(a);
  const [hb, pb] = addressKey(b);
  return ha !== hb ? (ha < hb ? -1 : 1) : pa - pb;
};

test('busy host: Play at 1x gives the counts of finwave run --summary; the table sorts and filters', async () => {
  const { context, page, problems } = await site.open(`?scenario=${SCENARIO}&lang=en`, { viewport: { width: 1280, height: 800 } });
  try {
    await waitForReady(page);
    let s = await state(page);
    assert.deepEqual(s.notices, []);
    assert.equal(s.mode, 'sandbox');
    assert.equal(s.sandbox, SCENARIO);
    assert.equal(s.sim, null);
    assert.equal(s.host.scenario, SCENARIO);
    assert.equal(s.host.speed, 1, 'a busy host plays at 1x');
    assert.equal(s.host.view_us, 0);
    await widget(page, 'host.chart_client');
    await widget(page, 'host.ports');

    await click(page, 'ctl.play');
    s = await waitForState(page, (st) => st.host.sample && st.host.sample.t_us >= 2_000_000, null, 15_000);
    assert.equal(s.host.playing, true);
    assert.equal(await command(page, 'pause'), 'ok');
    s = await state(page);
    // The newest sample against the tool's row for the same instant.
    const at = s.host.sample.t_us;
    assert.ok(summary[at], `the tool printed no row at ${at} us`);
    for (const side of ['client', 'server']) {
      for (const [name, n] of Object.entries(s.host.sample[side].states)) {
        assert.equal(n, summary[at][side][name], `${side} ${name} at ${at / 1e6} s`);
      }
      if (side === 'client') assert.equal(s.host.sample.client.ports, summary[at].client.ports, 'client ports');
      assert.equal(s.host.sample[side].fds, summary[at][side].fds, `${side} fds`);
    }
    assert.ok(s.host.sample.client.states['TIME-WAIT'] > 500, 'the client closes first: its TIME-WAIT pile grows');
    assert.equal(s.host.sample.server.states['TIME-WAIT'], 0);
    const total = s.host.table.total;
    const alive = (side) => Object.entries(s.host.now[side].states).reduce((sum, [, n]) => sum + n, 0);
    assert.equal(total, alive('client') + alive('server'), 'the table lists every socket counted');
    await screenshot(page, 'busy-host-en-1280x800.png');

    // Sort: a click on the Local head sorts by it, a second click reverses.
    await click(page, 'host.col.local');
    s = await waitForState(page, (st) => st.host.table.sort === 'local' && !st.host.table.descending);
    const locals = s.host.table.first.map((r) => r.local);
    assert.deepEqual(locals, [...locals].sort(compareAddress));
    await click(page, 'host.col.local');
    s = await waitForState(page, (st) => st.host.table.sort === 'local' && st.host.table.descending);
    const down = s.host.table.first.map((r) => r.local);
    assert.deepEqual(down, [...down].sort(compareAddress).reverse());
    assert.ok(compareAddress(down[0], locals[0]) > 0);

    // Filter: the combo box, then TIME-WAIT.
    await click(page, 'host.filter');
    await click(page, 'host.filter.TIME-WAIT');
    s = await waitForState(page, (st) => st.host.table.filter === 'TIME-WAIT');
    assert.equal(s.host.table.shown, s.host.now.client.states['TIME-WAIT'] + s.host.now.server.states['TIME-WAIT']);
    assert.ok(s.host.table.first.length > 0);
    for (const r of s.host.table.first) assert.equal(r.state, 'TIME-WAIT');
    await frames(page, 3);
    await widget(page, 'host.row0');

    // Both languages at both sizes: every part of the panel in sight.
    for (const [lang, width, height] of [['en', 1366, 657], ['zh', 1366, 657], ['zh', 1280, 800]]) {
      assert.equal(await command(page, `lang ${lang}`), 'ok');
      await page.setViewportSize({ width, height });
      await frames(page, 4);
      assert.equal((await state(page)).lang, lang);
      for (const name of ['host.chart_client', 'host.chart_server', 'host.ports', 'host.fds', 'host.tab_sockets', 'host.tab_counters',
        'host.col.state', 'host.col.host', 'host.filter', 'host.rows', 'host.row0', 'host.legend.TIME-WAIT', 'ctl.play', 'ctl.clock']) {
        const r = await widget(page, name);
        assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= width && r.y + r.h <= height, `${name} is in sight at ${width}x${height}: ${JSON.stringify(r)}`);
      }
      await screenshot(page, `busy-host-${lang}-${width}x${height}.png`);
    }
    await click(page, 'host.tab_counters');
    await frames(page, 3);
    await screenshot(page, 'busy-host-counters-zh-1280x800.png');
    assertClean(problems);
  } finally {
    await context.close();
  }
});

{
  const lang = 'zh';
  test('busy host: the accessible view has the counts per host and the table, filters it, and axe-core finds nothing in either language', async () => {
    const { context, page, problems } = await site.open(`?scenario=busy-server-closes-first&lang=${lang}`);
    try {
      await waitForReady(page);
      await page.waitForFunction(() => !document.getElementById('a11y-host').hidden);
      assert.equal(await command(page, 'speed 5'), 'ok');
      // Play from the view's own button, as a keyboard user would.
      const play = page.locator('#a11y-controls [data-key="sim:play"]');
      await play.focus();
      await page.keyboard.press('Enter');
      await waitForState(page, (st) => st.host.view_us >= 3_000_000, null, 15_000);
      await play.focus();
      await page.keyboard.press('Enter');
      let s = await waitForState(page, (st) => !st.host.playing);
      // The view is told once a virtual second: wait for the newest second.
      const second = String(Math.round(s.host.view_us / 1e6));
      await page.waitForFunction((sec) => document.querySelector('#a11y-host-counts caption').textContent.includes(sec), second);
      s = await state(page);
      const cell = (side, name) => page.evaluate(([k, st]) => {
        const row = [...document.querySelectorAll('#a11y-host-counts tbody tr')].find((r) => r.querySelector('th').textContent === st);
        return row ? Number(row.querySelectorAll('td')[k].textContent) : null;
      }, [side === 'client' ? 0 : 1, name]);
      for (const side of ['client', 'server']) {
        for (const name of ['ESTABLISHED', 'FIN-WAIT-2', 'CLOSE-WAIT', 'LAST-ACK', 'TIME-WAIT']) {
          assert.equal(await cell(side, name), s.host.now[side].states[name], `${side} ${name}`);
        }
      }
      assert.ok(s.host.now.server.states['TIME-WAIT'] > 0, 'the server closes first: its TIME-WAIT pile');
      const rows = () => page.locator('#a11y-host-table tbody tr').count();
      assert.equal(await rows(), Math.min(20, s.host.table.shown));
      const caption = await page.locator('#a11y-host-table caption').textContent();
      assert.ok(caption.includes(String(s.host.table.total)), caption);
      if (lang === 'zh') assert.match(caption, /套接字/);
      // The filter in the view sends the canvas's command.
      await page.selectOption('#a11y-host-filter', 'TIME-WAIT');
      s = await waitForState(page, (st) => st.host.table.filter === 'TIME-WAIT');
      await page.waitForFunction(() => [...document.querySelectorAll('#a11y-host-table tbody th')].every((th) => th.textContent === 'TIME-WAIT'));
      assert.equal(await rows(), Math.min(20, s.host.table.shown));
      await page.selectOption('#a11y-host-sort', 'local desc');
      await waitForState(page, (st) => st.host.table.sort === 'local' && st.host.table.descending);
      // Stopped: the counts are said once, politely.
      const said = await page.locator('#a11y-host-status').textContent();
      assert.match(said, /TIME-WAIT \d+/);
      assert.equal(await page.locator('#a11y-host-status').getAttribute('aria-live'), 'polite');
      await page.locator('#a11y-host-filter').focus();
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
      });
      assert.deepEqual(violations, [], 'zh');
      await screenshot(page, 'busy-host-a11y-zh.png');
      assert.equal(await command(page, 'lang en'), 'ok');
      await page.waitForFunction(() => /sockets/.test(document.querySelector('#a11y-host-table caption').textContent));
      await page.locator('#a11y-host-sort').focus();
      const english = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')})`);
      });
      assert.deepEqual(english, [], 'en');
      assertClean(problems);
    } finally {
      await context.close();
    }
  });
}
