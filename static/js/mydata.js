/* Delete my account: a deliberate step with the password, then nothing stays on the device. */
(function () {
  'use strict';
  var app = window.haelapp;
  var form = document.getElementById('delete-form');
  if (!app || !form) return;
  var error = document.getElementById('del-error');
  var confirmBox = document.getElementById('del-confirm');
  var password = document.getElementById('del-password');
  // Enabled only now: a tap before the script ran would reload the page and lose the input.
  form.querySelector('button[type=submit]').disabled = false;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    error.hidden = true;
    if (!confirmBox.checked) {
      error.textContent = confirmBox.labels[0].textContent;
      error.hidden = false;
      confirmBox.focus();
      return;
    }
    if (!password.value) {
      error.textContent = password.labels[0].textContent;
      error.hidden = false;
      password.focus();
      return;
    }
    var submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    app.api('DELETE', '/api/v1/me/', {password: password.value}).then(function (result) {
      if (result.ok) {
        return app.forget().then(function () { window.location.assign('/goodbye/'); });
      }
      submit.disabled = false;
      error.textContent = app.errorText(result);
      error.hidden = false;
      password.focus();
      return null;
    });
  });
})();
