// Every htmx request carries the CSRF token from the page's meta tag (the server refuses
// state-changing requests without it). htmx 4 names the event htmx:config:request.
(function () {
  'use strict';
  function token() {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  }
  document.addEventListener('htmx:config:request', function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.request && ctx.request.headers) ctx.request.headers['X-CSRF-Token'] = token();
  });
  // Shared by page scripts (journal, forms) that call fetch directly.
  window.zachetka = { csrfToken: token };
})();
