// A refused journal entry stays where it was typed (issue 14, item 3): the cell keeps the typed text,
// marked invalid, with the server's message next to it, until it is corrected or Escape gives back
// the stored value.
(function () {
  'use strict';
  var z = window.zachetka || (window.zachetka = {});

  function msgId(td) { return 'msg-' + td.id; }

  z.cellRefusal = {
    /** Shows `value` in the cell, refused with `message`; `stored` is what Escape brings back. */
    mark: function (td, value, message, stored) {
      if (!td.hasAttribute('data-stored')) td.setAttribute('data-stored', stored);
      td.setAttribute('data-refused', value);
      td.textContent = value;
      var msg = document.createElement('span');
      msg.className = 'cell-msg';
      msg.id = msgId(td);
      msg.setAttribute('role', 'alert');
      msg.textContent = message;
      td.appendChild(msg);
      td.classList.remove('saving', 'queued');
      td.classList.add('error', 'refused');
      td.setAttribute('aria-invalid', 'true');
      td.setAttribute('aria-describedby', msg.id);
    },
    /** Forgets the refusal; with restore, the cell shows its stored value again (Escape). */
    clear: function (td, restore) {
      if (!td.hasAttribute('data-refused')) return;
      var stored = td.getAttribute('data-stored') || '';
      td.removeAttribute('data-refused');
      td.removeAttribute('data-stored');
      td.removeAttribute('aria-invalid');
      td.removeAttribute('aria-describedby');
      td.classList.remove('error', 'refused');
      var msg = document.getElementById(msgId(td));
      if (msg) msg.remove();
      if (restore) td.textContent = stored;
    },
    isRefused: function (td) { return td.hasAttribute('data-refused'); },
    /** The text an edit starts from: the refused entry if there is one, else what the cell shows. */
    valueOf: function (td) {
      return td.hasAttribute('data-refused') ? td.getAttribute('data-refused') : td.textContent.trim();
    },
    /** The stored value behind the cell (what the server has). */
    storedOf: function (td) {
      return td.hasAttribute('data-stored') ? td.getAttribute('data-stored') : td.textContent.trim();
    }
  };
})();
