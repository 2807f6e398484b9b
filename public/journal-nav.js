// Finding one's way in the journal (issue 14, item 5): it opens scrolled to today's lesson with its first
// cell focused; the "Today" button and the skip link go back there; typing a name filters the rows.
(function () {
  'use strict';
  var table = document.getElementById('journal');
  var tools = document.getElementById('journal-tools');
  if (!table || !tools || !window.zachetka.journal) return;
  var wrap = table.closest('.journal-wrap');
  var todayBtn = document.getElementById('journal-today');
  var filter = document.getElementById('journal-filter');
  var none = document.getElementById('journal-filter-none');
  tools.hidden = false;

  /** Today's lesson column, or the last one before today (a day without lessons), or the first. */
  function todayHead() {
    var today = todayBtn.getAttribute('data-today');
    var heads = Array.prototype.slice.call(table.querySelectorAll('thead th[data-l]'));
    var best = null;
    heads.forEach(function (th) { if (th.getAttribute('data-date') <= today) best = th; });
    return table.querySelector('thead th.today') || best || heads[0] || null;
  }

  function firstCellOf(th) {
    var cells = table.querySelectorAll('td[role=gridcell][data-l="' + th.getAttribute('data-l') + '"]');
    for (var i = 0; i < cells.length; i++) if (!cells[i].parentElement.hidden) return cells[i];
    return null;
  }

  /** Scrolls the column into view beside the sticky names column, then focuses its first cell. */
  function goToday() {
    var th = todayHead();
    if (!th) return;
    if (wrap) {
      var names = table.querySelector('thead th.st');
      wrap.scrollLeft = Math.max(0, th.offsetLeft - (names ? names.offsetWidth : 0) - 8);
    }
    var td = firstCellOf(th);
    if (td) {
      window.zachetka.journal.focusCell(td);
      if (wrap) wrap.scrollLeft = Math.max(0, th.offsetLeft - (table.querySelector('thead th.st') || { offsetWidth: 0 }).offsetWidth - 8);
    }
  }

  todayBtn.addEventListener('click', goToday);
  var skip = document.getElementById('skip-to-grid');
  if (skip) skip.addEventListener('click', function (ev) { ev.preventDefault(); goToday(); });

  // As you type: rows whose name (or record-book number) does not contain the text are hidden.
  function norm(s) { return s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim(); }
  filter.addEventListener('input', function () {
    var q = norm(filter.value);
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var name = tr.querySelector('th.st');
      var match = !q || norm(name ? name.textContent : '').indexOf(q) >= 0;
      tr.hidden = !match;
      if (match) shown++;
    });
    none.textContent = shown === 0 ? none.getAttribute('data-text').replace('{q}', filter.value.trim()) : '';
  });
  // Enter in the filter goes to the first matching student's cell of today.
  filter.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { ev.preventDefault(); goToday(); }
  });

  goToday();
})();
