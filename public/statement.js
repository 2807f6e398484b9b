// Keyboard entry on a statement (issue 16), like the journal: Enter and the up/down arrows move between
// students, and each result saves when its field is left (the row comes back from the server and replaces
// its namesake by id, with the refusal beside it if any). Without this script the form's button saves all.
(function () {
  'use strict';
  var table = document.getElementById('statement-table');
  var form = document.getElementById('statement-form');
  if (!table || !form) return;
  var state = document.getElementById('statement-save');
  var action = form.getAttribute('action');

  function inputs() { return Array.prototype.slice.call(table.querySelectorAll('input.sr-input')); }
  function move(from, step) {
    var all = inputs();
    var i = all.indexOf(from) + step;
    if (i >= 0 && i < all.length) { all[i].focus(); all[i].select(); }
  }
  function say(text, kind) { if (state) { state.textContent = text; state.className = 'save-state ' + (kind || ''); } }

  function save(input) {
    var sid = input.getAttribute('data-s');
    if (input.value === input.defaultValue) return;
    var version = form.querySelector('input[name="v' + sid + '"]');
    var body = new URLSearchParams();
    body.set('r' + sid, input.value);
    body.set('v' + sid, version ? version.value : '0');
    say('…', 'saving');
    fetch(action, {
      method: 'POST', credentials: 'same-origin', body: body.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': window.zachetka.csrfToken(), 'HX-Request': 'true' },
    }).then(function (res) {
      return res.text().then(function (text) {
        var row = document.getElementById('sr-' + sid);
        var focused = document.activeElement && document.activeElement.getAttribute('data-s');
        if (row && text.indexOf('id="sr-' + sid + '"') >= 0) {
          var tmp = document.createElement('tbody');
          tmp.innerHTML = text;
          var fresh = tmp.querySelector('#sr-' + sid);
          row.parentNode.replaceChild(fresh, row);
          if (focused === sid) fresh.querySelector('input.sr-input').focus();
        }
        say(res.ok ? '✓' : '✗', res.ok ? 'saved' : 'error');
      });
    }).catch(function () { say('✗', 'error'); });
  }

  table.addEventListener('keydown', function (e) {
    var t = e.target;
    if (!t.classList || !t.classList.contains('sr-input')) return;
    if (e.key === 'Enter' || e.key === 'ArrowDown') { e.preventDefault(); move(t, 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); move(t, -1); }
  });
  table.addEventListener('focusout', function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains('sr-input')) save(t);
  });
})();
