/* Shared by every page: API calls with the CSRF token, translated texts, local dates, the
   service worker, the offline outbox's status line, push re-subscription and log-out. */
(function () {
  'use strict';
  var body = document.body;
  var outbox = window.haelappOutbox;
  var stringsElement = document.getElementById('js-strings');
  var STRINGS = stringsElement ? JSON.parse(stringsElement.textContent) : {};
  var user = body.dataset.user || null;
  var role = body.dataset.role || '';
  var lang = body.dataset.lang || document.documentElement.lang || 'da';

  function format(text, params) {
    return String(text).replace(/%\((\w+)\)s/g, function (match, name) {
      return params && params[name] != null ? params[name] : match;
    });
  }

  function t(key, params) {
    return format(STRINGS[key] != null ? STRINGS[key] : key, params);
  }

  function cookie(name) {
    var match = document.cookie.match(new RegExp('(?:^|; )' + name + '=([^;]*)'));
    return match ? decodeURIComponent(match[1]) : '';
  }

  function csrf() { return cookie('csrftoken'); }

  /* fetch JSON from the API: resolves {ok, status, data}; a network failure gives status 0. */
  function api(method, url, data) {
    var options = {
      method: method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {'Accept': 'application/json'}
    };
    if (method !== 'GET' && method !== 'HEAD') options.headers['X-CSRFToken'] = csrf();
    if (data !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(data);
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 204) return {ok: true, status: 204, data: null};
      return response.json().catch(function () { return null; }).then(function (json) {
        return {ok: response.ok, status: response.status, data: json};
      });
    }, function () {
      return {ok: false, status: 0, data: null};
    });
  }

  /* The first error message in a DRF error body, or a generic one. */
  function errorText(result) {
    if (result.status === 0) return t('networkError');
    var data = result.data;
    if (data && typeof data === 'object') {
      if (data.detail) return String(data.detail);
      for (var key in data) {
        if (Array.isArray(data[key]) && data[key].length) return String(data[key][0]);
        if (typeof data[key] === 'string') return data[key];
      }
    }
    return t('error');
  }

  /* A date (YYYY-MM-DD) in the patient's own time zone, `offset` days from today. */
  function localDate(offset) {
    var zone = body.dataset.tz || undefined;
    var when = new Date(Date.now());
    var parts;
    try {
      parts = new Intl.DateTimeFormat('en-CA', {timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit'}).formatToParts(when);
    } catch (e) {
      parts = new Intl.DateTimeFormat('en-CA', {year: 'numeric', month: '2-digit', day: '2-digit'}).formatToParts(when);
    }
    var values = {};
    parts.forEach(function (part) { values[part.type] = part.value; });
    var day = new Date(Date.UTC(+values.year, +values.month - 1, +values.day + (offset || 0)));
    return day.toISOString().slice(0, 10);
  }

  /* --- dates and times for people ------------------------------------------------------
     One format, the server's too (common/dates.py, the template filters day, clock and
     moment): "lør. 5. dec." / "Sat 5 Dec" (the year when it is not this year), "07.30" /
     "07:30", and both together. The names come from Intl.DateTimeFormat in the page's
     language; the order and the punctuation are set here, so every browser says what the
     server says. An instant is shown where the reader lives (body[data-tz]), never in UTC. */
  var NAMES = lang === 'da' ? 'da' : 'en-GB';

  function dateParts(when, locale, options, zone) {
    var formatter;
    try {
      formatter = new Intl.DateTimeFormat(locale, Object.assign({timeZone: zone || undefined}, options));
    } catch (e) {
      formatter = new Intl.DateTimeFormat(locale, options);  // a zone this browser does not know
    }
    var values = {};
    formatter.formatToParts(when).forEach(function (part) { values[part.type] = part.value; });
    return values;
  }

  /* The calendar day of "YYYY-MM-DD" as it is, or of an instant where the reader lives, as a
     Date at midnight UTC. */
  function dayOf(value) {
    var text = String(value);
    if (text.length <= 10) {
      var ymd = text.split('-');
      return new Date(Date.UTC(+ymd[0], +ymd[1] - 1, +ymd[2]));
    }
    var local = dateParts(new Date(text), 'en-CA', {year: 'numeric', month: '2-digit', day: '2-digit'}, body.dataset.tz);
    return new Date(Date.UTC(+local.year, +local.month - 1, +local.day));
  }

  /* "lør. 5. dec." / "Sat 5 Dec". (A second argument, once Intl options, is ignored: one
     format everywhere.) */
  function formatDate(value) {
    if (!value) return '';
    var day = dayOf(value);
    var names = dateParts(day, NAMES, {weekday: 'short', day: 'numeric', month: 'short'}, 'UTC');
    var text = names.weekday + ' ' + day.getUTCDate() + (lang === 'da' ? '. ' : ' ') + names.month;
    var year = String(day.getUTCFullYear());
    return year === localDate(0).slice(0, 4) ? text : text + ' ' + year;
  }

  /* "07.30" / "07:30", 24-hour: of "HH:MM", or of an instant where the reader lives. */
  function formatTime(value) {
    if (!value) return '';
    var text = String(value);
    var hour, minute;
    var clock = /^(\d{1,2}):(\d{2})/.exec(text);
    if (clock) {
      hour = clock[1];
      minute = clock[2];
    } else {
      var local = dateParts(new Date(text), 'en-GB', {hour: '2-digit', minute: '2-digit', hourCycle: 'h23'}, body.dataset.tz);
      hour = local.hour;
      minute = local.minute;
    }
    return ('0' + hour).slice(-2) + (lang === 'da' ? '.' : ':') + ('0' + minute).slice(-2);
  }

  /* "lør. 5. dec. kl. 07.30" / "Sat 5 Dec at 07:30". */
  function formatInstant(value) {
    if (!value) return '';
    var pattern = STRINGS.dayAtTime || '%(day)s %(time)s';
    return format(pattern, {day: formatDate(value), time: formatTime(value)});
  }

  function formatNumber(value, digits) {
    if (value == null) return '–';
    return new Intl.NumberFormat(lang, {minimumFractionDigits: digits || 0, maximumFractionDigits: digits || 0}).format(value);
  }

  function dayLabel(date) {
    if (date === localDate(0)) return t('today');
    if (date === localDate(-1)) return t('yesterday');
    return formatDate(date);
  }

  /* --- the outbox's status line ------------------------------------------------------- */
  var box = document.getElementById('outbox');

  function describe(record) {
    var when = dayLabel(record.date);
    if (record.kind === 'pain') {
      // Both heels: "left / right".
      var value = record.other == null ? record.value : record.value + ' / ' + record.other;
      return t('pain', {value: value, date: when});
    }
    if (record.kind === 'questionnaire') return t('questionnaire', {name: record.name});
    if (record.kind === 'undone') return t('undone', {name: record.name || t('exercise'), date: when});
    return t('done', {name: record.name || t('exercise'), date: when});
  }

  function renderOutbox() {
    if (!box || !outbox || !user) return Promise.resolve();
    return Promise.all([outbox.pending(user), outbox.rejected(user)]).then(function (lists) {
      var waiting = lists[0];
      var rejected = lists[1];
      box.textContent = '';
      if (!waiting.length && !rejected.length) {
        box.hidden = true;
        return;
      }
      var inner = document.createElement('div');
      inner.className = 'outbox-inner';
      if (waiting.length) {
        var title = document.createElement('p');
        title.className = 'outbox-title';
        title.textContent = t('waitingTitle') + ' (' + waiting.length + ')';
        inner.appendChild(title);
        var list = document.createElement('ul');
        list.className = 'outbox-list';
        waiting.forEach(function (record) {
          var item = document.createElement('li');
          item.textContent = describe(record);
          item.dataset.key = record.key;
          list.appendChild(item);
        });
        inner.appendChild(list);
        var help = document.createElement('p');
        help.className = 'outbox-help';
        help.textContent = t('waitingHelp');
        inner.appendChild(help);
        var send = document.createElement('button');
        send.type = 'button';
        send.className = 'btn btn-small';
        send.textContent = t('sendNow');
        send.addEventListener('click', function () { flush(); });
        inner.appendChild(send);
      }
      rejected.forEach(function (record) {
        var line = document.createElement('p');
        line.className = 'outbox-rejected';
        line.textContent = t('rejected', {what: describe(record), reason: record.reason || ''});
        var dismiss = document.createElement('button');
        dismiss.type = 'button';
        dismiss.className = 'btn btn-small btn-secondary';
        dismiss.textContent = t('dismiss');
        dismiss.addEventListener('click', function () { outbox.dismiss(record.key); });
        line.appendChild(document.createTextNode(' '));
        line.appendChild(dismiss);
        inner.appendChild(line);
      });
      box.appendChild(inner);
      box.hidden = false;
    });
  }

  var flushing = null;

  function flush() {
    if (!outbox || !user) return Promise.resolve({sent: 0, remaining: 0});
    if (flushing) return flushing;
    flushing = outbox.setMeta('csrf', csrf()).then(function () {
      return outbox.flush();
    }).then(function (result) {
      if (result && result.retry && result.offline) requestSync();
      return result;
    }, function () {
      return {sent: 0, remaining: 1, retry: true};
    }).then(function (result) {
      flushing = null;
      return renderOutbox().then(function () { return result; });
    });
    return flushing;
  }

  function requestSync() {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync && registration.sync.register) {
        return registration.sync.register('outbox');
      }
      return null;
    }).catch(function () { /* Background Sync is a bonus; the page retries too. */ });
  }

  /* --- service worker, offline cache and push ------------------------------------------- */
  var swReady = new Promise(function (resolve) {
    if (!('serviceWorker' in navigator) || !body.dataset.sw) {
      resolve(null);
      return;
    }
    navigator.serviceWorker.register(body.dataset.sw, {scope: '/'}).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (window.performance && performance.mark) performance.mark('haelapp-sw-ready');
      resolve(registration);
    }, function () { resolve(null); });
  });

  function urlBase64ToBytes(base64) {
    var padding = '='.repeat((4 - base64.length % 4) % 4);
    var raw = atob((base64 + padding).replace(/-/g, '+').replace(/_/g, '/'));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function subscribe(registration, publicKey) {
    return registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: urlBase64ToBytes(publicKey)
    });
  }

  /* Tell the server about this browser's subscription. The server refuses (409) an endpoint
     that is another account's: someone else used the app in this browser and did not log
     out. Give that one up and send a new one, which is then this account's. */
  function sendSubscription(subscription) {
    var post = function (s) { return api('POST', '/api/v1/push-subscriptions/', s.toJSON()); };
    return post(subscription).then(function (result) {
      if (result.status !== 409) return result;
      return Promise.all([
        subscription.unsubscribe(), swReady, api('GET', '/api/v1/push/public-key/')
      ]).then(function (done) {
        if (!done[1] || !done[2].ok) return result;
        return subscribe(done[1], done[2].data.public_key).then(post);
      }).catch(function () { return result; });
    });
  }

  /* Whether the server holds this subscription as it is: the page lists the ones it holds for
     the patient (data-push), each named as reminders.services.subscription_fingerprint names
     it: the first 20 hex digits of SHA-256 over endpoint, p256dh and auth, one per line. */
  function heldByServer(subscription) {
    var listed = (body.dataset.push || '').split(' ').filter(Boolean);
    if (!listed.length || !window.crypto || !crypto.subtle || !window.TextEncoder) {
      return Promise.resolve(false);
    }
    var json = subscription.toJSON();
    var keys = json.keys || {};
    var text = [json.endpoint, keys.p256dh || '', keys.auth || ''].join('\n');
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)).then(function (digest) {
      var hex = Array.prototype.map.call(new Uint8Array(digest), function (byte) {
        return ('0' + byte.toString(16)).slice(-2);
      }).join('');
      return listed.indexOf(hex.slice(0, 20)) !== -1;
    }).catch(function () { return false; });
  }

  var push = {
    supported: function () {
      return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
    },
    current: function () {
      return swReady.then(function (registration) {
        if (!registration || !registration.pushManager) return null;
        return registration.pushManager.getSubscription();
      });
    },
    /* Only ever called from a tap: the browser's permission prompt follows a user action. */
    enable: function () {
      return Notification.requestPermission().then(function (permission) {
        if (permission !== 'granted') return {ok: false, reason: permission};
        return api('GET', '/api/v1/push/public-key/').then(function (key) {
          if (!key.ok) return {ok: false, reason: 'unavailable'};
          return swReady.then(function (registration) {
            return subscribe(registration, key.data.public_key);
          }).then(function (subscription) {
            return sendSubscription(subscription).then(function (result) {
              return {ok: result.ok, reason: result.ok ? null : errorText(result)};
            });
          });
        });
      });
    },
    /* At a start of the app: this browser's subscription goes to the server unless the server
       holds it as it is. Subscriptions can change or expire without notice, and the server
       drops those the push service refuses; sending one it holds already would cost a request
       at every start for nothing. Resolves to 'held', 'sent' or 'none'. */
    renew: function () {
      if (!push.supported() || Notification.permission !== 'granted') return Promise.resolve('none');
      return push.current().then(function (subscription) {
        if (!subscription) return 'none';
        return heldByServer(subscription).then(function (held) {
          if (held) return 'held';
          return sendSubscription(subscription).then(function () { return 'sent'; });
        });
      });
    },
    disable: function () {
      return push.current().then(function (subscription) {
        if (!subscription) return {ok: true};
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return api('DELETE', '/api/v1/push-subscriptions/?endpoint=' + encodeURIComponent(endpoint));
        }).then(function () { return {ok: true}; });
      });
    }
  };

  function startForUser() {
    if (!user) return;
    outbox.getMeta('user').then(function (previous) {
      if (previous != null && String(previous) !== String(user) && window.caches) {
        // Someone else used the app on this device before: their pages go.
        caches.delete('haelapp-user');
      }
      return Promise.all([outbox.setMeta('user', user), outbox.setMeta('csrf', csrf())]);
    }).then(function () {
      return renderOutbox();
    }).then(function () {
      return flush();
    });
    window.addEventListener('online', function () { flush(); });
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible') flush();
    });
    outbox.onChange(function () { renderOutbox(); });

    swReady.then(function (registration) {
      if (!registration) return;
      var warm = function () {
        if (registration.active) {
          var urls = role === 'patient' ? ['/', '/programme/', '/programme.json', '/today/guide/'] : [];
          // Today and Programme name the offline copy of the programme they show: the worker
          // fetches the copy again only when its own is another (or it has none).
          registration.active.postMessage({type: 'warm', urls: urls, offline: body.dataset.offline || null});
        }
      };
      if (window.requestIdleCallback) requestIdleCallback(warm, {timeout: 3000});
      else setTimeout(warm, 500);
    });

    if (role === 'patient') {
      push.started = swReady.then(function (registration) {
        return registration ? push.renew() : 'none';
      }).catch(function () { return 'none'; });
    }
  }

  /* Log-out: send what can be sent, then forget everything on this device. */
  function forget() {
    var done = Promise.resolve();
    if (outbox) {
      done = Promise.race([
        flush(),
        new Promise(function (resolve) { setTimeout(resolve, 2000); })
      ]).then(function () { return outbox.clear(); });
    }
    return done.then(function () {
      var steps = [];
      if (window.caches) steps.push(caches.delete('haelapp-user'));
      if (navigator.serviceWorker && navigator.serviceWorker.controller) {
        navigator.serviceWorker.controller.postMessage({type: 'forget'});
      }
      if (role === 'patient' && push.supported()) {
        steps.push(Promise.race([
          push.disable(),
          new Promise(function (resolve) { setTimeout(resolve, 1500); })
        ]));
      }
      return Promise.all(steps);
    }).catch(function () { /* log out anyway */ });
  }

  /* A page kept for offline use may carry an old CSRF token in its forms; use the current one. */
  function freshToken(form) {
    var field = form.querySelector('input[name=csrfmiddlewaretoken]');
    var token = csrf();
    if (field && token) field.value = token;
  }

  document.querySelectorAll('form.language-form, form[method=post]:not(.logout-form)').forEach(function (form) {
    form.addEventListener('submit', function () { freshToken(form); });
  });

  /* The tab bar's "More": closes with Escape (the focus back on it) and with a tap elsewhere. */
  var more = document.querySelector('.tab-more details');
  if (more) {
    more.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && more.open) {
        more.open = false;
        more.querySelector('summary').focus();
      }
    });
    document.addEventListener('click', function (event) {
      if (more.open && !more.contains(event.target)) more.open = false;
    });
  }

  document.querySelectorAll('form.logout-form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      freshToken(form);
      if (form.dataset.forgotten) return;
      event.preventDefault();
      form.querySelectorAll('button').forEach(function (button) { button.disabled = true; });
      forget().then(function () {
        form.dataset.forgotten = '1';
        form.submit();
      });
    });
  });

  // The offline page (no user on it) still shows what is waiting.
  if (!user && body.dataset.shell && outbox) {
    outbox.getMeta('user').then(function (stored) {
      if (stored != null) {
        user = stored;
        renderOutbox();
        window.addEventListener('online', function () { flush(); });
      }
    });
  }

  window.haelapp = {
    t: t,
    format: format,
    api: api,
    errorText: errorText,
    csrf: csrf,
    localDate: localDate,
    formatDate: formatDate,
    formatTime: formatTime,
    formatInstant: formatInstant,
    formatNumber: formatNumber,
    dayLabel: dayLabel,
    flush: flush,
    renderOutbox: renderOutbox,
    swReady: swReady,
    push: push,
    forget: forget,
    user: function () { return user; },
    lang: lang
  };

  startForUser();
})();
