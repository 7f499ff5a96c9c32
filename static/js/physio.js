/* The physiotherapist's pages: patient list, invitation, patient detail. All data comes from the
   JSON API, which records every read in the patient's access log. */
(function () {
  'use strict';
  var app = window.haelapp;
  if (!app) return;
  var labelsElement = document.getElementById('labels');
  var LABELS = labelsElement ? JSON.parse(labelsElement.textContent) : {};
  var FLAG_ORDER = ['red_flag', 'worse', 'not_improving', 'no_entries', 'questionnaire_overdue', 'questionnaire_due'];
  var STATUS_ORDER = ['worse', 'not_improving', 'not_enough_data', 'collecting', 'data_only', 'improving'];

  function label(group, code) {
    return (LABELS[group] && LABELS[group][code]) || code;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function dashed(code) {
    return String(code).replace(/_/g, '-');
  }

  function percent(value) {
    return value == null ? '–' : app.formatNumber(value * 100) + ' %';
  }

  /* ======================================================================================
     Patient list
     ====================================================================================== */
  function patientList(table) {
    var form = document.getElementById('patient-filter');
    var count = document.getElementById('patient-count');
    var tbody = table.querySelector('tbody');
    var headers = Array.prototype.slice.call(table.querySelectorAll('th[data-key]'));
    var rows = [];
    var sortKey = 'flags';
    var sortDirection = -1;
    var params = new URLSearchParams(window.location.search);
    form.status.value = params.get('status') || '';
    form.flag.value = params.get('flag') || '';
    var searchField = form.elements.q;
    var sortField = form.elements.sort;
    searchField.value = params.get('q') || '';

    /* The search narrows the rows already loaded, by name or e-mail, as the physio types. */
    function matches(row) {
      var needle = searchField.value.trim().toLocaleLowerCase();
      if (!needle) return true;
      return (row.name + ' ' + (row.email || '')).toLocaleLowerCase().indexOf(needle) >= 0;
    }

    function flagScore(row) {
      return row.flags.reduce(function (score, flag) {
        var rank = FLAG_ORDER.indexOf(flag);
        return score + (rank < 0 ? 0 : Math.pow(2, FLAG_ORDER.length - rank));
      }, 0);
    }

    function statusScore(row) {
      var rank = STATUS_ORDER.indexOf(row.status);
      return rank < 0 ? 0 : STATUS_ORDER.length - rank;
    }

    function sortValue(row, key) {
      // "Most in need": the flags first, the status between patients with the same flags.
      if (key === 'flags') return flagScore(row) * 16 + statusScore(row);
      if (key === 'status') return statusScore(row);
      if (key === 'name') return row.name.toLocaleLowerCase();
      return row[key];
    }

    function compare(a, b) {
      var x = sortValue(a, sortKey);
      var y = sortValue(b, sortKey);
      if (x == null && y == null) return a.name.localeCompare(b.name);
      if (x == null) return 1;  // empty values last, whichever the direction
      if (y == null) return -1;
      if (x < y) return -sortDirection;
      if (x > y) return sortDirection;
      return a.name.localeCompare(b.name);
    }

    function cell(row, text, header) {
      var td = el('td', null, text);
      td.dataset.label = header;
      row.appendChild(td);
      return td;
    }

    /* One badge per patient: the most pressing flag, or the status when there is no flag. What
       else there is to know is said in words under it, leaving out a status the badge already
       says (the flag "higher than at the start" is that status). Text, not colour alone. */
    function needCell(td, row) {
      var known = FLAG_ORDER.filter(function (flag) { return row.flags.indexOf(flag) >= 0; });
      var flags = known.concat(row.flags.filter(function (flag) { return known.indexOf(flag) < 0; }));
      var repeats = LABELS.flag_repeats_status || {};
      var badge;
      var more = [];
      if (flags.length) {
        badge = el('span', 'badge badge-' + dashed(flags[0]), label('flags', flags[0]));
        more = flags.slice(1).map(function (flag) { return label('flags', flag); });
        var repeated = flags.some(function (flag) { return repeats[flag] === row.status; });
        if (!repeated) more.push(label('status', row.status));
      } else {
        badge = el('span', 'badge badge-status-' + dashed(row.status), label('status', row.status));
      }
      td.appendChild(badge);
      if (more.length) td.appendChild(el('span', 'badge-more', more.join(' · ')));
    }

    /* The Sort field shows the order however it was chosen; a column header's order that the
       field has no option for gets one of its own, named after the header. */
    function showSortInField() {
      if (!sortField) return;
      var value = sortKey + ':' + (sortDirection > 0 ? 'asc' : 'desc');
      var custom = sortField.querySelector('option[data-custom]');
      var exists = Array.prototype.some.call(sortField.options, function (option) {
        return option.value === value && option !== custom;
      });
      if (!exists) {
        if (!custom) {
          custom = el('option');
          custom.dataset.custom = '1';
          sortField.appendChild(custom);
        }
        var header = headers.filter(function (th) { return th.dataset.key === sortKey; })[0];
        custom.value = value;
        custom.textContent = (header ? header.textContent.trim() : sortKey) + (sortDirection > 0 ? ' ▲' : ' ▼');
      } else if (custom) {
        custom.remove();
      }
      sortField.value = value;
    }

    function render() {
      rows.sort(compare);
      tbody.textContent = '';
      var names = headers.map(function (th) { return th.textContent.trim(); });
      var shown = rows.filter(matches);
      shown.forEach(function (row) {
        var tr = el('tr');
        if (row.flags.indexOf('red_flag') >= 0) tr.className = 'row-red-flag';
        var th = el('th');
        th.scope = 'row';
        th.dataset.label = names[0];
        var link = el('a', null, row.name);
        link.href = '/patients/' + row.id + '/';
        th.appendChild(link);
        th.appendChild(el('span', 'muted small condition', label('condition', row.condition)));
        tr.appendChild(th);
        needCell(cell(tr, '', names[1]), row);
        cell(tr, app.formatNumber(row.current, 1), names[2]);
        cell(tr, app.formatNumber(row.baseline, 1), names[3]);
        cell(tr, percent(row.adherence_14d), names[4]);
        cell(tr, row.last_entry_on ? app.formatDate(row.last_entry_on) : '–', names[5]);
        cell(tr, row.week == null ? '–' : String(row.week), names[6]);
        tbody.appendChild(tr);
      });
      headers.forEach(function (th) {
        if (th.dataset.key === sortKey) th.setAttribute('aria-sort', sortDirection > 0 ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
      });
      showSortInField();
      count.textContent = shown.length ? app.format(count.dataset.template || '%(n)s', {n: shown.length}) : app.t('noPatients');
    }

    function load() {
      var query = new URLSearchParams();
      if (form.status.value) query.set('status', form.status.value);
      if (form.flag.value) query.set('flag', form.flag.value);
      var search = query.toString();
      var address = new URLSearchParams(query);
      if (searchField.value.trim()) address.set('q', searchField.value.trim());
      history.replaceState(null, '', address.toString() ? '?' + address : window.location.pathname);
      count.textContent = app.t('loading');
      app.api('GET', '/api/v1/patients/' + (search ? '?' + search : '')).then(function (result) {
        if (!result.ok) {
          count.textContent = app.errorText(result);
          return;
        }
        rows = result.data;
        render();
      });
    }

    headers.forEach(function (th) {
      th.querySelector('button').addEventListener('click', function () {
        var key = th.dataset.key;
        if (sortKey === key) sortDirection = -sortDirection;
        else {
          sortKey = key;
          sortDirection = (key === 'name' || key === 'last_entry_on') ? 1 : -1;
        }
        render();
      });
    });
    /* The same sorting as the column headers, for a phone, where the table is a list of cards
       without headers to tap. */
    if (sortField) {
      sortField.addEventListener('change', function (event) {
        event.stopPropagation();
        var parts = sortField.value.split(':');
        sortKey = parts[0];
        sortDirection = parts[1] === 'asc' ? 1 : -1;
        render();
      });
    }
    searchField.addEventListener('input', function () {
      var address = new URLSearchParams(window.location.search);
      if (searchField.value.trim()) address.set('q', searchField.value.trim());
      else address.delete('q');
      history.replaceState(null, '', address.toString() ? '?' + address : window.location.pathname);
      render();
    });
    form.addEventListener('submit', function (event) { event.preventDefault(); load(); });
    form.addEventListener('change', function (event) {
      if (event.target === searchField || event.target === sortField) return;
      load();
    });
    load();
  }

  /* ======================================================================================
     Invitation
     ====================================================================================== */
  function invitePage(form) {
    var texts = document.getElementById('invite-texts').dataset;
    var result = document.getElementById('invite-result');
    var list = document.getElementById('invitations');
    var formError = document.getElementById('invite-error');
    form.querySelector('button[type=submit]').disabled = false;

    function fieldError(name, text) {
      var input = form.elements[name];
      var error = document.getElementById('inv-' + name + '-error');
      if (!error) return;
      error.textContent = text || '';
      error.hidden = !text;
      if (text) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    }

    function loadInvitations() {
      app.api('GET', '/api/v1/invitations/').then(function (response) {
        list.textContent = '';
        if (!response.ok) {
          list.appendChild(el('li', 'error', app.errorText(response)));
          return;
        }
        if (!response.data.length) list.appendChild(el('li', 'muted', texts.none));
        response.data.forEach(function (invitation) {
          var item = el('li');
          item.appendChild(el('strong', null, invitation.name));
          item.appendChild(document.createTextNode(' ' + invitation.email + ' · '));
          var key = 'status' + invitation.status.charAt(0).toUpperCase() + invitation.status.slice(1);
          item.appendChild(el('span', 'badge', texts[key] || invitation.status));
          item.appendChild(document.createTextNode(' · ' + app.formatInstant(invitation.created_at)));
          list.appendChild(item);
        });
      });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      ['name', 'email'].forEach(function (name) { fieldError(name, ''); });
      formError.hidden = true;
      var data = {
        name: form.elements.name.value.trim(),
        email: form.elements.email.value.trim(),
        condition: form.elements.condition.value
      };
      var submit = form.querySelector('button[type=submit]');
      submit.disabled = true;
      app.api('POST', '/api/v1/invitations/', data).then(function (response) {
        submit.disabled = false;
        if (!response.ok) {
          var errors = response.data || {};
          var shown = false;
          ['name', 'email'].forEach(function (name) {
            if (errors[name]) { fieldError(name, errors[name].join(' ')); shown = true; }
          });
          if (!shown) {
            formError.textContent = app.errorText(response);
            formError.hidden = false;
          } else {
            form.querySelector('[aria-invalid=true]').focus();
          }
          return;
        }
        result.querySelector('.invite-sent').textContent = app.format(texts.sent, {email: data.email});
        document.getElementById('invite-url').value = response.data.url;
        document.getElementById('invite-copy-status').textContent = '';
        showQr(response.data.code);
        result.querySelector('.invite-expires').textContent = app.format(texts.expires, {date: app.formatInstant(response.data.expires_at)});
        result.hidden = false;
        result.focus();
        form.reset();
        loadInvitations();
      });
    });

    /* The join link as a QR code, to scan from this screen. The server draws it, and only for
       an open invitation of this physio's; the answer is not stored by any cache. Without it
       (offline, an error) the link and its buttons still do. */
    function showQr(code) {
      var figure = document.getElementById('invite-qr-figure');
      var box = document.getElementById('invite-qr');
      figure.hidden = true;
      box.textContent = '';
      fetch(texts.qrUrl, {
        method: 'POST',
        credentials: 'same-origin',
        cache: 'no-store',
        headers: {'X-CSRFToken': app.csrf(), 'Content-Type': 'application/x-www-form-urlencoded'},
        body: new URLSearchParams({code: code}).toString()
      }).then(function (response) {
        return response.ok ? response.text() : null;
      }).then(function (text) {
        if (!text) return;
        var svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
        if (svg.namespaceURI !== 'http://www.w3.org/2000/svg' || svg.localName !== 'svg') return;
        box.appendChild(document.importNode(svg, true));
        figure.hidden = false;
      }, function () {});
    }

    var share = document.getElementById('invite-share');
    // Sharing opens the phone's own sheet (a text message, mail, a chat); where the browser
    // has none, the button is not shown and "Copy the link" remains.
    if (typeof navigator.share === 'function') {
      share.hidden = false;
      share.addEventListener('click', function () {
        navigator.share({
          title: texts.shareTitle,
          text: texts.shareText,
          url: document.getElementById('invite-url').value
        }).catch(function () {});  // closed without sharing: nothing to say
      });
    }

    document.getElementById('invite-copy').addEventListener('click', function () {
      var input = document.getElementById('invite-url');
      var status = document.getElementById('invite-copy-status');
      var copied = function () { status.textContent = texts.copied; };
      var byHand = function () {
        input.focus();
        input.select();
        status.textContent = texts.copyByHand;
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(input.value).then(copied, byHand);
      } else {
        byHand();
      }
    });
    loadInvitations();
  }

  /* ======================================================================================
     Patient detail
     ====================================================================================== */
  function patientDetail(root) {
    var id = root.dataset.patient;
    var base = '/api/v1/patients/' + id + '/';
    var texts = document.getElementById('detail-texts').dataset;
    var detail = null;
    var templates = [];
    var exercises = [];

    /* A message after a save ("Saved.") or a reminder stays until its close button is pressed
       or the next action replaces it: every save, step back or reminder first clears the one
       shown before, and so does editing the form it is about (it no longer describes it). */
    var shownNote = null;

    function closeNote() {
      if (!shownNote) return;
      shownNote.querySelector('[role=status]').textContent = '';
      shownNote.querySelector('.note-close').hidden = true;
      shownNote = null;
    }

    function showNote(region, text) {
      closeNote();
      region.textContent = text;
      shownNote = region.closest('.form-note');
      shownNote.querySelector('.note-close').hidden = false;
    }

    root.ownerDocument.addEventListener('click', function (event) {
      var button = event.target.closest('.note-close');
      if (!button || button.closest('.form-note') !== shownNote) return;
      // The button goes away with the message: focus returns to what the message is about.
      var form = button.closest('form');
      var back = form ? form.querySelector('button[type=submit]') : document.getElementById('nudge');
      closeNote();
      if (back) back.focus();
    });
    root.ownerDocument.addEventListener('input', function (event) {
      if (shownNote && event.target.form && shownNote.closest('form') === event.target.form) closeNote();
    });

    function showError(result) {
      var box = document.getElementById('pt-error');
      box.textContent = app.errorText(result);
      box.hidden = false;
    }

    function fact(list, name, value) {
      var wrap = el('div');
      wrap.appendChild(el('dt', null, name));
      wrap.appendChild(el('dd', null, value));
      list.appendChild(wrap);
    }

    function renderProgress(progress) {
      document.getElementById('pt-summary').textContent = progress.summary;
      var facts = document.getElementById('pt-facts');
      facts.textContent = '';
      fact(facts, texts.status, label('status', progress.status));
      fact(facts, texts.baseline, app.formatNumber(progress.baseline, 1) + (progress.baseline_source === 'override' ? ' ' + texts.fromConsultation : ''));
      fact(facts, texts.current, app.formatNumber(progress.current, 1));
      fact(facts, texts.entries, String(progress.entries_last_7));
      fact(facts, texts.adherence, percent(progress.adherence_14d));
      fact(facts, texts.reviews, progress.review_weeks.join(', '));
      var advice = document.getElementById('pt-advice');
      if (progress.advice) {
        document.getElementById('pt-advice-title').textContent = progress.advice.title;
        advice.querySelector('.advice-text').textContent = progress.advice.text;
        advice.classList.toggle('advice-care', !!progress.advice.seek_care);
        advice.hidden = false;
      } else {
        advice.hidden = true;
      }
    }

    function renderCheckins(checkins) {
      var list = document.getElementById('pt-checkins');
      list.textContent = '';
      if (!checkins.length) list.appendChild(el('li', 'muted', texts.noCheckins));
      checkins.forEach(function (checkin) {
        var date = app.formatInstant(checkin.created_at);
        var item;
        if (!checkin.red_flags.length) {
          item = el('li', null, app.format(texts.checkinOk, {date: date}));
        } else {
          item = el('li', 'checkin-flagged', app.format(texts.checkinFlags, {
            date: date,
            urgency: label('urgency', checkin.urgency),
            // The words the patient answered (old questions keep their old words).
            flags: checkin.red_flags.map(function (code) {
              return (checkin.questions && checkin.questions[code]) || code;
            }).join(' · ')
          }));
          item.appendChild(el('span', 'muted', ' (' + (checkin.acknowledged_at ? texts.acknowledged : texts.notAcknowledged) + ')'));
        }
        list.appendChild(item);
      });
    }

    function dosageSummary(item) {
      var parts = [];
      var f = app.format;
      if (item.sets && item.reps) parts.push(f(texts.dSetsReps, {sets: item.sets, reps: item.reps}));
      else if (item.reps) parts.push(f(texts.dReps, {reps: item.reps}));
      if (item.hold_seconds) parts.push(f(texts.dHold, {n: item.hold_seconds}));
      if (item.tempo) parts.push(f(texts.dTempo, item.tempo));
      if (item.load) parts.push(item.load);
      if (item.rest_seconds) parts.push(f(texts.dRest, {n: item.rest_seconds}));
      if (item.times_per_day) parts.push(f(texts.dTimes, {n: item.times_per_day}));
      if (item.every_n_days && item.every_n_days > 1) parts.push(f(texts.dEvery, {n: item.every_n_days}));
      return parts;
    }

    var FIELDS = ['sets', 'reps', 'hold_seconds', 'tempo_up', 'tempo_hold', 'tempo_down', 'load', 'rest_seconds', 'times_per_day', 'every_n_days', 'notes'];

    function fillItemForm(form, item) {
      var values = {
        sets: item.sets, reps: item.reps, hold_seconds: item.hold_seconds,
        tempo_up: item.tempo ? item.tempo.up : null,
        tempo_hold: item.tempo ? item.tempo.hold : null,
        tempo_down: item.tempo ? item.tempo.down : null,
        load: item.load, rest_seconds: item.rest_seconds, times_per_day: item.times_per_day,
        every_n_days: item.every_n_days, notes: item.notes
      };
      FIELDS.forEach(function (name) {
        form.elements[name].value = values[name] == null ? '' : values[name];
      });
      var select = form.elements.stage;
      select.textContent = '';
      var stageField = form.querySelector('.stage-field');
      var stageHint = form.querySelector('.stage-hint');
      var stepBack = form.querySelector('.item-step-back');
      if (!item.stage) {
        stageField.hidden = true;
        stageHint.hidden = true;
        stepBack.hidden = true;
        return;
      }
      var auto = el('option', null, texts.stageAuto);
      auto.value = '';
      select.appendChild(auto);
      for (var n = 1; n <= item.stage.count; n++) {
        var option = el('option', null, app.format(texts.stageHold, {number: n}));
        option.value = String(n);
        select.appendChild(option);
      }
      select.value = item.stage.held ? String(item.stage.number) : '';
      stepBack.hidden = item.stage.number <= 1;
    }

    function numberOrNull(value) {
      if (value === '' || value == null) return null;
      var number = Number(value);
      return isNaN(number) ? value : number;
    }

    function itemPayload(form, item) {
      var v = function (name) { return form.elements[name].value.trim(); };
      var dosage = {
        sets: numberOrNull(v('sets')),
        reps: numberOrNull(v('reps')),
        hold_seconds: numberOrNull(v('hold_seconds')),
        load: v('load'),
        rest_seconds: numberOrNull(v('rest_seconds'))
      };
      var tempo = [v('tempo_up'), v('tempo_hold'), v('tempo_down')];
      var payload = {
        times_per_day: numberOrNull(v('times_per_day')),
        every_n_days: numberOrNull(v('every_n_days')),
        notes: v('notes')
      };
      if (item.stage && item.stage.stages && item.stage.stages.length) {
        // A staged exercise: the dosage fields change the stage the patient is on.
        var stages = item.stage.stages.map(function (stage) { return Object.assign({}, stage); });
        var current = stages[item.stage.number - 1];
        Object.assign(current, dosage);
        current.tempo_up = numberOrNull(tempo[0]);
        current.tempo_hold = numberOrNull(tempo[1]);
        current.tempo_down = numberOrNull(tempo[2]);
        payload.stages = stages;
        var chosen = form.elements.stage.value;
        payload.stage = chosen === '' ? null : Number(chosen);
      } else {
        Object.assign(payload, dosage);
        payload.tempo = tempo.every(function (x) { return x === ''; }) ? null : {
          up: numberOrNull(tempo[0]) || 0, hold: numberOrNull(tempo[1]) || 0, down: numberOrNull(tempo[2]) || 0
        };
      }
      return payload;
    }

    function patchItem(form, item, payload, button) {
      var error = form.querySelector('.item-error');
      error.hidden = true;
      closeNote();
      return app.api('PATCH', base + 'programme/items/' + item.id + '/', payload).then(function (result) {
        if (!result.ok) {
          error.textContent = app.errorText(result);
          error.hidden = false;
          return;
        }
        // The list is drawn again with the server's values; the "Saved" goes on the new
        // copy of the form, whose button of the same kind gets the focus back.
        return loadDetail(item.id).then(function () {
          var node = document.getElementById('pt-item-' + item.id);
          if (!node) return;
          var again = node.querySelector(button === 'step-back' ? '.item-step-back' : 'button[type=submit]');
          if (again.hidden) again = node.querySelector('button[type=submit]');
          again.focus();
          // A live region only speaks about a change after it is on the page: the new copy
          // is given its text once drawn.
          var region = node.querySelector('.item-status');
          window.requestAnimationFrame(function () {
            window.setTimeout(function () {
              if (region.isConnected) showNote(region, texts.saved);
            }, 0);
          });
        });
      });
    }

    function renderProgramme(programme, keepOpen) {
      var name = document.getElementById('pt-programme-name');
      var list = document.getElementById('pt-items');
      list.textContent = '';
      if (!programme) {
        name.textContent = texts.noProgramme;
        return;
      }
      name.textContent = app.format(texts.programme, {name: programme.name, date: app.formatDate(programme.starts_on), week: programme.week});
      var template = document.getElementById('tpl-item');
      programme.items.forEach(function (item) {
        var node = template.content.firstElementChild.cloneNode(true);
        node.querySelector('.item-name').textContent = item.exercise.name + ' · ' + label('kind', item.exercise.kind);
        var stage = node.querySelector('.item-stage');
        if (item.stage) {
          stage.textContent = app.format(texts.stage, {number: item.stage.number, count: item.stage.count}) + ' (' + (item.stage.held ? texts.held : texts.auto) + ')';
        } else {
          stage.remove();
        }
        var dosage = node.querySelector('.item-dosage');
        dosageSummary(item).forEach(function (part) { dosage.appendChild(el('li', null, part)); });
        var form = node.querySelector('.item-form');
        // Unique ids for the labels of this copy of the form.
        form.querySelectorAll('label[data-for]').forEach(function (lab) {
          var field = form.elements[lab.dataset.for];
          field.id = 'item-' + item.id + '-' + lab.dataset.for;
          lab.htmlFor = field.id;
        });
        fillItemForm(form, item);
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          patchItem(form, item, itemPayload(form, item), 'save');
        });
        form.querySelector('.item-step-back').addEventListener('click', function () {
          patchItem(form, item, {stage: Math.max(1, item.stage.number - 1)}, 'step-back');
        });
        if (item.exercise.kind === 'advice') node.querySelector('.item-adjust').remove();
        if (keepOpen === item.id) node.querySelector('.item-adjust').open = true;
        node.id = 'pt-item-' + item.id;
        node.dataset.exercise = item.exercise.slug;
        node.dataset.held = item.stage && item.stage.held ? '1' : '0';
        list.appendChild(node);
      });
    }

    function renderRules() {
      document.getElementById('rules-baseline').value = detail.baseline_override == null ? '' : detail.baseline_override;
      document.getElementById('rules-weeks').value = (detail.review_weeks_override || []).join(', ');
    }

    function loadDetail(keepOpen) {
      return app.api('GET', base).then(function (result) {
        if (!result.ok) { showError(result); return; }
        detail = result.data;
        var meta = document.getElementById('pt-meta');
        meta.textContent = app.format(texts.meta, {
          condition: label('condition', detail.condition),
          week: detail.progress.week,
          email: detail.email
        });
        renderProgress(detail.progress);
        renderCheckins(detail.recent_checkins);
        renderProgramme(detail.programme, keepOpen);
        renderRules();
        if (keepOpen !== 'first') {
          // After a change the chart may look different; the first time, the page loads it.
          var chart = document.getElementById('pt-chart');
          chart.src = '/api/v1/patients/' + id + '/progress/chart.svg?t=' + Date.now();
        }
      });
    }

    function loadDiary() {
      app.api('GET', base + 'diary/').then(function (result) {
        var tbody = document.getElementById('pt-diary');
        tbody.textContent = '';
        if (!result.ok) return;
        // Both heels logged: morning_pain is the left heel, morning_pain_other the right.
        var both = result.data.some(function (entry) { return entry.morning_pain_other != null; });
        var painHeader = document.getElementById('pt-diary-pain');
        var otherHeader = document.getElementById('pt-diary-other');
        if (both && painHeader && otherHeader) {
          painHeader.textContent = painHeader.dataset.both;
          otherHeader.hidden = false;
        }
        if (!result.data.length) {
          var empty = el('tr');
          var td = el('td', 'muted', texts.noEntries);
          td.colSpan = both ? 4 : 3;
          empty.appendChild(td);
          tbody.appendChild(empty);
        }
        result.data.slice().reverse().forEach(function (entry) {
          var tr = el('tr');
          tr.appendChild(el('td', null, app.formatDate(entry.date)));
          tr.appendChild(el('td', null, String(entry.morning_pain)));
          if (both) {
            tr.appendChild(el('td', null, entry.morning_pain_other == null ? '–' : String(entry.morning_pain_other)));
          }
          tr.appendChild(el('td', null, entry.note || ''));
          tbody.appendChild(tr);
        });
      });
    }

    /* --- assign a programme --- */
    var assignForm = document.getElementById('assign-form');
    var templateSelect = document.getElementById('assign-template-select');
    var templateItems = document.getElementById('assign-template-items');
    var picker = document.getElementById('assign-exercises');

    function setMode() {
      var mode = assignForm.elements.mode.value;
      document.getElementById('assign-template').hidden = mode !== 'template';
      document.getElementById('assign-items').hidden = mode !== 'items';
    }

    function showTemplateItems() {
      var chosen = templates.filter(function (tpl) { return tpl.slug === templateSelect.value; })[0];
      templateItems.textContent = chosen ? chosen.items.map(function (item) { return item.exercise.name; }).join(' · ') : '';
    }

    function loadChoices() {
      var templatesLoaded = app.api('GET', '/api/v1/programme-templates/').then(function (result) {
        if (!result.ok) return;
        templates = result.data;
        templateSelect.textContent = '';
        templates.forEach(function (tpl) {
          var option = el('option', null, tpl.name);
          option.value = tpl.slug;
          templateSelect.appendChild(option);
        });
        if (detail) {
          var match = templates.filter(function (tpl) { return tpl.condition === detail.condition; })[0];
          if (match) templateSelect.value = match.slug;
        }
        showTemplateItems();
      });
      var exercisesLoaded = app.api('GET', '/api/v1/exercises/').then(function (result) {
        if (!result.ok) return;
        exercises = result.data;
        picker.textContent = '';
        exercises.forEach(function (exercise) {
          var wrap = el('p', 'check');
          var input = el('input');
          input.type = 'checkbox';
          input.name = 'exercise';
          input.value = exercise.slug;
          input.id = 'pick-' + exercise.slug;
          var lab = el('label', null, exercise.name + ' · ' + label('kind', exercise.kind));
          lab.htmlFor = input.id;
          wrap.appendChild(input);
          wrap.appendChild(document.createTextNode(' '));
          wrap.appendChild(lab);
          picker.appendChild(wrap);
        });
      });
      return Promise.all([templatesLoaded, exercisesLoaded]);
    }

    assignForm.addEventListener('change', function (event) {
      if (event.target.name === 'mode') setMode();
      if (event.target === templateSelect) showTemplateItems();
    });
    document.getElementById('assign-start').value = app.localDate(0);
    assignForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var error = document.getElementById('assign-error');
      var status = document.getElementById('assign-status');
      error.hidden = true;
      closeNote();
      var data = {starts_on: assignForm.elements.starts_on.value};
      if (assignForm.elements.mode.value === 'template') {
        data.template = templateSelect.value;
      } else {
        var chosen = Array.prototype.map.call(picker.querySelectorAll('input:checked'), function (input) {
          return {exercise: input.value};
        });
        if (!chosen.length) {
          error.textContent = texts.chooseExercise;
          error.hidden = false;
          return;
        }
        data.items = chosen;
        data.name = assignForm.elements.name.value.trim() || templateSelect.options[templateSelect.selectedIndex].text;
      }
      if (detail && detail.programme && !window.confirm(texts.confirmReplace)) return;
      var submit = assignForm.querySelector('button[type=submit]');
      submit.disabled = true;
      app.api('POST', base + 'programme/', data).then(function (result) {
        submit.disabled = false;
        if (!result.ok) {
          error.textContent = app.errorText(result);
          error.hidden = false;
          return;
        }
        showNote(status, texts.assigned);
        loadDetail();
      });
    });

    /* --- starting point and review weeks --- */
    var rulesForm = document.getElementById('rules-form');
    rulesForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var error = document.getElementById('rules-error');
      var status = document.getElementById('rules-status');
      error.hidden = true;
      closeNote();
      var baseline = rulesForm.elements.baseline_override.value.trim().replace(',', '.');
      var weeks = rulesForm.elements.review_weeks.value.split(/[^0-9]+/).filter(Boolean).map(Number);
      var data = {
        baseline_override: baseline === '' ? null : Number(baseline),
        review_weeks: weeks.length ? weeks : null
      };
      app.api('PATCH', base, data).then(function (result) {
        if (!result.ok) {
          error.textContent = app.errorText(result);
          error.hidden = false;
          return;
        }
        showNote(status, texts.saved);
        loadDetail();
      });
    });

    /* --- nudge --- */
    var nudge = document.getElementById('nudge');
    nudge.addEventListener('click', function () {
      var status = document.getElementById('nudge-status');
      nudge.disabled = true;
      closeNote();
      app.api('POST', base + 'nudge/').then(function (result) {
        nudge.disabled = false;
        if (!result.ok) { showNote(status, app.errorText(result)); return; }
        showNote(status, result.data && result.data.queued ? texts.nudged : texts.nudgedAlready);
      });
    });

    setMode();
    [assignForm.querySelector('button[type=submit]'), rulesForm.querySelector('button[type=submit]'), nudge]
      .forEach(function (button) { button.disabled = false; });
    loadDetail('first').then(loadChoices).then(function () { root.dataset.loaded = '1'; });
    loadDiary();
  }

  var table = document.getElementById('patients');
  if (table) patientList(table);
  var inviteForm = document.getElementById('invite-form');
  if (inviteForm) invitePage(inviteForm);
  var patient = document.getElementById('patient');
  if (patient && patient.dataset.patient) patientDetail(patient);
})();
