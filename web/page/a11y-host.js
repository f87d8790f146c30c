// A busy host in the accessible view (web/page/a11y.js draws the rest): the
// sockets by state on each host, the counters that moved, the ports in use,
// and the socket table as a real table (its first rows and how many there
// are) with the canvas's filter and order, which send the commands the
// canvas's widgets send. Drawn from the mirror's live JSON ("host",
// web/model/host_json.cpp), which changes once a virtual second.
//
// While it plays, the counts are announced politely, at most once every few
// seconds, so that a listener can follow them.
(function () {
  'use strict';

  var kit = window.finwaveA11yKit;
  if (!kit) return;
  var t = kit.t, format = kit.format, el = kit.el, setText = kit.setText;

  var ANNOUNCE_EVERY_MS = 6000;
  var lastSaid = 0;

  var section = kit.sections.host;
  var heading = el('h2', { id: 'a11y-host-heading', tabindex: '-1' });
  var portsLine = el('p', { id: 'a11y-host-ports' });
  var countsCaption = el('caption');
  var countsHead = el('tr');
  var countsBody = el('tbody');
  var countsTable = el('table', { id: 'a11y-host-counts' }, [countsCaption, el('thead', {}, [countsHead]), countsBody]);
  var countersHeading = el('h3', { id: 'a11y-host-counters-heading' });
  var countersList = el('ul', { id: 'a11y-host-counters' });
  var tableHeading = el('h3', { id: 'a11y-host-table-heading' });
  var filterLabel = el('label', { for: 'a11y-host-filter' });
  var filterSelect = el('select', { id: 'a11y-host-filter', 'data-key': 'host:filter' });
  var sortLabel = el('label', { for: 'a11y-host-sort' });
  var sortSelect = el('select', { id: 'a11y-host-sort', 'data-key': 'host:sort' });
  var rowsLine = el('p', { id: 'a11y-host-rows' });
  var sockCaption = el('caption');
  var sockHead = el('tr');
  var sockBody = el('tbody');
  var sockTable = el('table', { id: 'a11y-host-table' }, [sockCaption, el('thead', {}, [sockHead]), sockBody]);
  var status = el('div', { role: 'status', id: 'a11y-host-status', 'aria-live': 'polite' });
  section.appendChild(el('div', {}, [heading, portsLine, countsTable, countersHeading, countersList, tableHeading,
    el('div', { class: 'a11y-bar' }, [filterLabel, filterSelect, sortLabel, sortSelect]), rowsLine, sockTable, status]));
  section.setAttribute('aria-labelledby', 'a11y-host-heading');
  section.hidden = true;

  filterSelect.addEventListener('change', function () { kit.send('host-filter ' + filterSelect.value, 'host:filter'); });
  sortSelect.addEventListener('change', function () { kit.send('host-sort ' + sortSelect.value, 'host:sort'); });

  var COLUMNS = [['state', 'host.col_state'], ['recv-q', 'host.col_recvq'], ['send-q', 'host.col_sendq'],
    ['local', 'host.col_local'], ['peer', 'host.col_peer'], ['host', 'host.col_host']];
  var sideName = function (side) { return t(side === 'server' ? 'side.server' : 'side.client'); };

  function headRow(row, names) {
    row.textContent = '';
    names.forEach(function (n) { row.appendChild(el('th', { scope: 'col', text: n })); });
  }

  function options(select, items, current) {
    var sig = JSON.stringify(items) + '|' + current;
    if (select.getAttribute('data-sig') === sig) return;
    select.setAttribute('data-sig', sig);
    select.textContent = '';
    items.forEach(function (i) { select.appendChild(el('option', { value: i[0], text: i[1], selected: i[0] === current })); });
  }

  // "Client host: TIME-WAIT 1940, ESTABLISHED 20" with every count.
  function countsSentence(h) {
    return format(t('host.a11y_counts'), [sideName(h.side), h.counts.map(function (c) { return c.state + ' ' + c.n; })
      .join(kit.lang() === 'zh' ? '，' : ', ')]);
  }

  function render(host, before) {
    setText(heading, t('host.list_title') + ': ' + host.scenario);
    setText(portsLine, format(t('host.a11y_ports'), [host.hosts[0].ports, host.port_range[1] - host.port_range[0] + 1,
      host.port_range[0], host.port_range[1]]));
    setText(countsCaption, format(t('host.a11y_counts_caption'), [host.t]));
    headRow(countsHead, [t('host.col_state')].concat(host.hosts.map(function (h) { return sideName(h.side); })));
    countsBody.textContent = '';
    host.hosts[0].counts.forEach(function (c, k) {
      var tr = el('tr', {}, [el('th', { scope: 'row', text: c.state })]);
      host.hosts.forEach(function (h) { tr.appendChild(el('td', { text: String(h.counts[k].n) })); });
      countsBody.appendChild(tr);
    });
    setText(countersHeading, t('host.tab_counters'));
    countersList.textContent = '';
    host.hosts.forEach(function (h) {
      h.counters.forEach(function (c) {
        countersList.appendChild(el('li', { text: sideName(h.side) + ': ' + c.name + ' ' + c.n }));
      });
    });
    setText(tableHeading, t('host.tab_sockets'));
    setText(filterLabel, t('host.filter') + ' ');
    options(filterSelect, [['all', t('host.filter_all')]].concat(host.states.map(function (s) { return [s, s]; })), host.filter || 'all');
    setText(sortLabel, ' ' + t('host.a11y_sort') + ' ');
    var sorts = [];
    COLUMNS.forEach(function (c) {
      sorts.push([c[0] + ' asc', format(t('host.a11y_sort_up'), [t(c[1])])]);
      sorts.push([c[0] + ' desc', format(t('host.a11y_sort_down'), [t(c[1])])]);
    });
    options(sortSelect, sorts, host.sort + (host.descending ? ' desc' : ' asc'));
    setText(rowsLine, format(t('host.a11y_rows'), [host.rows.length, host.shown, host.total]));
    setText(sockCaption, format(t('host.rows'), [host.shown, host.total]));
    headRow(sockHead, COLUMNS.map(function (c) { return t(c[1]); }));
    sockBody.textContent = '';
    host.rows.forEach(function (r) {
      sockBody.appendChild(el('tr', {}, [el('th', { scope: 'row', text: r.state }), el('td', { text: String(r.recv_q) }),
        el('td', { text: String(r.send_q) }), el('td', { text: r.local }), el('td', { text: r.peer }),
        el('td', { text: sideName(r.host) })]));
    });
    // Playing: the counts now and then, not every second.
    var now = Date.now();
    if (host.playing && before && now - lastSaid >= ANNOUNCE_EVERY_MS) {
      lastSaid = now;
      status.textContent = format(t('a11y.time'), [host.t]) + ' ' + host.hosts.map(countsSentence).join(' ');
    } else if (before && before.playing && !host.playing) {
      status.textContent = format(t('a11y.time'), [host.t]) + ' ' + host.hosts.map(countsSentence).join(' ');
    }
  }

  var shown = null;
  kit.host = {
    update: function (live) {
      var host = live && live.host ? live.host : null;
      section.hidden = !host;
      if (!host) {
        shown = null;
        return;
      }
      var before = shown && shown.scenario === host.scenario ? shown : null;
      shown = host;
      render(host, before);
    },
    // Another language: the same numbers in its words.
    relabel: function () {
      if (shown) render(shown, null);
    },
  };
})();
