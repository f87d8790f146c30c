// The simulation in the accessible view (web/page/a11y.js draws the rest):
// the table of segments that the ladder draws, each side's timers, and the
// controls of the run (both applications' calls, the faults, the knobs).
// Every control sends the command its canvas widget sends, through
// window.finwave.command; every part is drawn from the mirror's live JSON
// (web/model/mirror_live.cpp), which holds only what the learner may see.
//
// Updated in place: nodes are kept and only their words change, so that a
// screen reader's position, a focused row and a half-typed knob survive the
// many updates of a playing run.
(function () {
  'use strict';

  var kit = window.finwaveA11yKit;
  if (!kit) return;
  var t = kit.t, format = kit.format, el = kit.el, setText = kit.setText;

  // How often a new segment may be announced, so that a listener can follow;
  // what arrives in between is merged into one sentence.
  var ANNOUNCE_EVERY_MS = 1500;

  var live = null;
  var segRun = null;       // the run the announced segments belong to
  var segAnnounced = -1;   // trace index of the newest send announced
  var lostAnnounced = {};  // row keys whose loss was announced
  var pending = [];        // sentences waiting for the next announcement
  var lastSaid = 0;
  var sayTimer = 0;
  var knobSig = null;      // what the learner changed, for announcing changes
  var speedBefore = null;
  var activeRow = null;    // the row that Tab enters the table at

  // --- Skeleton ---------------------------------------------------------------------
  var segHeading = el('h2', { id: 'a11y-segments-heading', tabindex: '-1' });
  var segNote = el('p', { id: 'a11y-segments-note' });
  var segCaption = el('caption');
  var segHead = el('tr');
  var segBody = el('tbody');
  var segTable = el('table', { id: 'a11y-segments-table' }, [segCaption, el('thead', {}, [segHead]), segBody]);
  var wire = el('div', { role: 'status', id: 'a11y-wire', 'aria-live': 'polite' });
  kit.sections.segments.appendChild(el('div', {}, [segHeading, segNote, segTable, wire]));
  kit.sections.segments.setAttribute('aria-labelledby', 'a11y-segments-heading');

  var timersHeading = el('h2', { id: 'a11y-timers-heading', tabindex: '-1' });
  var timersCaption = el('caption');
  var timersHead = el('tr');
  var timersBody = el('tbody');
  kit.sections.timers.appendChild(timersHeading);
  kit.sections.timers.appendChild(el('table', { id: 'a11y-timers-table' }, [timersCaption, el('thead', {}, [timersHead]), timersBody]));
  kit.sections.timers.setAttribute('aria-labelledby', 'a11y-timers-heading');

  var controlsHeading = el('h2', { id: 'a11y-controls-heading', tabindex: '-1' });
  var callGroups = { client: el('div', { role: 'group', id: 'a11y-calls-client' }), server: el('div', { role: 'group', id: 'a11y-calls-server' }) };
  var faultsGroup = el('div', { role: 'group', id: 'a11y-faults' });
  var knobsHeading = el('h3', { id: 'a11y-knobs-heading' });
  var knobsBox = el('div', { id: 'a11y-knobs' });
  kit.sections.controls.appendChild(controlsHeading);
  kit.sections.controls.appendChild(callGroups.client);
  kit.sections.controls.appendChild(callGroups.server);
  kit.sections.controls.appendChild(faultsGroup);
  kit.sections.controls.appendChild(el('section', { 'aria-labelledby': 'a11y-knobs-heading' }, [knobsHeading, knobsBox]));
  kit.sections.controls.setAttribute('aria-labelledby', 'a11y-controls-heading');

  // --- Words ------------------------------------------------------------------------
  var sideName = function (side) { return t(side === 'server' ? 'side.server' : 'side.client'); };
  var sideLower = function (side) { return t(side === 'server' ? 'side.server_lower' : 'side.client_lower'); };

  // "FIN, ACK, Seq 101, Ack 201", as a capture tool labels it.
  function segmentWords(row) {
    return format(t('a11y.seg_words'), [row.flags, row.seq]) +
      (row.ack !== null ? format(t('a11y.seg_ack_words'), [row.ack]) : '') +
      (row.len > 0 ? format(t('a11y.seg_len_words'), [row.len]) : '');
  }

  function fateWords(row) {
    var words = [];
    if (row.fate === 'delivered') words.push(format(t('a11y.fate_delivered'), [row.arrives]));
    else if (row.fate === 'lost') words.push(t(row.cause === 'learner' ? 'a11y.fate_lost_learner' : 'a11y.fate_lost'));
    else words.push(format(t('a11y.fate_in-flight'), [row.arrives]));
    if (row.copy) words.push(t('a11y.fate_copy'));
    if (row.duplicated) words.push(t('a11y.fate_duplicated'));
    if (row.delayed) words.push(t('a11y.fate_delayed'));
    if (row.retransmission) {
      words.push(row.original !== undefined ? format(t('a11y.fate_retransmission'), [row.original]) : t('a11y.fate_retransmitted'));
    }
    return words.join(kit.lang() === 'zh' ? '；' : '; ');
  }

  function sentFor(row) {
    if (row.copy) return format(t('a11y.seg_copied'), [row.id]);
    if (row.retransmission && row.original !== undefined) {
      return format(t('a11y.seg_resends'), [sideLower(row.from), segmentWords(row), row.original]);
    }
    return format(t('a11y.seg_sends'), [sideLower(row.from), segmentWords(row)]);
  }

  // --- Announcing segments at a rate a listener can follow --------------------------------
  function queue(sentence, notable) {
    pending.push({ text: sentence, notable: notable });
    var wait = Math.max(0, lastSaid + ANNOUNCE_EVERY_MS - Date.now());
    if (!sayTimer) sayTimer = setTimeout(flush, wait);
  }

  function flush() {
    sayTimer = 0;
    if (pending.length === 0) return;
    var items = pending.splice(0);
    var text;
    if (items.length <= 3) {
      text = items.map(function (i) { return i.text; }).join('. ');
    } else {
      // Playing fast: how many, what mattered (losses, retransmissions), and the last.
      var notable = items.slice(0, -1).filter(function (i) { return i.notable; }).slice(-2);
      text = [format(t('a11y.seg_many'), [items.length])]
        .concat(notable.map(function (i) { return i.text; }))
        .concat([format(t('a11y.seg_latest'), [items[items.length - 1].text])]).join('. ');
    }
    wire.textContent = text + (kit.lang() === 'zh' ? '。' : '.');
    lastSaid = Date.now();
  }

  function resetAnnouncements(rows) {
    pending = [];
    clearTimeout(sayTimer);
    sayTimer = 0;
    segAnnounced = rows.reduce(function (m, r) { return Math.max(m, r.event); }, -1);
    lostAnnounced = {};
    rows.forEach(function (r) { if (r.fate === 'lost') lostAnnounced[rowKey(r)] = true; });
  }

  function announceSegments(rows, before) {
    var rewound = before && before.has_sim && live.position < before.position;
    if (live.run !== segRun || rewound) {
      // Another step, a reset or a rewind: what is on the table now was not just sent.
      segRun = live.run;
      resetAnnouncements(rows);
      return;
    }
    rows.forEach(function (r) {
      if (r.event > segAnnounced) {
        queue(sentFor(r), r.retransmission);
        segAnnounced = r.event;
      }
      if (r.fate === 'lost' && !lostAnnounced[rowKey(r)]) {
        lostAnnounced[rowKey(r)] = true;
        queue(format(t('a11y.seg_lost'), [r.id]), true);
      }
    });
  }

  // --- The table of segments ----------------------------------------------------------
  function rowKey(row) { return 'seg:' + row.id + (row.copy ? ':copy' : ''); }

  var columns = ['a11y.seg_no', 'a11y.seg_time', 'a11y.seg_dir', 'a11y.seg_flags', 'a11y.seg_seq', 'a11y.seg_ack',
    'a11y.seg_len', 'a11y.seg_fate', 'a11y.seg_actions'];

  function headerRow(tr, keys) {
    if (tr.childNodes.length !== keys.length) {
      tr.textContent = '';
      keys.forEach(function () { tr.appendChild(el('th', { scope: 'col' })); });
    }
    keys.forEach(function (key, i) { setText(tr.childNodes[i], t(key)); });
  }

  function faultButton(row, verb) {
    return kit.button(format(t('a11y.seg_' + verb), [row.id]), rowKey(row) + ':' + verb, verb + ' ' + row.id, {
      after: function (reply) { if (reply === 'ok') kit.announce(format(t('a11y.fault_' + verb), [row.id])); },
    });
  }

  function fillRow(tr, row) {
    if (tr.childNodes.length === 0) {
      tr.appendChild(el('th', { scope: 'row' }));
      for (var c = 1; c < columns.length; ++c) tr.appendChild(el('td'));
    }
    var cells = tr.childNodes;
    setText(cells[0], '#' + row.id);
    setText(cells[1], row.t);
    setText(cells[2], format(t('a11y.seg_dir_value'), [sideName(row.from), sideName(row.to)]));
    setText(cells[3], row.flags);
    setText(cells[4], String(row.seq));
    setText(cells[5], row.ack === null ? '' : String(row.ack));
    setText(cells[6], String(row.len));
    setText(cells[7], fateWords(row));
    tr.setAttribute('data-fate', row.fate);
    tr.setAttribute('data-from', row.from);
    // Faults apply to a segment still on the wire, as a click on its arrow.
    var actions = cells[8];
    var want = row.fate === 'in-flight' && !row.copy && !live.finished ? t('a11y.seg_drop') + row.id : '';
    if (actions.getAttribute('data-for') !== want) {
      var keep = actions.contains(document.activeElement) ? document.activeElement.getAttribute('data-key') : null;
      actions.textContent = '';
      actions.setAttribute('data-for', want);
      if (want) ['drop', 'duplicate', 'delay'].forEach(function (verb) { actions.appendChild(faultButton(row, verb)); });
      if (keep) {
        var again = actions.querySelector('[data-key="' + keep + '"]');
        (again || tr).focus({ preventScroll: true });
      }
    }
  }

  function setActiveRow(tr) {
    if (activeRow && activeRow !== tr && activeRow.isConnected) activeRow.setAttribute('tabindex', '-1');
    activeRow = tr;
    if (tr) tr.setAttribute('tabindex', '0');
  }

  function moveRow(from, to) {
    if (!to) return;
    setActiveRow(to);
    to.focus();
  }

  segBody.addEventListener('keydown', function (event) {
    var tr = event.target.closest && event.target.closest('tr');
    if (!tr || event.target !== tr || event.altKey || event.ctrlKey || event.metaKey) return;
    var rows = segBody.querySelectorAll('tr[data-key]');
    var target = null;
    if (event.key === 'ArrowDown') target = tr.nextElementSibling;
    else if (event.key === 'ArrowUp') target = tr.previousElementSibling;
    else if (event.key === 'Home') target = rows[0];
    else if (event.key === 'End') target = rows[rows.length - 1];
    else return;
    event.preventDefault();
    moveRow(tr, target);
  });
  segBody.addEventListener('focusin', function (event) {
    var tr = event.target.closest && event.target.closest('tr[data-key]');
    if (!tr) return;
    setActiveRow(tr);
    // The canvas highlights the same segment, as a click on it would.
    if (event.target === tr && window.finwave) window.finwave.command('select ' + tr.getAttribute('data-id'));
  });

  function renderSegments(before) {
    setText(segHeading, t('a11y.segments'));
    setText(segCaption, t('a11y.seg_caption'));
    headerRow(segHead, columns);
    var data = live && live.has_sim ? live.segments : null;
    var rows = data ? data.rows : [];
    setText(segNote, !data ? '' : rows.length === 0 ? t('a11y.seg_none')
      : data.total > rows.length ? format(t('a11y.seg_shown'), [rows.length, data.total]) : '');
    segTable.hidden = rows.length === 0;
    var existing = {};
    Array.prototype.forEach.call(segBody.querySelectorAll('tr[data-key]'), function (tr) { existing[tr.getAttribute('data-key')] = tr; });
    var focusedKey = segBody.contains(document.activeElement) ? kit.keyOf(document.activeElement) : null;
    var next = null;
    for (var i = rows.length - 1; i >= 0; --i) {
      var key = rowKey(rows[i]);
      var tr = existing[key];
      if (!tr) tr = el('tr', { 'data-key': key, 'data-id': String(rows[i].id), tabindex: '-1' });
      delete existing[key];
      fillRow(tr, rows[i]);
      if (tr.nextSibling !== next || tr.parentNode !== segBody) segBody.insertBefore(tr, next);
      next = tr;
    }
    Object.keys(existing).forEach(function (k) { segBody.removeChild(existing[k]); });
    if (!activeRow || !activeRow.isConnected) setActiveRow(segBody.lastElementChild);
    if (focusedKey && !segBody.contains(document.activeElement)) {
      // The learner's row went (another step, a rewind): stay in the table.
      (segBody.lastElementChild || segHeading).focus({ preventScroll: true });
    }
    if (data) announceSegments(rows, before);
  }

  // --- Timers -----------------------------------------------------------------------
  function renderTimers() {
    setText(timersHeading, t('timers.title'));
    setText(timersCaption, t('a11y.timers_caption'));
    headerRow(timersHead, ['a11y.timer_name', 'side.client', 'side.server']);
    var rows = live && live.has_sim && live.timers ? live.timers : [];
    while (timersBody.childNodes.length > rows.length) timersBody.removeChild(timersBody.lastChild);
    rows.forEach(function (row, i) {
      var tr = timersBody.childNodes[i];
      if (!tr) {
        tr = el('tr', {}, [el('th', { scope: 'row' }), el('td'), el('td')]);
        timersBody.appendChild(tr);
      }
      tr.setAttribute('data-timer', row.kind);
      setText(tr.childNodes[0], t('timer.' + row.kind));
      ['client', 'server'].forEach(function (side, k) {
        var at = row[side];
        setText(tr.childNodes[k + 1], at ? format(t('a11y.timer_at'), [at.deadline, at.left]) : t('a11y.timer_off'));
        tr.childNodes[k + 1].setAttribute('data-armed', at ? 'true' : 'false');
      });
    });
  }

  // --- Calls, faults, knobs -----------------------------------------------------------
  var CALLS = [['call.close', 'close'], ['call.shutdown', 'shutdown'], ['call.read', 'read'], ['call.abort', 'abort'],
    ['call.exit', 'exit'], ['call.connect', 'connect']];
  var bytes = { client: '100', server: '100' };

  function renderCalls() {
    var running = live && live.has_sim;
    ['client', 'server'].forEach(function (side) {
      var group = callGroups[side];
      var focused = group.contains(document.activeElement) ? kit.keyOf(document.activeElement) : null;
      var input = group.querySelector('input');
      if (input) bytes[side] = input.value;
      group.textContent = '';
      var label = format(t('a11y.calls'), [sideName(side)]);
      group.setAttribute('aria-labelledby', 'a11y-calls-' + side + '-h');
      group.appendChild(el('h3', { id: 'a11y-calls-' + side + '-h', text: label }));
      var inputId = 'a11y-bytes-' + side;
      var form = el('form', { class: 'a11y-send' }, [
        el('label', { for: inputId, text: t('a11y.bytes') + ' ' }),
        el('input', { id: inputId, type: 'number', min: '1', max: '1000000', step: '1', value: bytes[side], 'data-key': 'bytes:' + side }),
        el('button', { type: 'submit', 'data-key': 'call:' + side + ':send', text: t('call.send'), title: t('call.tip_send'), lang: 'en',
          'aria-disabled': running ? null : 'true' }),
      ]);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        if (!running) return;
        var n = form.querySelector('input').value.trim();
        kit.send('call ' + side + ' send ' + n, 'call:' + side + ':send');
      });
      group.appendChild(form);
      CALLS.forEach(function (call) {
        group.appendChild(kit.button(t(call[0]), 'call:' + side + ':' + call[1], 'call ' + side + ' ' + call[1],
          { title: t('call.tip_' + call[1]), 'aria-disabled': running ? null : 'true', lang: 'en' }));
      });
      kit.refocus(group, focused);
    });
    var focusedFault = faultsGroup.contains(document.activeElement) ? kit.keyOf(document.activeElement) : null;
    faultsGroup.textContent = '';
    faultsGroup.setAttribute('aria-labelledby', 'a11y-faults-h');
    faultsGroup.appendChild(el('h3', { id: 'a11y-faults-h', text: t('a11y.faults') }));
    ['client', 'server'].forEach(function (side) {
      faultsGroup.appendChild(kit.button(t('fault.drop_next_' + side), 'fault:next:' + side, 'drop-next ' + side, {
        title: t('fault.tip_drop_next'), 'aria-disabled': running ? null : 'true',
        after: function (reply) { if (reply === 'ok') kit.announce(format(t('a11y.fault_next'), [sideLower(side)])); },
      }));
    });
    kit.refocus(faultsGroup, focusedFault);
  }

  function currentKnob(name) {
    var k = live ? live.knobs.filter(function (x) { return x.name === name; })[0] : null;
    return k ? k.value : null;
  }

  function renderKnobs() {
    setText(knobsHeading, t('a11y.knobs'));
    var knobs = live ? live.knobs : [];
    var focused = knobsBox.contains(document.activeElement) ? document.activeElement : null;
    var sig = kit.lang() + '|' + knobs.map(function (k) { return k.name; }).join(',');
    if (knobsBox.getAttribute('data-sig') !== sig) {
      knobsBox.setAttribute('data-sig', sig);
      var focusKey = focused ? kit.keyOf(focused) : null;
      knobsBox.textContent = '';
      var profile = el('div', { role: 'radiogroup', 'aria-labelledby': 'a11y-profile-label', id: 'a11y-profile' },
        [el('span', { id: 'a11y-profile-label', text: t('settings.profile') + ' ' })]);
      ['linux', 'rfc'].forEach(function (p) {
        var id = 'a11y-profile-' + p;
        var radio = el('input', { type: 'radio', name: 'a11y-profile', id: id, value: p, 'data-key': 'profile:' + p });
        radio.addEventListener('change', function () { if (radio.checked) kit.send('profile ' + p, 'profile:' + p); });
        profile.appendChild(radio);
        profile.appendChild(el('label', { for: id, text: t(p === 'linux' ? 'settings.profile_linux' : 'settings.profile_rfc') + ' ' }));
      });
      knobsBox.appendChild(profile);
      knobsBox.appendChild(kit.button(t('settings.reset'), 'knobs:reset', 'knobs-default', { id: 'a11y-knobs-reset' }));
      knobsBox.appendChild(el('p', { text: t('settings.restarts') }));
      var list = el('ul', { class: 'a11y-knob-list' });
      knobs.forEach(function (k) {
        var id = 'a11y-knob-' + k.name;
        var input;
        if (k.kind === 'bool') {
          input = el('input', { type: 'checkbox', id: id, 'data-key': 'knob:' + k.name, 'aria-describedby': id + '-help' });
          input.addEventListener('change', function () { kit.send('set ' + k.name + '=' + (input.checked ? 'on' : 'off'), 'knob:' + k.name); });
        } else {
          input = el('input', { type: 'text', id: id, 'data-key': 'knob:' + k.name, 'aria-describedby': id + '-help', spellcheck: 'false' });
        }
        var form = el('form', { class: 'a11y-knob', 'data-knob': k.name }, [
          el('label', { for: id, lang: 'en', text: k.name }), input,
          el('span', { id: id + '-help', class: 'a11y-help', lang: k.help_lang, text: k.help }),
        ]);
        // Enter, or leaving the field with a new value, sets it, as on the
        // canvas; the same value again would only restart the run.
        var commit = function () {
          var value = input.value.trim();
          if (value !== currentKnob(k.name)) kit.send('set ' + k.name + '=' + value, 'knob:' + k.name);
        };
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          if (k.kind !== 'bool') commit();
        });
        if (k.kind !== 'bool') input.addEventListener('change', commit);
        list.appendChild(el('li', {}, [form]));
      });
      knobsBox.appendChild(list);
      kit.refocus(knobsBox, focusKey);
      focused = knobsBox.contains(document.activeElement) ? document.activeElement : null;
    }
    if (!live) return;
    ['linux', 'rfc'].forEach(function (p) { knobsBox.querySelector('#a11y-profile-' + p).checked = live.profile === p; });
    var changedAny = live.profile_changed || knobs.some(function (k) { return k.changed; });
    knobsBox.querySelector('#a11y-knobs-reset').hidden = !changedAny;
    knobs.forEach(function (k) {
      var input = knobsBox.querySelector('[data-key="knob:' + k.name + '"]');
      if (!input || input === focused && k.kind !== 'bool') return;  // not while the learner types in it
      if (k.kind === 'bool') input.checked = k.value === 'on';
      else if (input.value !== k.value) input.value = k.value;
      input.closest('form').setAttribute('data-changed', k.changed ? 'true' : 'false');
    });
  }

  // Profile and knob changes, from this view or from the canvas.
  function announceSettings() {
    var changed = {};
    live.knobs.forEach(function (k) { if (k.changed) changed[k.name] = k.value; });
    var sig = { profile: live.profile, profileChanged: live.profile_changed, knobs: changed };
    var before = knobSig;
    knobSig = sig;
    if (speedBefore !== null && speedBefore !== live.speed) {
      kit.announce(format(t('a11y.speed_changed'), [format(t('ctl.speed_unit'), [kit.speedNumber(live.speed)])]));
    }
    speedBefore = live.speed;
    if (!before) return;
    var hadChanges = Object.keys(before.knobs).length > 0 || before.profileChanged;
    if (hadChanges && Object.keys(changed).length === 0 && !sig.profileChanged) {
      kit.announce(t('a11y.knobs_reset'));
      return;
    }
    if (before.profile !== sig.profile) {
      kit.announce(format(t('a11y.profile_changed'), [t(sig.profile === 'rfc' ? 'settings.profile_rfc' : 'settings.profile_linux')]));
      return;
    }
    var names = Object.keys(changed).filter(function (n) { return before.knobs[n] !== changed[n]; });
    if (names.length > 0) {
      kit.announce(names.map(function (n) { return format(t('a11y.knob_changed'), [n, changed[n]]); }).join(' '));
    }
  }

  // --- From a11y.js -------------------------------------------------------------------
  kit.sim = {
    // The language or the lesson changed: every word again.
    relabel: function () {
      setText(controlsHeading, t('a11y.app_controls'));
      knobsBox.removeAttribute('data-sig');
      Array.prototype.forEach.call(segBody.childNodes, function (tr) { tr.textContent = ''; });
      segBody.textContent = '';
      activeRow = null;
      renderAll(null);
    },
    update: function (next, before) {
      live = next;
      renderAll(before);
      announceSettings();
    },
    focusNewestSegment: function () {
      var tr = segBody.lastElementChild;
      if (tr) moveRow(null, tr);
      else segHeading.focus();
    },
    focusControls: function () { controlsHeading.focus(); },
  };

  function renderAll(before) {
    renderSegments(before);
    renderTimers();
    if (!before || !live || before.has_sim !== live.has_sim || before.finished !== live.finished || !callGroups.client.firstChild) renderCalls();
    renderKnobs();
  }
})();
