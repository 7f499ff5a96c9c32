/* A questionnaire (templates/web/questionnaire.html), answered over several visits and offline.

   The form works without this script (a POST saves a draft or sends it). With it, each change
   goes into the offline outbox as the questionnaire's one record ("q:<id>": a newer change
   replaces the waiting one) and is sent as a draft through the API's PUT; "Send the answers"
   replaces it with the same answers and submit: true, so the answers are sent once, whenever
   the connection allows. A draft left in the outbox by an earlier visit fills the form again. */
(function () {
  'use strict';
  var app = window.haelapp;
  var outbox = window.haelappOutbox;
  var form = document.getElementById('questionnaire');
  if (!app || !outbox || !form) return;
  var user = app.user();
  var key = 'q:' + form.dataset.id;
  var status = document.getElementById('q-status');
  var title = document.querySelector('h1').textContent;
  var submitting = false;  // the waiting record is the sending, not a draft

  function answers() {
    var result = {};
    form.querySelectorAll('fieldset.q-item').forEach(function (fieldset) {
      var text = fieldset.querySelector('input[type=text]');
      if (text) {
        if (!text.readOnly && text.value.trim()) result[text.name] = text.value.trim();
        return;
      }
      var checked = fieldset.querySelector('input[type=radio]:checked');
      if (!checked) return;
      var kind = checked.closest('[data-kind]').dataset.kind;
      var value = checked.value;
      if (kind === 'yes_no') result[checked.name] = value === 'true';
      else if (value === 'na') result[checked.name] = 'na';
      else result[checked.name] = parseInt(value, 10);
    });
    return result;
  }

  function fill(saved) {
    Object.keys(saved).forEach(function (name) {
      var value = saved[name];
      var text = form.querySelector('input[type=text][name="' + name + '"]');
      if (text) { if (!text.readOnly) text.value = value; return; }
      var radio = form.querySelector('input[type=radio][name="' + name + '"][value="' + String(value) + '"]');
      if (radio) radio.checked = true;
    });
  }

  function queue(submit) {
    submitting = submit;
    return outbox.put({
      key: key,
      user: user,
      kind: 'questionnaire',
      name: title,
      date: app.localDate(0),
      method: 'PUT',
      url: form.dataset.api,
      body: {answers: answers(), submit: submit}
    }).then(function () { return app.flush(); }).then(function () {
      return outbox.pending(user);
    }).then(function (records) {
      return !records.some(function (record) { return record.key === key; });
    });
  }

  form.addEventListener('change', function () {
    if (submitting) return;  // sent already, or waiting to be: the answers are final
    queue(false).then(function (sent) {
      status.textContent = sent ? app.t('draftSaved') : app.t('savedOffline');
    });
  });

  form.addEventListener('submit', function (event) {
    var submitter = event.submitter;
    event.preventDefault();
    var submit = !!(submitter && submitter.name === 'submit');
    queue(submit).then(function (sent) {
      if (!sent) {
        status.textContent = app.t('savedOffline');
        return;
      }
      // What the server holds now: the list after sending, the form with the draft otherwise.
      // A refusal (an answer missing) is shown by the server's own page: post the form.
      outbox.rejected(user).then(function (rejected) {
        var refused = rejected.filter(function (record) { return record.key === key; });
        if (refused.length) {
          outbox.dismiss(key).then(function () {
            if (submitter) {
              var hidden = document.createElement('input');
              hidden.type = 'hidden';
              hidden.name = submitter.name;
              hidden.value = submitter.value || '1';
              form.appendChild(hidden);
            }
            form.submit();
          });
          return;
        }
        if (submit) {
          status.textContent = app.t('questionnaireSent');
          window.location.assign(form.dataset.done);
        } else {
          status.textContent = app.t('draftSaved');
        }
      });
    });
  });

  // Sent when the connection comes back (app.js flushes on "online"); then show the result.
  outbox.onChange(function () {
    outbox.pending(user).then(function (records) {
      var mine = records.filter(function (record) { return record.key === key; })[0];
      if (mine || status.textContent !== app.t('savedOffline')) return;
      if (!submitting) {
        status.textContent = app.t('draftSaved');
        return;
      }
      status.textContent = app.t('questionnaireSent');
      window.location.assign(form.dataset.done);
    });
  });

  outbox.pending(user).then(function (records) {
    records.forEach(function (record) {
      if (record.key === key && record.body) fill(record.body.answers || {});
    });
  });
})();
