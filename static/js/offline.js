/* The offline page: the patient's programme from the copy the service worker keeps. */
(function () {
  'use strict';
  var section = document.getElementById('offline-programme');
  var list = document.getElementById('offline-programme-items');
  var template = document.getElementById('offline-item');
  if (!section || !window.caches) return;
  caches.open('haelapp-user').then(function (cache) {
    return cache.match('/programme.json');
  }).then(function (response) {
    return response ? response.json() : null;
  }).then(function (data) {
    if (!data || !data.programme) return;
    data.programme.items.forEach(function (item) {
      var node = template.content.firstElementChild.cloneNode(true);
      var image = node.querySelector('img');
      if (item.illustration) image.src = item.illustration; else image.remove();
      node.querySelector('h3').textContent = item.name;
      var lines = node.querySelector('.dosage');
      item.lines.forEach(function (line) {
        var li = document.createElement('li');
        li.textContent = line;
        lines.appendChild(li);
      });
      node.querySelector('.notes').textContent = item.notes || '';
      list.appendChild(node);
    });
    section.hidden = false;
  }).catch(function () {});
})();
