// Keeps a live run's page current: polls the run, its steps and new log lines every second until the run is final;
// the log follows its tail unless the reader has scrolled up.
(function () {
  var page = document.getElementById('run-page');
  if (!page || page.dataset.live !== 'true') return;
  var id = page.dataset.runId;
  var after = Number(page.dataset.after || 0);
  var log = document.getElementById('log');
  var busy = false;
  log.scrollTop = log.scrollHeight; // a live run opens at its tail

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); });
  }

  function setText(row, cls, text) {
    var cell = row.querySelector('.' + cls);
    if (cell) cell.textContent = text == null ? '' : String(text);
  }

  function updateSteps(steps) {
    steps.forEach(function (s) {
      var row = document.querySelector('tr.step[data-step="' + CSS.escape(s.step) + '"]');
      if (!row) return;
      var status = row.querySelector('.step-status .status');
      if (status) { status.textContent = s.status; status.className = 'status status-' + s.status; }
      setText(row, 'step-attempt', s.attempt);
      setText(row, 'step-duration', s.duration || '–');
      setText(row, 'step-records', Number(s.records).toLocaleString('en'));
      setText(row, 'step-summary', s.summary);
      setText(row, 'step-error', s.error || '');
    });
  }

  function tick() {
    if (busy) return;
    busy = true;
    Promise.all([getJson('/api/v1/runs/' + id), getJson('/api/v1/runs/' + id + '/steps'),
                 getJson('/api/v1/runs/' + id + '/log?after=' + after + '&limit=1000')])
      .then(function (results) {
        var run = results[0], steps = results[1], lines = results[2].lines;
        // follow the tail unless the reader scrolled up to read something
        var atTail = log.scrollTop + log.clientHeight >= log.scrollHeight - 24;
        var status = document.getElementById('run-status');
        status.textContent = run.status;
        status.className = 'status status-' + run.status;
        updateSteps(steps);
        lines.forEach(function (l) {
          var span = document.createElement('span');
          span.className = 'log-' + String(l.level).toLowerCase();
          span.textContent = l.text + '\n';
          log.appendChild(span);
          after = l.seq;
        });
        if (lines.length && atTail) log.scrollTop = log.scrollHeight;
        if (run.final && lines.length < 1000) {
          clearInterval(timer);
          location.reload(); // the final page shows the re-run button and the final figures
        }
      })
      .catch(function () { /* a missed poll is retried on the next tick */ })
      .finally(function () { busy = false; });
  }

  var timer = setInterval(tick, 1000);
})();
