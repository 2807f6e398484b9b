// Upload progress for forms marked data-upload-progress. htmx 4 sends with fetch, which reports no
// upload progress, so these forms go through XMLHttpRequest; the answer is a whole page, whose
// <main> replaces ours. Without this script the form posts normally.
(function () {
  'use strict';
  document.addEventListener('submit', function (evt) {
    var form = evt.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-upload-progress') || !window.FormData) return;
    evt.preventDefault();
    var bar = form.querySelector('progress');
    var text = form.querySelector('.upload-percent');
    var button = form.querySelector('button[type=submit]');
    var show = function (pct) {
      if (bar) { bar.hidden = false; bar.value = pct; }
      if (text) text.textContent = pct + ' %';
    };
    var main = document.getElementById('main');
    show(0);
    if (button) button.disabled = true;
    // Screen readers (and tests) learn the page is being replaced, and when it is done.
    if (main) main.setAttribute('aria-busy', 'true');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('X-CSRF-Token', window.zachetka ? window.zachetka.csrfToken() : '');
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) show(Math.round((100 * e.loaded) / e.total));
    });
    xhr.addEventListener('load', function () {
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      var fresh = doc.getElementById('main');
      if (!fresh || !main) { form.submit(); return; }
      main.innerHTML = fresh.innerHTML;
      main.removeAttribute('aria-busy');
      if (doc.title) document.title = doc.title;
      if (window.htmx) window.htmx.process(main);
      var focus = main.querySelector('[role=alert], #import-summary, h1');
      if (focus) { focus.setAttribute('tabindex', '-1'); focus.focus(); }
    });
    // A network failure falls back to the plain post, which shows the browser's own error.
    xhr.addEventListener('error', function () { form.submit(); });
    xhr.send(new FormData(form));
  });
})();
