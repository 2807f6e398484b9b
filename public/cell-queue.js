// The journal's outbox in the browser (issue 14, item 3): every cell save joins one queue, sent in
// order, one at a time. What cannot be sent (no connection, the server unreachable) waits, in the page
// and in localStorage across a reload, and goes out when the connection is back. Each entry keeps the
// versions the teacher saw, so the server still refuses it if someone else changed the cell meanwhile.
(function () {
  'use strict';
  var z = window.zachetka || (window.zachetka = {});

  /**
   * opts: key (localStorage key, per user and course), send(entry) → Promise of 'done' | 'retry',
   * onChange(waiting, offline) after every change of the queue.
   */
  z.cellQueue = function (opts) {
    var items = load();
    var busy = false;
    var offline = false;
    var timer = null;

    function load() {
      try {
        var v = JSON.parse(window.localStorage.getItem(opts.key) || '[]');
        return Array.isArray(v) ? v.filter(function (e) { return e && typeof e.id === 'string'; }) : [];
      } catch (e) { return []; }
    }
    function persist() {
      try {
        if (items.length) window.localStorage.setItem(opts.key, JSON.stringify(items));
        else window.localStorage.removeItem(opts.key);
      } catch (e) { /* storage full or disabled: the page still holds the queue */ }
    }
    function changed() { persist(); opts.onChange(items.length, offline); }

    function later() {
      if (timer) return;
      timer = window.setTimeout(function () { timer = null; flush(); }, 4000);
    }

    function flush() {
      if (busy || !items.length) return;
      if (navigator.onLine === false) { offline = true; changed(); return; }
      busy = true;
      var entry = items[0];
      opts.send(entry).then(function (result) {
        busy = false;
        if (result === 'retry') { offline = true; changed(); later(); return; }
        offline = false;
        items.shift();
        if (result && result.versions) {
          // The next entries for this cell build on the one just saved: they carry its new versions.
          items.forEach(function (e) { if (e.id === entry.id) { e.av = result.versions.av; e.mv = result.versions.mv; } });
        }
        changed();
        flush();
      }, function () { busy = false; offline = true; changed(); later(); });
    }

    /** A new save: a waiting entry for the same cell takes the new value (it keeps the versions it had). */
    function add(entry) {
      var start = busy ? 1 : 0;
      for (var i = items.length - 1; i >= start; i--) {
        if (items[i].id === entry.id) { items[i].value = entry.value; if (entry.reason) items[i].reason = entry.reason; changed(); flush(); return; }
      }
      items.push(entry);
      changed();
      flush();
    }

    window.addEventListener('online', function () { offline = false; flush(); });
    window.addEventListener('offline', function () { offline = true; changed(); });
    return {
      add: add,
      flush: flush,
      waiting: function () { return items.slice(); },
      size: function () { return items.length; }
    };
  };
})();
