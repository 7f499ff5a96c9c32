/* Adding a passkey: django-otp-webauthn's script registers it and announces it with an event;
   this shows the recovery codes the server issued with a first factor (once, never stored
   here), or goes on to where the person was heading. */
(function () {
  'use strict';
  var register = document.getElementById('passkey-register');
  if (!register) return;

  document.addEventListener('otp_webauthn.register_complete', function (event) {
    var body = (event.detail && event.detail.response) || {};
    var codes = body.recovery_codes || [];
    // Checked by the server when it rendered the page (only a path on this site).
    var next = register.getAttribute('data-next') || '/';
    if (!codes.length) {
      window.location.assign(next);
      return;
    }
    var list = document.getElementById('passkey-code-list');
    codes.forEach(function (code) {
      var item = document.createElement('li');
      var text = document.createElement('code');
      text.textContent = code;
      item.appendChild(text);
      list.appendChild(item);
    });
    register.hidden = true;
    var section = document.getElementById('passkey-codes');
    section.hidden = false;
    section.querySelector('h2').setAttribute('tabindex', '-1');
    section.querySelector('h2').focus();
  });
})();
