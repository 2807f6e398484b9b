// Offers, once per browser, the device's own time zone when the account's differs: a parent in Kolkata
// then reads times in Kolkata. Either answer is remembered, so the question never comes back.
(function () {
  'use strict';
  var form = document.getElementById('tz-offer');
  if (!form || !window.Intl || !Intl.DateTimeFormat) return;
  var KEY = 'zachetka.tzOffered';
  var mine;
  try {
    if (window.localStorage.getItem(KEY)) return;
    mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) { return; }
  if (!mine || mine === form.getAttribute('data-tz')) return;
  var remember = function () { try { window.localStorage.setItem(KEY, mine); } catch (e) { /* private mode: ask again */ } };
  form.querySelector('input[name=tz]').value = mine;
  form.querySelector('[data-tz-browser]').textContent = mine;
  form.addEventListener('submit', remember);
  form.querySelector('[data-tz-no]').addEventListener('click', function () { remember(); form.hidden = true; });
  form.hidden = false;
})();
