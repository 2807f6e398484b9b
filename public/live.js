// Live updates over htmx's WebSocket extension (hx-ws reconnects with backoff by itself). The server
// sends JSON {id, html}: html holds fragments with ids, swapped in place of their namesakes; id is the
// audit row of the change, so after every (re)connect we ask, once, for whatever came after the last one.
(function () {
  'use strict';
  var el = document.getElementById('live');
  if (!el) return;
  var last = Number(el.getAttribute('data-since') || 0);

  // One catch-up per socket: the server ignores a second `since` and closes a socket that keeps sending.
  var asked = new WeakSet();
  document.addEventListener('htmx:ws:after:connection', function (evt) {
    el.setAttribute('data-live', 'connected'); // a state the page (and its tests) can wait for
    var c = evt.detail && evt.detail.connection;
    if (!c || !c.socket || asked.has(c.socket)) return;
    asked.add(c.socket);
    c.socket.send(JSON.stringify({ since: last }));
  });

  document.addEventListener('htmx:ws:before:message:incoming', function (evt) {
    var msg;
    try { msg = JSON.parse(evt.detail.message.data); } catch (e) { return; }
    evt.detail.cancelled = true; // we swap by id ourselves, so a cell being typed in is never clobbered
    if (typeof msg.id === 'number' && msg.id > last) last = msg.id;
    if (msg.reload) { window.location.reload(); return; }
    if (msg.html) document.dispatchEvent(new CustomEvent('zachetka:fragments', { detail: msg.html }));
  });

  // The journal page swaps in journal.js (it knows which cell is being edited); other pages here.
  if (!document.getElementById('journal')) {
    document.addEventListener('zachetka:fragments', function (evt) {
      var tpl = document.createElement('template');
      tpl.innerHTML = evt.detail;
      var nodes = tpl.content.querySelectorAll('[id]');
      for (var i = 0; i < nodes.length; i++) {
        var cur = document.getElementById(nodes[i].id);
        var into = nodes[i].getAttribute('data-prepend');
        if (cur && cur !== el && document.querySelector('[data-live-part="' + nodes[i].id + '"]')) refreshParts();
        if (cur && cur !== el) cur.replaceWith(nodes[i]);
        else if (!cur && into) {
          // A new row of a live list (the audit feed): newest on top.
          var body = document.querySelector('#' + into + ' tbody');
          if (body) body.insertBefore(nodes[i], body.firstChild);
        }
      }
    });
  }

  // A student's course page: when its course tile is pushed, the parts that depend on the same records
  // (to-do list, chart, calendar, timeline) are read again from the page itself, at most one read at a time.
  var reading = false, again = false;
  function refreshParts() {
    if (reading) { again = true; return; }
    reading = true;
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'X-Live-Refresh': '1' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (text) {
        if (text === null) return;
        var doc = new DOMParser().parseFromString(text, 'text/html');
        var parts = doc.querySelectorAll('[data-live-part]');
        for (var i = 0; i < parts.length; i++) {
          var cur = document.getElementById(parts[i].id);
          if (cur) cur.replaceWith(document.importNode(parts[i], true));
        }
        el.setAttribute('data-refreshed', String(Number(el.getAttribute('data-refreshed') || 0) + 1));
      })
      .catch(function () { /* the next push tries again */ })
      .then(function () {
        reading = false;
        if (again) { again = false; refreshParts(); }
      });
  }
})();
