// Keyboard-first journal grid: arrows/Tab/Enter move, typing edits, Delete clears, and every
// cell saves in the background when left. The server answers with the same fragments the page
// was rendered from (cell, row summary, column count), which replace their namesakes by id.
(function () {
  'use strict';
  var table = document.getElementById('journal');
  if (!table) return;
  var editable = table.hasAttribute('data-editable');
  var courseId = table.getAttribute('data-course');
  var state = document.getElementById('save-state');

  // The server sends each cell as little as it can (id, classes, record versions, text): what follows
  // from the id and the headers is set here, on load and on every fragment swapped in. The label is
  // what a screen reader says on arriving at a cell: the student and the lesson's date.
  var CELL_ID = /^c-(\d+)-(\d+)$/;
  function headerText(id, sel) {
    var el = document.getElementById(id);
    var part = el && el.querySelector(sel);
    return part ? part.textContent.trim() : '';
  }
  var names = {}, days = {};
  function hydrate(td) {
    var m = CELL_ID.exec(td.id);
    if (!m) return;
    if (td.classList.contains('na')) { td.setAttribute('aria-disabled', 'true'); return; }
    td.setAttribute('role', 'gridcell');
    if (!td.hasAttribute('tabindex')) td.setAttribute('tabindex', '-1');
    td.setAttribute('data-l', m[1]);
    td.setAttribute('data-s', m[2]);
    var name = names[m[2]] || (names[m[2]] = headerText('row-' + m[2], '.nm'));
    var day = days[m[1]] || (days[m[1]] = headerText('h-' + m[1], '.d'));
    // The mark first: a screen reader hears what is in the cell, then whose and when (axe: label-content).
    var text = td.textContent.trim();
    var who = day ? name + ', ' + day : name;
    if (name) td.setAttribute('aria-label', text ? text + ', ' + who : who);
  }
  var all = table.tBodies[0] ? table.tBodies[0].getElementsByTagName('td') : [];
  for (var h = 0; h < all.length; h++) hydrate(all[h]);
  var editing = null; // { td, input, original }
  var pending = 0;

  function cells(row) { return Array.prototype.slice.call(row.querySelectorAll('td[role=gridcell]')); }
  // Rows hidden by the name filter (public/journal-nav.js) are not moved through.
  function rows() { return Array.prototype.slice.call(table.tBodies[0].rows).filter(function (r) { return !r.hidden; }); }

  function say(kind, text) {
    if (!state) return;
    state.className = 'save-state ' + kind;
    state.textContent = text || state.getAttribute('data-' + kind) || '';
  }

  var historyLink = document.getElementById('cell-history');
  function focusCell(td) {
    if (!td) return;
    if (historyLink) {
      historyLink.href = '/courses/' + courseId + '/cells/' + td.getAttribute('data-l') + '/' + td.getAttribute('data-s') + '/history';
      historyLink.hidden = false;
    }
    var old = table.querySelector('td[tabindex="0"]');
    if (old && old !== td) old.setAttribute('tabindex', '-1');
    td.setAttribute('tabindex', '0');
    td.focus();
  }

  // Moves by whole lessons: a cell that does not apply (a transferred student) is skipped.
  function neighbour(td, dx, dy) {
    var tr = td.parentElement;
    if (dy !== 0) {
      var rs = rows(), ri = rs.indexOf(tr), lesson = td.getAttribute('data-l');
      for (var r = ri + dy; r >= 0 && r < rs.length; r += dy) {
        var c = rs[r].querySelector('td[role=gridcell][data-l="' + lesson + '"]');
        if (c) return c;
      }
      return null;
    }
    var cs = cells(tr), ci = cs.indexOf(td);
    return cs[ci + dx] || null;
  }

  function startEdit(td, initial) {
    if (!editable || editing) return;
    var input = document.createElement('input');
    input.type = 'text';
    input.className = 'cell-input';
    input.setAttribute('aria-label', td.getAttribute('aria-label') || '');
    input.setAttribute('maxlength', '20');
    input.setAttribute('autocomplete', 'off');
    var shown = refusal.valueOf(td);
    var original = refusal.storedOf(td);
    var msg = document.getElementById('msg-' + td.id);
    input.value = initial !== undefined ? initial : shown;
    td.textContent = '';
    td.appendChild(input);
    td.classList.add('editing');
    if (msg) input.setAttribute('aria-describedby', msg.id);
    editing = { td: td, input: input, original: original, refused: refusal.isRefused(td) ? shown : null, msg: msg };
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  function finishEdit(commit) {
    if (!editing) return null;
    var e = editing;
    editing = null;
    var value = e.input.value.trim();
    e.td.classList.remove('editing');
    e.td.removeChild(e.input);
    if (e.refused !== null && commit && value === e.refused) {
      // Left unchanged: still refused, as it was.
      e.td.textContent = e.refused;
      if (e.msg) e.td.appendChild(e.msg);
      return e.td;
    }
    refusal.clear(e.td, false);
    e.td.textContent = e.original;
    if (commit && value !== e.original) save(e.td, value);
    return e.td;
  }

  function applyFragments(htmlText, fromSave) {
    var tpl = document.createElement('template');
    tpl.innerHTML = htmlText;
    var nodes = tpl.content.querySelectorAll('[id]');
    for (var i = 0; i < nodes.length; i++) {
      var id = nodes[i].id;
      if (id === 'cell-error') continue;
      var cur = document.getElementById(id);
      if (!cur) continue;
      if (editing && cur === editing.td) continue; // never clobber a cell being typed in
      if (!fromSave && (refusal.isRefused(cur) || cur.classList.contains('queued') || cur.classList.contains('saving'))) continue;
      var wasFocused = document.activeElement === cur;
      var tab = cur.getAttribute('tabindex');
      if (nodes[i].tagName === 'TD') hydrate(nodes[i]);
      cur.replaceWith(nodes[i]);
      if (tab !== null && nodes[i].hasAttribute('tabindex')) nodes[i].setAttribute('tabindex', tab);
      if (wasFocused) nodes[i].focus();
    }
    return tpl.content.querySelector('#cell-error');
  }

  var refusal = window.zachetka.cellRefusal;

  // Every save goes through one queue (public/cell-queue.js): in order, one at a time, kept across a
  // reload when the connection is gone, each with the versions the teacher saw.
  var queue = window.zachetka.cellQueue({
    key: (state && state.getAttribute('data-queue')) || 'zachetka.cells.' + courseId,
    send: send,
    onChange: function (waiting, offline) {
      pending = waiting;
      if (offline) queue.waiting().forEach(showQueued);
      if (waiting && offline && state) say('error queued', (state.getAttribute('data-queued') || '').replace('{n}', String(waiting)));
      else if (waiting) say('saving');
      else if (!state || !/error/.test(state.className)) say('saved');
    }
  });

  function save(td, value, reason) {
    var stored = refusal.storedOf(td);
    refusal.clear(td, false);
    td.textContent = value;
    td.classList.add('saving');
    td.classList.remove('error');
    queue.add({ id: td.id, l: td.getAttribute('data-l'), s: td.getAttribute('data-s'), value: value,
      av: td.getAttribute('data-av') || '0', mv: td.getAttribute('data-mv') || '0', reason: reason || '', stored: stored });
  }

  function showQueued(entry) {
    var td = document.getElementById(entry.id);
    if (!td || (editing && editing.td === td)) return;
    td.textContent = entry.value;
    td.classList.remove('saving');
    td.classList.add('queued');
    td.title = (state && state.getAttribute('data-queued-cell')) || '';
  }

  /** One queued entry to the server: 'retry' when it could not be reached, else what it answered. */
  function send(entry) {
    var body = new URLSearchParams();
    body.set('lessonId', entry.l);
    body.set('studentId', entry.s);
    body.set('value', entry.value);
    body.set('av', entry.av);
    body.set('mv', entry.mv);
    if (entry.reason) body.set('reason', entry.reason);
    var id = entry.id;
    var stored = entry.stored || '';
    return fetch('/courses/' + courseId + '/cells', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': window.zachetka.csrfToken(), 'HX-Request': 'true' },
      body: body.toString(),
      credentials: 'same-origin'
    }).then(function (res) {
      if (res.status === 502 || res.status === 503 || res.status === 504) { showQueued(entry); return 'retry'; }
      return res.text().then(function (text) {
        var current = document.getElementById(id);
        if (res.status === 422 && res.headers.get('x-reason-required') && !entry.reason) {
          var why = window.prompt(state ? state.getAttribute('data-reason') : 'Reason');
          if (why && why.trim()) { entry.reason = why.trim(); return send(entry); }
        }
        var err = applyFragments(text, true);
        current = document.getElementById(id);
        if (res.ok) {
          if (current) { current.classList.remove('queued'); current.removeAttribute('title'); }
          say(queue.size() > 1 ? 'saving' : 'saved');
          return current ? { versions: { av: current.getAttribute('data-av') || '0', mv: current.getAttribute('data-mv') || '0' } } : 'done';
        }
        var message = err ? err.textContent : (state && state.getAttribute('data-error')) || '';
        // The entry stays in its cell, marked, with the message next to it (a conflict shows the
        // server's cell behind it: Escape brings that back, a new entry overwrites it knowingly).
        if (current) refusal.mark(current, entry.value, message, res.status === 409 ? current.textContent.trim() : stored);
        say('error', message);
        return 'done';
      });
    }, function () { showQueued(entry); return 'retry'; });
  }

  table.addEventListener('keydown', function (ev) {
    var target = ev.target;
    if (editing && target === editing.input) {
      var td = editing.td;
      var move = null;
      if (ev.key === 'Enter') move = [0, ev.shiftKey ? -1 : 1];
      else if (ev.key === 'Tab') move = [ev.shiftKey ? -1 : 1, 0];
      else if (ev.key === 'ArrowUp') move = [0, -1];
      else if (ev.key === 'ArrowDown') move = [0, 1];
      else if (ev.key === 'Escape') { ev.preventDefault(); finishEdit(false); focusCell(td); return; }
      if (move) {
        ev.preventDefault();
        finishEdit(true);
        focusCell(neighbour(td, move[0], move[1]) || td);
      }
      return;
    }
    if (!target.matches || !target.matches('td[role=gridcell]')) return;
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[ev.key]) {
      ev.preventDefault();
      focusCell(neighbour(target, moves[ev.key][0], moves[ev.key][1]));
    } else if (ev.key === 'Tab') {
      var next = neighbour(target, ev.shiftKey ? -1 : 1, 0);
      if (next) { ev.preventDefault(); focusCell(next); }
    } else if (ev.key === 'Enter' || ev.key === 'F2') {
      ev.preventDefault();
      if (ev.key === 'F2') startEdit(target);
      else focusCell(neighbour(target, 0, ev.shiftKey ? -1 : 1));
    } else if (ev.key === 'Escape' && refusal.isRefused(target)) {
      ev.preventDefault();
      refusal.clear(target, true);
      say('saved');
    } else if (ev.key === 'Delete' || ev.key === 'Backspace') {
      ev.preventDefault();
      if (editable && (refusal.storedOf(target) !== '' || refusal.isRefused(target))) save(target, '');
    } else if (ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
      ev.preventDefault();
      startEdit(target, ev.key);
    }
  });

  table.addEventListener('focusout', function (ev) {
    if (editing && ev.target === editing.input) finishEdit(true);
  });

  table.addEventListener('click', function (ev) {
    var td = ev.target.closest && ev.target.closest('td[role=gridcell]');
    if (!td || (editing && editing.td === td)) return;
    focusCell(td);
  });

  table.addEventListener('dblclick', function (ev) {
    var td = ev.target.closest && ev.target.closest('td[role=gridcell]');
    if (td) startEdit(td);
  });

  // Start where a teacher usually is: today's lesson, first student.
  var today = table.querySelector('th.today');
  var first = today ? table.querySelector('td[role=gridcell][data-l="' + today.getAttribute('data-l') + '"]') : table.querySelector('td[role=gridcell]');
  if (first) first.setAttribute('tabindex', '0');

  // Entries typed before a reload without a connection: shown where they were typed, then sent.
  queue.waiting().forEach(showQueued);
  queue.flush();

  window.zachetka.journal = { focusCell: focusCell };

  // Live updates (hx-ws) hand their fragments to the same by-id swap, so a cell being typed in is kept.
  document.addEventListener('zachetka:fragments', function (ev) { applyFragments(ev.detail); });

  window.addEventListener('beforeunload', function (ev) {
    // Waiting entries survive the reload (localStorage); only an entry still being typed would be lost.
    if (editing && editing.input.value.trim() !== editing.original) { ev.preventDefault(); ev.returnValue = ''; }
  });
})();
