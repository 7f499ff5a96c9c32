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
  /* Whether haelapp runs installed (opened from the home screen) or in a browser tab, and in a
     tab the help for this device only: the browser's own install prompt where it offers one
     (Chrome, Edge, Samsung Internet: `beforeinstallprompt`), the Share steps on an iPhone or
     iPad, the menu steps on Android, general words elsewhere. */
  var installState = document.getElementById('install-state');
  var installHelp = document.getElementById('install-help');
  var installPrompt = document.getElementById('install-prompt');
  var installButton = document.getElementById('install-button');
  var deferred = null;
  var justInstalled = false;

  function runsInstalled() {
    var modes = ['standalone', 'fullscreen', 'minimal-ui', 'window-controls-overlay'];
    var media = window.matchMedia && modes.some(function (mode) {
      return window.matchMedia('(display-mode: ' + mode + ')').matches;
    });
    return !!media || window.navigator.standalone === true;  // Safari on iOS says so here
  }

  function installPlatform() {
    var agent = navigator.userAgent || '';
    // An iPad asks for the desktop site and calls itself a Mac, one with a touch screen.
    if (/iPhone|iPad|iPod/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1)) return 'ios';
    if (/Android/.test(agent)) return 'android';
    return 'other';
  }

  function renderInstall() {
    if (!installState) return;
    var installed = justInstalled || runsInstalled();
    var state = justInstalled ? 'just-installed' : installed ? 'installed' : 'browser';
    installState.dataset.state = installed ? 'installed' : 'browser';
    installState.textContent = installState.getAttribute('data-' + state);
    installState.hidden = false;
    installHelp.hidden = installed;
    installPrompt.hidden = !deferred;
    var platform = installPlatform();
    installHelp.querySelectorAll('[data-platform]').forEach(function (section) {
      // With the browser's own prompt, its button is all the help needed.
      section.hidden = !!deferred || section.dataset.platform !== platform;
    });
  }

  if (installState) {
    window.addEventListener('beforeinstallprompt', function (event) {
      event.preventDefault();  // no banner of the browser's own: the button below asks
      deferred = event;
      renderInstall();
    });
    window.addEventListener('appinstalled', function () {
      deferred = null;
      justInstalled = true;
      renderInstall();
    });
    installButton.addEventListener('click', function () {
      if (!deferred) return;
      var asked = deferred;
      deferred = null;
      asked.prompt();
      Promise.resolve(asked.userChoice).then(function (choice) {
        if (choice && choice.outcome === 'accepted') justInstalled = true;
        renderInstall();
      }, renderInstall);
    });
    if (window.matchMedia) {
      var standalone = window.matchMedia('(display-mode: standalone)');
      if (standalone.addEventListener) standalone.addEventListener('change', renderInstall);
    }
    renderInstall();
  }
})();
