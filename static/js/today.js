/* Today: the morning-pain question and the exercises done today, session by session (the guided
   exercise, with its timers, is static/js/guide.js).
   Every tap goes into the outbox first and is then sent, so nothing is lost offline. */
(function () {
  'use strict';
  var app = window.haelapp;
  var outbox = window.haelappOutbox;
  if (!app || !outbox || !document.querySelector('.pain-scale')) return;
  var user = app.user();
  var days = {today: app.localDate(0), yesterday: app.localDate(-1)};
  var serverPain = {};   // date -> {value, other, note}
  var drafts = {};       // date -> the right heel, tapped before the left (not yet sendable)
  var serverDone = {};   // item id -> the sessions done today, e.g. [1, 3]
  var waiting = {};      // outbox key -> record

  function painKey(date) { return 'pain:' + date; }

  /* A patient whose episode has both heels gets two scales a day (data-heel "left" and
     "right"): the left heel is the entry's morning_pain, the right its morning_pain_other,
     written together in one PUT and one outbox record. One heel: one scale, morning_pain. */
  function heelField(scale) { return scale.dataset.heel === 'right' ? 'other' : 'value'; }
  /* The status line under a scale (templates/web/_pain_scale.html). */
  function statusOf(scale) {
    var key = scale.dataset.day + (scale.dataset.heel ? '-' + scale.dataset.heel : '');
    return document.querySelector('[data-status-for="' + key + '"]');
  }
  function bothHeels() { return !!document.querySelector('.pain-scale[data-heel]'); }
  function shownPain(date) {
    var pending = waiting[painKey(date)];
    var known = pending || serverPain[date] || {};
    var shown = {value: known.value == null ? null : known.value, other: known.other == null ? null : known.other};
    if (drafts[date] != null) shown.other = drafts[date];
    return shown;
  }
  function painRecord(date, value, other, note) {
    var body = {morning_pain: value, note: note, recorded_at: new Date().toISOString()};
    // Only with two heels: a one-heel patient's PUT stays the one-value contract.
    if (other != null) body.morning_pain_other = other;
    return {
      key: painKey(date),
      user: user,
      kind: 'pain',
      date: date,
      value: value,
      other: other,
      method: 'PUT',
      url: '/api/v1/diary/' + date + '/',
      body: body
    };
  }
  /* One outbox record per session of an item a day. A record waiting from before sessions
     (key without one) is session 1, as the API reads a PUT without "session". */
  function doneKey(date, item, session) { return 'done:' + date + ':' + item + ':' + session; }
  function pendingDone(date, item, session) {
    return waiting[doneKey(date, item, session)] ||
      (String(session) === '1' ? waiting['done:' + date + ':' + item] : undefined);
  }
  function isDone(item, session) {
    var pending = pendingDone(days.today, item, session);
    if (pending) return pending.kind === 'done';
    return (serverDone[item] || []).indexOf(Number(session)) !== -1;
  }

  /* --- rendering ------------------------------------------------------------------------ */
  function renderPain() {
    document.querySelectorAll('.pain-scale').forEach(function (scale) {
      var date = days[scale.dataset.day];
      var pending = waiting[painKey(date)];
      var value = shownPain(date)[heelField(scale)];
      scale.querySelectorAll('button.pain').forEach(function (button) {
        button.setAttribute('aria-pressed', String(Number(button.dataset.value) === value));
      });
      var status = statusOf(scale);
      if (!status) return;
      if (pending) {
        status.textContent = navigator.onLine ? app.t('waitingTitle') + '…' : app.t('savedOffline');
      } else if (status.dataset.justSaved === '1' && value != null) {
        status.textContent = app.t('saved');
      }
    });
  }

  function renderDone() {
    var total = 0;
    var doneTotal = 0;
    document.querySelectorAll('.exercise[data-item]').forEach(function (card) {
      var item = card.dataset.item;
      var buttons = card.querySelectorAll('.btn-done');
      if (!buttons.length) return;
      var single = buttons.length === 1;
      var doneCount = 0;
      var anyPending = false;
      buttons.forEach(function (button) {
        var session = button.dataset.session || '1';
        var done = isDone(item, session);
        if (pendingDone(days.today, item, session)) anyPending = true;
        doneCount += done ? 1 : 0;
        button.setAttribute('aria-pressed', String(done));
        if (single) button.textContent = done ? app.t('doneUndo') : app.t('markDone');
      });
      total += buttons.length;
      doneTotal += doneCount;
      card.classList.toggle('is-done', doneCount === buttons.length);
      var status = card.querySelector('.done-status');
      if (status) {
        if (anyPending && !navigator.onLine) status.textContent = app.t('savedOffline');
        else if (anyPending) status.textContent = app.t('waitingTitle') + '…';
        else if (!single) status.textContent = app.t('sessionsToday', {done: doneCount, total: buttons.length});
        else status.textContent = '';
      }
    });
    renderDayProgress(doneTotal, total);
  }

  /* "4 of 7 done today": the sessions of today's due exercises (one per time a day). */
  function renderDayProgress(done, total) {
    var box = document.getElementById('day-progress');
    if (!box || !total) return;
    document.getElementById('day-progress-bar').max = total;
    document.getElementById('day-progress-bar').value = done;
    document.getElementById('day-progress-text').textContent = done >= total
      ? app.t('dayDone') : app.t('dayProgress', {done: done, total: total});
    box.hidden = false;
  }

  function refreshWaiting() {
    return outbox.pending(user).then(function (records) {
      waiting = {};
      records.forEach(function (record) { waiting[record.key] = record; });
      renderPain();
      renderDone();
    });
  }

  /* --- taps ----------------------------------------------------------------------------- */
  function queueAndSend(record, statusElement) {
    return outbox.put(record).then(function () {
      return refreshWaiting();
    }).then(function () {
      return app.flush();
    }).then(function () {
      return refreshWaiting();
    }).then(function () {
      if (!statusElement) return;
      if (waiting[record.key]) {
        statusElement.textContent = app.t('savedOffline');
      } else {
        statusElement.dataset.justSaved = '1';
        statusElement.textContent = app.t('saved');
      }
    });
  }

  function onPain(event) {
    var button = event.target.closest('button.pain');
    if (!button || button.disabled) return;
    var missed = document.getElementById('missed-card');
    if (missed) missed.hidden = true;  // logged again: the card has done its job
    var scale = button.closest('.pain-scale');
    var date = days[scale.dataset.day];
    var both = bothHeels();
    var chosen = shownPain(date);
    chosen[heelField(scale)] = Number(button.dataset.value);
    var status = statusOf(scale);
    if (chosen.value == null) {
      // The right heel first: an entry needs morning_pain (the left), so this waits on the
      // page until the left heel is tapped; then both go in one write.
      drafts[date] = chosen.other;
      renderPain();
      if (status) status.textContent = scale.dataset.needLeft || '';
      return;
    }
    delete drafts[date];
    var other = both ? chosen.other : null;
    var previous = serverPain[date];
    var typed = scale.dataset.day === 'today' && noteField ? noteField.value.trim() : '';
    var note = typed || (previous ? previous.note : '');
    serverPain[date] = {value: chosen.value, other: other, note: note};
    queueAndSend(painRecord(date, chosen.value, other, note), status);
  }

  function onDone(event) {
    var button = event.target.closest('.btn-done');
    if (!button || button.disabled) return;
    var card = button.closest('.exercise');
    var item = card.dataset.item;
    var session = Number(button.dataset.session || 1);
    var sessions = card.querySelectorAll('.btn-done').length;
    var date = days.today;
    var done = button.getAttribute('aria-pressed') !== 'true';
    var known = (serverDone[item] || []).filter(function (n) { return n !== session; });
    serverDone[item] = done ? known.concat([session]) : known;
    var sets = Number(card.dataset.sets) || 1;
    var url = '/api/v1/completions/' + date + '/' + item + '/';
    queueAndSend({
      key: doneKey(date, item, session),
      user: user,
      kind: done ? 'done' : 'undone',
      date: date,
      item: item,
      session: session,
      name: sessions > 1 ? card.dataset.name + ' (' + session + '/' + sessions + ')' : card.dataset.name,
      method: done ? 'PUT' : 'DELETE',
      url: done ? url : url + '?session=' + session,
      body: done ? {sets_done: sets, session: session, recorded_at: new Date().toISOString()} : null
    }, card.querySelector('.done-status'));
  }

  var noteField = document.getElementById('pain-note');
  var noteSave = document.getElementById('pain-note-save');

  function onNote() {
    var status = document.getElementById('pain-note-status');
    var date = days.today;
    var current = shownPain(date);
    if (current.value == null) {
      status.textContent = noteSave.dataset.needValue;
      return;
    }
    var note = noteField.value.trim();
    var other = bothHeels() ? current.other : null;
    delete drafts[date];
    serverPain[date] = {value: current.value, other: other, note: note};
    queueAndSend(painRecord(date, current.value, other, note), status);
  }

  /* --- what the server already has -------------------------------------------------------- */
  /* Bumped whenever records leave the outbox as sent: a read that was under way meanwhile may
     predate them (the server answered before it took them), so its answer is dropped and the
     read that follows it (see reloadFromServer) is shown instead. */
  var sentVersion = 0;

  function loadFromServer() {
    var startedAt = sentVersion;
    function current() { return sentVersion === startedAt; }
    var diary = app.api('GET', '/api/v1/diary/?from=' + days.yesterday + '&to=' + days.today)
      .then(function (result) {
        if (!result.ok || !Array.isArray(result.data) || !current()) return;
        result.data.forEach(function (entry) {
          serverPain[entry.date] = {
            value: entry.morning_pain,
            other: entry.morning_pain_other == null ? null : entry.morning_pain_other,
            note: entry.note || ''
          };
        });
        var today = serverPain[days.today];
        if (noteField && today && today.note && !noteField.value) noteField.value = today.note;
      });
    // Without a programme the API answers 404; no need to ask.
    var programme = !document.querySelector('.exercise') ? null : app.api('GET', '/api/v1/programme/').then(function (result) {
      if (!result.ok || !result.data || !Array.isArray(result.data.items) || !current()) return;
      result.data.items.forEach(function (item) {
        serverDone[String(item.id)] = Array.isArray(item.sessions_done) ? item.sessions_done : [];
      });
    });
    return Promise.all([diary, programme]).then(function () {
      renderPain();
      renderDone();
    });
  }

  /* Read once per page (not at every sync: one more request on each tap); a page opened
     offline reads them when it is back online (reloadFromServer), so advice to seek care
     shows without a navigation. */
  var notices = null;  // the read, under way or done; null until asked and after a failure
  function loadNotices() {
    if (notices) return notices;
    notices = app.api('GET', '/api/v1/progress/').then(function (result) {
      if (!result.ok || !result.data) {
        notices = null;
        return;
      }
      var advice = result.data.advice;
      var notice = document.getElementById('today-notice');
      if (advice && advice.seek_care && notice) {
        notice.querySelector('.notice-text').textContent = advice.title;
        notice.classList.add('notice-care');
        // Same-day and within-days advice: 112 and the after-hours doctor as well as the
        // clinic; otherwise the clinic's contacts only.
        var urgent = advice.urgency === 'same_day' || advice.urgency === 'soon';
        notice.querySelectorAll('.notice-contacts').forEach(function (box) {
          box.hidden = box.getAttribute('data-for') !== (urgent ? 'urgent' : 'physio');
        });
        notice.hidden = false;
      }
      var checkin = document.getElementById('checkin-notice');
      if (result.data.checkin_due && checkin) checkin.hidden = false;
      encourage(result.data.series || [], !!(advice && advice.seek_care));
    });
  }

  /* Warmth without pressure (no streaks): a kind word when the 7-day mean has fallen by a
     point or more in a week, and a gentle card, not a reproach, when someone who had been
     logging has missed the last two mornings. Both from the server's series, never stored in
     the page. */
  var KIND_DROP = 1.0;
  function encourage(series, seekCare) {
    var kind = document.getElementById('kind-words');
    var missed = document.getElementById('missed-card');
    var byDate = {};
    series.forEach(function (point) { byDate[point.date] = point; });
    var latest = series.length ? series[series.length - 1] : null;
    if (kind && latest && latest.mean_7d != null && !seekCare) {
      var weekBefore = new Date(latest.date + 'T12:00:00');
      weekBefore.setDate(weekBefore.getDate() - 7);
      var earlier = byDate[weekBefore.toISOString().slice(0, 10)];
      kind.hidden = !(earlier && earlier.mean_7d != null &&
        parseFloat(latest.mean_7d) <= parseFloat(earlier.mean_7d) - KIND_DROP);
    }
    if (missed) {
      var dayBefore = app.localDate(-2);
      var loggedBefore = series.some(function (point) { return point.date < dayBefore; });
      var quiet = !byDate[days.yesterday] && !byDate[dayBefore] && !byDate[days.today] &&
        !serverPain[days.today] && !waiting[painKey(days.today)];
      missed.hidden = !(loggedBefore && quiet);
    }
  }

  /* --- start ------------------------------------------------------------------------------ */
  document.querySelectorAll('.pain-scale').forEach(function (scale) {
    scale.addEventListener('click', onPain);
  });
  document.querySelectorAll('.exercise').forEach(function (card) {
    card.addEventListener('click', onDone);
  });
  if (noteSave) noteSave.addEventListener('click', onNote);
  /* After a sync the page shows what the server holds, without a navigation: a page opened
     offline never read the server, and once its outbox records are sent (and removed) it
     would otherwise fall back to that empty state. Read again when records leave the
     outbox, when the connection returns and when the page is shown again. */
  var reloading = null;
  var again = false;  // asked while a read was under way: read once more after it
  function reloadFromServer() {
    if (!navigator.onLine) return null;
    if (reloading) {
      again = true;
      return reloading;
    }
    function done() {
      reloading = null;
      if (again) {
        again = false;
        reloadFromServer();
      } else {
        loadNotices();
      }
    }
    reloading = loadFromServer().then(done, done);
    return reloading;
  }
  /* The status lines of `date`'s pain: under each of its scales, and the note's if it says
     anything (a note saved offline). */
  function painStatuses(date) {
    var found = [];
    document.querySelectorAll('.pain-scale').forEach(function (scale) {
      if (days[scale.dataset.day] !== date) return;
      var status = statusOf(scale);
      if (status) found.push(status);
    });
    var note = document.getElementById('pain-note-status');
    if (note && note.textContent && date === days.today) found.push(note);
    return found;
  }
  /* A record that left the outbox without being refused was taken by the server: show it as
     the server's from that moment, so a value tapped on a page opened offline (which never read
     the server) does not vanish between the send and the next read. */
  function settle(record) {
    if (record.kind === 'pain') {
      serverPain[record.date] = {
        value: record.value,
        other: record.other == null ? null : record.other,
        note: (record.body && record.body.note) || ''
      };
      // "Waiting to be sent" becomes "Saved" (renderPain keeps it while the value shows).
      painStatuses(record.date).forEach(function (status) {
        status.dataset.justSaved = '1';
        status.textContent = app.t('saved');
      });
    } else if (record.date === days.today && (record.kind === 'done' || record.kind === 'undone')) {
      var session = Number(record.session || 1);
      var known = (serverDone[record.item] || []).filter(function (n) { return n !== session; });
      serverDone[record.item] = record.kind === 'done' ? known.concat([session]) : known;
    }
  }
  outbox.onChange(function () {
    var before = waiting;
    refreshWaiting().then(function () {
      var gone = Object.keys(before).filter(function (key) { return !waiting[key]; });
      if (!gone.length) return null;
      return outbox.rejected(user).then(function (rejected) {
        var refused = {};
        rejected.forEach(function (record) { refused[record.key + ' ' + record.stamp] = true; });
        gone.forEach(function (key) {
          var record = before[key];
          if (!refused[key + ' ' + record.stamp]) {
            settle(record);
          } else if (record.kind === 'pain') {
            // Refused: the outbox banner says why; the line under the scale no longer waits.
            painStatuses(record.date).forEach(function (status) {
              delete status.dataset.justSaved;
              status.textContent = '';
            });
          }
        });
        sentVersion++;
        renderPain();
        renderDone();
        reloadFromServer();
      });
    });
  });
  window.addEventListener('online', function () { refreshWaiting(); reloadFromServer(); });
  window.addEventListener('offline', function () { refreshWaiting(); });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') reloadFromServer();
  });

  refreshWaiting().then(function () {
    // Interactive from here: taps work whether or not the server answers.
    document.querySelectorAll('button.pain, .btn-done, #pain-note-save').forEach(function (button) {
      button.disabled = false;
    });
    document.body.dataset.ready = '1';
    if (window.performance && performance.mark) performance.mark('haelapp-interactive');
    return loadFromServer();
  }).then(function () {
    // Not urgent: after the first load has settled.
    if (window.requestIdleCallback) requestIdleCallback(loadNotices, {timeout: 2000});
    else setTimeout(loadNotices, 300);
  });
})();
