/* Settings: reminder schedule, notifications on this device, language and time zone, install. */
(function () {
  'use strict';
  var app = window.haelapp;
  if (!app) return;

  function showFieldError(id, text) {
    var element = document.getElementById(id);
    if (!element) return;
    element.textContent = text || '';
    element.hidden = !text;
  }

  /* --- reminder schedule --------------------------------------------------------------- */
  var reminderForm = document.getElementById('reminder-form');
  if (reminderForm) {
    reminderForm.querySelector('button[type=submit]').disabled = false;
    reminderForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var status = document.getElementById('reminder-status');
      var data = {
        enabled: reminderForm.querySelector('#rem-enabled').checked,
        time: reminderForm.querySelector('#rem-time').value,
        weekdays: Array.prototype.map.call(reminderForm.querySelectorAll('input[name=weekdays]:checked'), function (input) { return Number(input.value); }),
        channels: Array.prototype.map.call(reminderForm.querySelectorAll('input[name=channels]:checked'), function (input) { return input.value; })
      };
      showFieldError('rem-weekdays-error', '');
      showFieldError('rem-channels-error', '');
      status.textContent = '';
      app.api('PUT', '/api/v1/reminders/', data).then(function (result) {
        if (result.ok) {
          status.textContent = app.t('settingsSaved');
          return;
        }
        var errors = result.data || {};
        if (errors.weekdays) showFieldError('rem-weekdays-error', errors.weekdays.join(' '));
        if (errors.channels) showFieldError('rem-channels-error', errors.channels.join(' '));
        status.textContent = app.errorText(result);
      });
    });
  }

  /* --- notifications on this device ------------------------------------------------------ */
  var state = document.getElementById('notif-state');
  var onButton = document.getElementById('notif-on');
  var offButton = document.getElementById('notif-off');

  function renderNotifications() {
    if (!state) return Promise.resolve();
    if (!app.push.supported()) {
      state.textContent = app.t('notifUnsupported');
      onButton.hidden = true;
      offButton.hidden = true;
      return Promise.resolve();
    }
    if (onButton.dataset.configured !== '1') {
      state.textContent = app.t('notifUnavailable');
      onButton.hidden = true;
      offButton.hidden = true;
      return Promise.resolve();
    }
    return app.push.current().then(function (subscription) {
      var on = !!subscription && Notification.permission === 'granted';
      if (Notification.permission === 'denied') state.textContent = app.t('notifDenied');
      else state.textContent = on ? app.t('notifOn') : app.t('notifOff');
      onButton.hidden = on || Notification.permission === 'denied';
      offButton.hidden = !on;
    });
  }

  if (onButton) {
    onButton.addEventListener('click', function () {
      onButton.disabled = true;
      // The permission prompt only ever follows this tap.
      app.push.enable().then(function (result) {
        onButton.disabled = false;
        return renderNotifications().then(function () {
          if (!result.ok && result.reason && result.reason !== 'denied' && result.reason !== 'default') {
            state.textContent = result.reason === 'unavailable' ? app.t('notifUnavailable') : result.reason;
          }
        });
      }, function () {
        onButton.disabled = false;
        state.textContent = app.t('error');
      });
    });
    offButton.addEventListener('click', function () {
      offButton.disabled = true;
      app.push.disable().then(function () {
        offButton.disabled = false;
        return renderNotifications();
      });
    });
    renderNotifications();
  }

  /* --- language and time zone -------------------------------------------------------------- */
  var profileForm = document.getElementById('profile-form');
  if (profileForm) {
    var zoneInput = document.getElementById('pf-timezone');
    var deviceButton = document.getElementById('pf-device-tz');
    var deviceZone = '';
    try { deviceZone = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { deviceZone = ''; }
    if (!deviceZone) deviceButton.hidden = true;
    deviceButton.disabled = false;
    profileForm.querySelector('button[type=submit]').disabled = false;
    deviceButton.addEventListener('click', function () {
      zoneInput.value = deviceZone;
      if (zoneInput.value !== deviceZone) {
        // A zone the list does not hold (an older name): offer it as it is.
        var option = document.createElement('option');
        option.value = option.textContent = deviceZone;
        zoneInput.insertBefore(option, zoneInput.firstChild);
        zoneInput.value = deviceZone;
      }
      zoneInput.focus();
    });
    profileForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var status = document.getElementById('profile-status');
      var language = document.getElementById('pf-language').value;
      showFieldError('pf-timezone-error', '');
      zoneInput.removeAttribute('aria-invalid');
      app.api('PATCH', '/api/v1/me/', {language: language, timezone: zoneInput.value.trim()}).then(function (result) {
        if (result.ok) {
          if (language !== app.lang) {
            window.location.reload();
          } else {
            document.body.dataset.tz = result.data.timezone;
            status.textContent = app.t('settingsSaved');
          }
          return;
        }
        if (result.data && result.data.timezone) {
          showFieldError('pf-timezone-error', result.data.timezone.join(' '));
          zoneInput.setAttribute('aria-invalid', 'true');
          zoneInput.setAttribute('aria-describedby', 'pf-timezone-help pf-timezone-error');
          zoneInput.focus();
        }
        status.textContent = app.errorText(result);
      });
    });
  }

  /* --- install ---------------------------------------------------------------------------- */
  var installButton = document.getElementById('install-button');
  var deferred = null;
  window.addEventListener('beforeinstallprompt', function (event) {
    event.preventDefault();
    deferred = event;
    if (installButton) installButton.hidden = false;
  });
  if (installButton) {
    installButton.addEventListener('click', function () {
      if (!deferred) return;
      deferred.prompt();
      deferred.userChoice.then(function () {
        deferred = null;
        installButton.hidden = true;
      });
    });
  }
})();
