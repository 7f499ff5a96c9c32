/* The offline outbox: writes the patient made (morning pain, exercises done) that the server has
   not yet confirmed. Shared by the pages and the service worker (Background Sync).

   - One record per thing (key "pain:<date>" or "done:<date>:<item>:<session>"): tapping again replaces the
     waiting record, so only the latest choice is sent. A patient with both heels has one
     record a date carrying both values (body morning_pain: the left heel,
     morning_pain_other: the right), so the two are sent, and win, together.
   - Sent with the API's idempotent PUT (and DELETE for "not done"), each carrying the moment of
     the tap as `recorded_at`; the server keeps the latest, so a repeat changes nothing.
   - A record is removed once the server confirmed it, and only if it was not replaced meanwhile.
   - One sender at a time across tabs and the service worker (Web Locks), so nothing is sent
     twice.
   - Records carry the user's id: they are sent only in that user's session, and all of them are
     deleted on log-out. */
(function (global) {
  'use strict';
  var DB_NAME = 'haelapp';
  var DB_VERSION = 1;
  var OUTBOX = 'outbox';
  var REJECTED = 'rejected';
  var META = 'meta';
  var LOCK = 'haelapp-outbox';
  var dbPromise = null;
  var channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('haelapp-outbox') : null;
  var listeners = [];

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, {keyPath: 'key'});
          if (!db.objectStoreNames.contains(REJECTED)) db.createObjectStore(REJECTED, {keyPath: 'key'});
          if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { dbPromise = null; reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(storeName, mode, body) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var store = tx.objectStore(storeName);
        var result;
        body(store, function (value) { result = value; });
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function getAll(storeName) {
    return run(storeName, 'readonly', function (store, done) {
      var request = store.getAll();
      request.onsuccess = function () { done(request.result || []); };
    });
  }

  function changed() {
    var message = {type: 'changed'};
    if (channel) channel.postMessage(message);
    listeners.forEach(function (listener) { try { listener(message); } catch (e) { /* ignore */ } });
  }

  var seq = 0;

  var Outbox = {
    /* Queue a write. `record`: {key, user, method, url, body, kind, date, ...}. */
    put: function (record) {
      record.stamp = Date.now() + ':' + (++seq) + ':' + Math.random().toString(36).slice(2, 8);
      record.queued_at = Date.now();
      return run(OUTBOX, 'readwrite', function (store) { store.put(record); }).then(function () {
        changed();
        return record;
      });
    },
    pending: function (user) {
      return getAll(OUTBOX).then(function (records) {
        return records.filter(function (r) { return user == null || String(r.user) === String(user); })
          .sort(function (a, b) { return a.queued_at - b.queued_at; });
      });
    },
    rejected: function (user) {
      return getAll(REJECTED).then(function (records) {
        return records.filter(function (r) { return user == null || String(r.user) === String(user); });
      });
    },
    dismiss: function (key) {
      return run(REJECTED, 'readwrite', function (store) { store.delete(key); }).then(changed);
    },
    getMeta: function (name) {
      return run(META, 'readonly', function (store, done) {
        var request = store.get(name);
        request.onsuccess = function () { done(request.result); };
      });
    },
    setMeta: function (name, value) {
      return run(META, 'readwrite', function (store) { store.put(value, name); });
    },
    /* Log-out: everything goes, sent or not. */
    clear: function () {
      return Promise.all([OUTBOX, REJECTED, META].map(function (name) {
        return run(name, 'readwrite', function (store) { store.clear(); });
      })).then(changed);
    },
    onChange: function (listener) {
      listeners.push(listener);
      if (channel) channel.addEventListener('message', function (event) { listener(event.data); });
    },
    /* Send what is waiting. Resolves {sent, remaining, retry}. */
    flush: function () {
      if (global.navigator && global.navigator.locks && global.navigator.locks.request) {
        return global.navigator.locks.request(LOCK, sendAll);
      }
      return sendAll();
    }
  };

  function removeIfUnchanged(record) {
    return run(OUTBOX, 'readwrite', function (store) {
      var request = store.get(record.key);
      request.onsuccess = function () {
        var current = request.result;
        if (current && current.stamp === record.stamp) store.delete(record.key);
      };
    });
  }

  function reasonFrom(data) {
    if (!data || typeof data !== 'object') return '';
    var parts = [];
    Object.keys(data).forEach(function (field) {
      var value = data[field];
      if (Array.isArray(value)) parts.push(value.join(' '));
      else if (typeof value === 'string') parts.push(value);
    });
    return parts.join(' ');
  }

  function sendAll() {
    return Promise.all([Outbox.getMeta('user'), Outbox.getMeta('csrf')]).then(function (meta) {
      var user = meta[0];
      var token = meta[1] || '';
      if (user == null) return {sent: 0, remaining: 0, retry: false};
      return Outbox.pending(user).then(function (records) {
        var sent = 0;
        var index = 0;
        function next() {
          if (index >= records.length) return {sent: sent, remaining: 0, retry: false};
          var record = records[index++];
          var options = {
            method: record.method,
            credentials: 'same-origin',
            cache: 'no-store',
            headers: {'Accept': 'application/json', 'X-CSRFToken': token}
          };
          if (record.body != null) {
            options.headers['Content-Type'] = 'application/json';
            options.body = JSON.stringify(record.body);
          }
          return fetch(record.url, options).then(function (response) {
            if (response.ok || (record.method === 'DELETE' && response.status === 404)) {
              sent++;
              return removeIfUnchanged(record).then(changed).then(next);
            }
            if (response.status === 400 || response.status === 404) {
              // The server will never take this one (a date too far back, an exercise no
              // longer in the programme): tell the patient instead of retrying for ever.
              return response.json().catch(function () { return null; }).then(function (data) {
                var rejected = Object.assign({}, record, {reason: reasonFrom(data)});
                return run(REJECTED, 'readwrite', function (store) { store.put(rejected); });
              }).then(function () { return removeIfUnchanged(record); }).then(changed).then(next);
            }
            // Logged out, throttled or the server is down: keep it and try again later.
            return {sent: sent, remaining: records.length - index + 1, retry: true, status: response.status};
          }, function () {
            return {sent: sent, remaining: records.length - index + 1, retry: true, offline: true};
          });
        }
        return next();
      });
    });
  }

  global.haelappOutbox = Outbox;
  // A page reads the outbox before its buttons are enabled: open the database now, while the
  // rest of the page's scripts load, rather than when the first of them asks.
  if (typeof window !== 'undefined' && global === window) open()['catch'](function () {});
})(self);
