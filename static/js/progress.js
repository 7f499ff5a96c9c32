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

/* Progress: pick a day in the chart (or a date in the table) to see its values and note.

   The server draws the chart into the page (progress.chart.render_page_chart) with a
   transparent column per day (.day-target, data-date) in a group (.day-targets), and puts each
   day's texts in #chart-days. Without this script the table's dates are links that show a day;
   with it, the group becomes one slider over the days (one tab stop; arrow keys, Home, End,
   Page Up/Down), a tap on a column picks its day, and the details box under the chart shows
   the day in place. The address keeps the day (?day=), so a reload shows it again. */
(function () {
  'use strict';
  var figure = document.getElementById('chart');
  var box = document.getElementById('day-details');
  var data = document.getElementById('chart-days');
  if (!figure || !box || !data) return;
  var days = JSON.parse(data.textContent);
  var group = figure.querySelector('.day-targets');
  var targets = group ? Array.prototype.slice.call(group.querySelectorAll('.day-target')) : [];
  var highlight = figure.querySelector('.day-highlight');
  var content = box.querySelector('.day-content');
  var steps = box.querySelector('.day-steps');
  var dates = targets.map(function (target) { return target.getAttribute('data-date'); });
  var current = null;

  var selected = figure.querySelector('.day-target.is-selected');
  if (selected) current = selected.getAttribute('data-date');
  else {
    var match = /[?&]day=(\d{4}-\d{2}-\d{2})/.exec(window.location.search);
    if (match && days[match[1]]) current = match[1];
  }

  var hint = box.querySelector('.day-hint');
  if (hint && hint.dataset.scriptText && targets.length) hint.textContent = hint.dataset.scriptText;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(day) {
    var info = days[day];
    content.textContent = '';
    var heading = element('h3', '', info.heading);
    heading.id = 'day-details-heading';
    content.appendChild(heading);
    if (info.entry) {
      var list = element('dl', 'day-values');
      info.values.forEach(function (pair) {
        var row = element('div');
        row.appendChild(element('dt', '', pair[0]));
        row.appendChild(element('dd', '', pair[1]));
        list.appendChild(row);
      });
      content.appendChild(list);
    } else {
      content.appendChild(element('p', '', box.dataset.noEntry));
    }
    if (info.note) {
      var note = element('p', 'day-note');
      note.appendChild(element('strong', '', box.dataset.noteLabel + ':'));
      note.appendChild(document.createTextNode(' ' + info.note));
      content.appendChild(note);
    } else if (info.entry) {
      content.appendChild(element('p', 'hint day-note', box.dataset.noNote));
    }
  }

  function withDay(href, day) {
    var url = new URL(href, window.location.href);
    url.searchParams.set('day', day);
    return url.pathname + url.search + url.hash;
  }

  function choose(day) {
    if (!days[day]) return;
    current = day;
    render(day);
    var index = dates.indexOf(day);
    targets.forEach(function (target, i) { target.classList.toggle('is-selected', i === index); });
    if (highlight) {
      if (index >= 0) {
        ['x', 'width'].forEach(function (name) {
          highlight.setAttribute(name, targets[index].getAttribute(name));
        });
        highlight.removeAttribute('display');
      } else {
        highlight.setAttribute('display', 'none');
      }
    }
    if (group && index >= 0) {
      group.setAttribute('aria-valuenow', String(index + 1));
      group.setAttribute('aria-valuetext', days[day].text);
    }
    document.querySelectorAll('table.entries tbody tr').forEach(function (row) {
      row.classList.toggle('is-selected', row.getAttribute('data-day') === day);
    });
    if (steps) {
      steps.hidden = index < 0;
      steps.querySelector('[data-step="-1"]').disabled = index <= 0;
      steps.querySelector('[data-step="1"]').disabled = index < 0 || index >= dates.length - 1;
    }
    // Links to another period or week keep the day; so does the address, for a reload.
    document.querySelectorAll('a[data-keeps-day]').forEach(function (link) {
      link.setAttribute('href', withDay(link.getAttribute('href'), day));
    });
    if (window.history && history.replaceState) {
      history.replaceState(history.state, '', withDay(window.location.href, day).split('#')[0]);
    }
  }

  function move(by) {
    var index = current === null ? dates.length - 1 : dates.indexOf(current);
    if (index < 0) index = by < 0 ? dates.length : -1;
    var next = Math.max(0, Math.min(dates.length - 1, index + by));
    choose(dates[next]);
  }

  if (group && targets.length) {
    // One slider over the days: the columns are too narrow to be buttons of their own.
    group.setAttribute('role', 'slider');
    group.setAttribute('tabindex', '0');
    group.setAttribute('aria-label', figure.dataset.sliderLabel);
    group.setAttribute('aria-valuemin', '1');
    group.setAttribute('aria-valuemax', String(targets.length));
    var start = current !== null && dates.indexOf(current) >= 0 ? current : dates[dates.length - 1];
    group.setAttribute('aria-valuenow', String(dates.indexOf(start) + 1));
    group.setAttribute('aria-valuetext', days[start] ? days[start].text : start);

    group.addEventListener('click', function (event) {
      var target = event.target.closest('.day-target');
      if (!target) return;
      choose(target.getAttribute('data-date'));
      group.focus({ preventScroll: true });
    });
    group.addEventListener('focus', function () {
      if (current === null || dates.indexOf(current) < 0) choose(start);
    });
    group.addEventListener('keydown', function (event) {
      var by = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -7, PageUp: 7 }[event.key];
      if (event.key === 'Home') by = -dates.length;
      if (event.key === 'End') by = dates.length;
      if (by === undefined) return;
      event.preventDefault();
      move(by);
    });
  }

  if (steps) {
    steps.addEventListener('click', function (event) {
      var step = event.target.closest('[data-step]');
      if (step) move(Number(step.getAttribute('data-step')));
    });
  }

  // The table's dates: the details in place, scrolled into view.
  document.querySelectorAll('table.entries a.day-link').forEach(function (link) {
    link.addEventListener('click', function (event) {
      var day = link.getAttribute('data-day');
      if (!days[day]) return;
      event.preventDefault();
      choose(day);
      box.focus({ preventScroll: true });
      var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
      box.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'nearest' });
    });
  });

  if (current !== null && dates.indexOf(current) >= 0) choose(current);
})();
