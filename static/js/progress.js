/* Progress: confirm that red-flag advice has been read (exercise reminders then resume). */
(function () {
  'use strict';
  var app = window.haelapp;
  var button = document.getElementById('acknowledge');
  if (!app || !button) return;
  var status = document.getElementById('acknowledge-status');
  button.addEventListener('click', function () {
    button.disabled = true;
    app.api('POST', '/api/v1/checkins/' + button.dataset.checkin + '/acknowledge/').then(function (result) {
      if (result.ok) {
        window.location.reload();
      } else {
        button.disabled = false;
        status.textContent = app.errorText(result);
      }
    });
  });
})();
