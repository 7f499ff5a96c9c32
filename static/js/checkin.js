/* Check-in: every red-flag question answered yes or no, then the advice. */
(function () {
  'use strict';
  var app = window.haelapp;
  var form = document.getElementById('checkin-form');
  if (!app || !form) return;
  var result = document.getElementById('checkin-result');
  var adviceBox = document.getElementById('checkin-advice');
  var okBox = document.getElementById('checkin-ok');
  var formError = document.getElementById('checkin-error');
  var checkinId = null;
  form.querySelector('button[type=submit]').disabled = false;

  function questions() { return Array.prototype.slice.call(form.querySelectorAll('fieldset.question')); }

  // Diabetes is background (asked once): with a yes, the foot-wound question comes first and
  // does not ask again whether the patient has diabetes (diary.red_flags.questions).
  var wound = form.querySelector('fieldset[data-question-with-diabetes]');
  var woundHome = wound ? wound.nextElementSibling : null;
  function placeWound(hasDiabetes) {
    if (!wound) return;
    var background = document.getElementById('q-has_diabetes');
    wound.querySelector('.qtext').textContent = hasDiabetes
      ? wound.getAttribute('data-question-with-diabetes')
      : wound.getAttribute('data-question');
    if (hasDiabetes) {
      background.parentNode.insertBefore(wound, background.nextElementSibling);
    } else {
      form.insertBefore(wound, woundHome);
    }
    form.querySelectorAll('fieldset.red-flag .qnum').forEach(function (number, index) {
      number.textContent = (index + 1) + '.';
    });
  }

  form.addEventListener('change', function (event) {
    var fieldset = event.target.closest('fieldset.question');
    if (!fieldset) return;
    if (event.target.name === 'has_diabetes') placeWound(event.target.value === 'yes');
    var error = fieldset.querySelector('.field-error');
    error.hidden = true;
    fieldset.classList.remove('invalid');
    fieldset.querySelectorAll('input').forEach(function (input) { input.removeAttribute('aria-invalid'); });
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var answers = {};
    var firstMissing = null;
    questions().forEach(function (fieldset) {
      var checked = fieldset.querySelector('input:checked');
      var error = fieldset.querySelector('.field-error');
      var inputs = fieldset.querySelectorAll('input');
      if (!checked) {
        error.hidden = false;
        fieldset.classList.add('invalid');
        inputs.forEach(function (input) {
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', error.id);
        });
        if (!firstMissing) firstMissing = inputs[0];
      } else {
        answers[checked.name] = checked.value === 'yes';
      }
    });
    if (firstMissing) {
      firstMissing.focus();
      return;
    }
    var submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    formError.hidden = true;
    var body = {answers: answers};
    if ('has_diabetes' in answers) {
      body.has_diabetes = answers.has_diabetes;
      delete answers.has_diabetes;
    }
    app.api('POST', '/api/v1/checkins/', body).then(function (response) {
      submit.disabled = false;
      if (!response.ok) {
        formError.textContent = app.errorText(response);
        formError.hidden = false;
        return;
      }
      var advice = response.data.advice;
      checkinId = response.data.id;
      form.hidden = true;
      result.hidden = false;
      if (advice) {
        adviceBox.querySelector('.advice-title').textContent = advice.title;
        adviceBox.querySelector('.advice-text').textContent = advice.text;
        adviceBox.hidden = false;
      } else {
        okBox.hidden = false;
      }
      result.focus();
      window.scrollTo(0, 0);
    });
  });

  var ack = document.getElementById('checkin-ack');
  if (ack) {
    ack.addEventListener('click', function () {
      var status = document.getElementById('checkin-ack-status');
      ack.disabled = true;
      app.api('POST', '/api/v1/checkins/' + checkinId + '/acknowledge/').then(function (response) {
        if (response.ok) {
          status.textContent = app.t('saved');
        } else {
          ack.disabled = false;
          status.textContent = app.errorText(response);
        }
      });
    });
  }
})();
