/* haelapp service worker, served from /sw.js so that its scope is the whole app.

   What it keeps on the device:
   - the app shell (CSS, scripts, icons, exercise drawings, the offline page), cache-first;
   - pages the server marks as safe to keep (Today and Programme: the programme, no diary,
     progress or check-in data) and the patient's programme as JSON, network-first, in a cache
     that is emptied on log-out.
   Never: anything under /api/ (the health data) and any page sent with `no-store`.
   The offline outbox (js/outbox.js) lives in IndexedDB and holds only what is not yet sent. */
'use strict';

var VERSION = '{{ version }}';
var SHELL = 'haelapp-shell-' + VERSION;
var USER = 'haelapp-user';
var PRECACHE = {{ precache|safe }};
var PRECACHE_LATER = {{ precache_later|safe }};
var ICON = '{{ icon }}';
var STATIC_IMMUTABLE = {{ static_immutable }};
var GUIDE = '{% url "guide" %}';

/* The offline outbox (static/js/outbox.js), shared with the pages; see web/views/pwa.py. */
{{ outbox_source|safe }}

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      // `reload`: bypass the HTTP cache so a new version never precaches an old file; hashed
      // static names are the same file forever, so the HTTP cache may give them.
      return cache.addAll(PRECACHE.map(function (url) {
        var hashed = STATIC_IMMUTABLE && url.indexOf('{{ static_url }}') === 0;
        return new Request(url, {cache: hashed ? 'default' : 'reload'});
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf('haelapp-shell-') === 0 && key !== SHELL;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

/* Only what the server marks as safe to keep offline (the programme, never diary, progress or
   check-in data), and never anything sent `no-store`. */
function keepable(response) {
  if (!response || !response.ok || response.redirected || response.type !== 'basic') return false;
  var control = response.headers.get('Cache-Control') || '';
  return response.headers.get('X-Offline') === 'keep' && control.indexOf('no-store') === -1;
}

function forgetPage(request) {
  // caches.open() would create the cache; only touch it if it exists.
  return caches.has(USER).then(function (has) {
    return has && caches.open(USER).then(function (cache) { return cache.delete(request); });
  });
}

function networkFirst(request, fallback) {
  return fetch(request).then(function (response) {
    if (keepable(response)) {
      var copy = response.clone();
      caches.open(USER).then(function (cache) { return cache.put(request, copy); });
    } else if (response.ok || response.redirected) {
      // The page is no longer one to keep (for instance a log-in page after the session ended).
      forgetPage(request);
    }
    return response;
  }).catch(function () {
    return caches.match(request, {cacheName: USER, ignoreVary: true}).then(function (hit) {
      return hit || fallback();
    });
  });
}

function cacheFirst(request) {
  return caches.match(request, {ignoreVary: true}).then(function (hit) {
    return hit || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(SHELL).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
  });
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var path = url.pathname;
  // Health data and everything else dynamic: straight to the network, never stored.
  if (path.indexOf('/api/') === 0 || path.indexOf('/admin/') === 0) return;
  if (path.indexOf('/static/') === 0) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (path === '/programme.json') {
    event.respondWith(networkFirst(request, function () { return Response.error(); }));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, function () {
      if (path === GUIDE && url.search) {
        // The guided exercise opened for one exercise (?item=) offline: the page without it
        // holds the day's exercises, and its script starts at the one asked for.
        return caches.match(GUIDE, {cacheName: USER, ignoreVary: true}).then(function (hit) {
          return hit || caches.match('/offline/', {ignoreVary: true});
        });
      }
      return caches.match('/offline/', {ignoreVary: true});
    }));
  }
});

// The offline copy of the programme is another than the one the page shows (`offline`, the
// page's data-offline; absent on pages that do not show the programme).
function stale(copy, offline) {
  return Boolean(offline) && copy.headers.get('X-Offline-Version') !== offline;
}

self.addEventListener('message', function (event) {
  var data = event.data || {};
  if (data.type === 'warm') {
    // Called by the page once it is idle: the rest of the shell, and for a patient their
    // pages and programme for offline use.
    var shell = caches.open(SHELL).then(function (cache) {
      return Promise.all(PRECACHE_LATER.map(function (url) {
        return cache.match(url).then(function (hit) {
          return hit || cache.add(new Request(url, {cache: 'no-cache'})).catch(function () {});
        });
      }));
    });
    var urls = data.urls || [];
    var pages = !urls.length ? Promise.resolve() : caches.open(USER).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return cache.match(url, {ignoreVary: true}).then(function (hit) {
          if (hit && !(url === '/programme.json' && stale(hit, data.offline))) return null;
          return fetch(url, {credentials: 'same-origin'}).then(function (response) {
            if (keepable(response)) return cache.put(url, response);
            return null;
          }).catch(function () { return null; });
        });
      }));
    });
    event.waitUntil(Promise.all([shell, pages]));
  } else if (data.type === 'forget') {
    // Log-out: nothing of this person stays in the caches.
    event.waitUntil(caches.delete(USER));
  } else if (data.type === 'flush') {
    event.waitUntil(self.haelappOutbox.flush());
  }
});

self.addEventListener('sync', function (event) {
  if (event.tag === 'outbox') {
    event.waitUntil(self.haelappOutbox.flush().then(function (result) {
      // Rejecting asks the browser to try again later.
      if (result && result.remaining > 0 && result.retry) throw new Error('outbox not empty');
    }));
  }
});

self.addEventListener('push', function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {body: event.data && event.data.text()}; }
  var title = data.title || 'haelapp';
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || '',
    tag: data.tag || undefined,
    icon: ICON,
    badge: ICON,
    lang: data.lang || undefined,
    data: {url: data.url || '/', id: data.id || null}
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var target = new URL((event.notification.data && event.notification.data.url) || '/', self.location.origin);
  if (target.origin !== self.location.origin) target = new URL('/', self.location.origin);
  event.waitUntil(self.clients.matchAll({type: 'window', includeUncontrolled: true}).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].url === target.href && 'focus' in windows[i]) return windows[i].focus();
    }
    if (windows.length && 'navigate' in windows[0]) {
      return windows[0].navigate(target.href).then(function (client) { return client && client.focus(); });
    }
    return self.clients.openWindow(target.href);
  }));
});
