// The console's one client script, a string module so the bundled CLI carries it. Plain ES2017 for
// the browser, no template literals (this is one). It only enhances: every page works without it.
// - pages: POSTs from fetch() carry the x-csrf-token header from <meta name="csrf-token">;
// - task list: the status filter applies on change; rows follow /events (event: task), showing
//   the texts the server formatted (`view`), so the browser never formats a figure itself;
// - task detail: on a change of its task, the live parts and the chart are refreshed from
//   /tasks/NAME/live.json (the view the page was rendered from).
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || '';
  window.pgshiftPost = function (url, body) {
    return fetch(url, { method: 'POST', headers: { 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify(body || {}) });
  };

  function setText(root, selector, text) {
    var el = root.querySelector(selector);
    if (el && el.textContent !== text) el.textContent = text;
  }

  var filter = document.getElementById('status-filter');
  if (filter && filter.form) filter.addEventListener('change', function () { filter.form.submit(); });

  function updateRow(tbody, t) {
    var row = tbody.querySelector('tr[data-task="' + CSS.escape(t.name) + '"]');
    if (!row) {
      row = document.createElement('tr');
      row.setAttribute('data-task', t.name);
      var th = document.createElement('th');
      th.scope = 'row';
      var a = document.createElement('a');
      a.href = '/tasks/' + encodeURIComponent(t.name);
      a.textContent = t.name;
      th.appendChild(a);
      row.appendChild(th);
      ['endpoints', 'mode', 'status', 'progress', 'lag', 'schedule'].forEach(function (f) {
        var td = document.createElement('td');
        td.setAttribute('data-field', f);
        if (f === 'progress') {
          var p = document.createElement('progress');
          p.max = 100;
          p.setAttribute('aria-label', 'Copy progress of ' + t.name);
          td.appendChild(p);
          var eta = document.createElement('span');
          eta.setAttribute('data-field', 'eta');
          td.appendChild(eta);
        }
        row.appendChild(td);
      });
      setText(row, '[data-field="endpoints"]', t.view.endpoints);
      setText(row, '[data-field="mode"]', t.mode);
      tbody.appendChild(row);
    }
    row.setAttribute('data-status', t.status);
    setText(row, 'td[data-field="status"]', t.view.status);
    var progress = row.querySelector('progress');
    if (progress && t.view.progress !== null) progress.value = t.view.progress;
    setText(row, '[data-field="eta"]', t.view.eta);
    setText(row, '[data-field="lag"]', t.view.lag);
    setText(row, '[data-field="schedule"]', t.view.schedule);
    var wanted = tbody.closest('table').getAttribute('data-filter');
    row.hidden = !!wanted && wanted !== t.status;
  }

  var chart = null;
  function drawChart(el, data) {
    if (typeof uPlot === 'undefined') return;
    if (chart) { chart.setData(data); return; }
    chart = new uPlot({
      width: Math.max(320, el.clientWidth || 640), height: 260,
      series: [{}, { label: 'Lag (s)', stroke: '#d9480f', scale: 's' }, { label: 'Apply rate (tx/s)', stroke: '#1c7ed6', scale: 'rate' }],
      axes: [{}, { scale: 's', label: 'lag s' }, { scale: 'rate', side: 1, label: 'tx/s', grid: { show: false } }]
    }, data, el);
  }
  // The live rows are built as the server renders them (attributes, progress bars, times), so a
  // page updated live reads and behaves as a reloaded one.
  function cell(tag, content) {
    var el = document.createElement(tag);
    if (tag === 'th') el.scope = 'row';
    if (typeof content === 'string') el.textContent = content; else el.appendChild(content);
    return el;
  }
  function row(attributes, cells) {
    var tr = document.createElement('tr');
    Object.keys(attributes).forEach(function (k) { tr.setAttribute(k, attributes[k]); });
    cells.forEach(function (c) { tr.appendChild(c); });
    return tr;
  }
  function rebuild(tbody, rows, build) {
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    rows.forEach(function (r) { tbody.appendChild(build(r)); });
  }
  function stageRow(s) {
    return row({ 'data-stage': s.stage, 'data-state': s.state }, [cell('th', s.stage), cell('td', s.state), cell('td', s.durationText)]);
  }
  function tableRow(t) {
    var progress = document.createElement('progress');
    progress.max = 100;
    if (t.percent !== null) progress.value = t.percent;
    progress.setAttribute('aria-label', 'Copy progress of ' + t.name);
    var last = cell('td', progress);
    if (t.done) last.appendChild(document.createTextNode(' done'));
    return row({ 'data-table': t.name }, [cell('th', t.name), cell('td', String(t.rows)), cell('td', t.bytesText), last]);
  }
  function historyRow(h) {
    var time = document.createElement('time');
    time.dateTime = h.at;
    time.textContent = h.at;
    return row({}, [cell('td', time), cell('td', h.status), cell('td', h.stage), cell('td', h.note), cell('td', h.origin)]);
  }
  function refreshDetail(root) {
    var url = root.querySelector('[data-chart]').getAttribute('data-chart');
    return fetch(url, { headers: { accept: 'application/json' } }).then(function (r) { return r.ok ? r.json() : null; }).then(function (v) {
      if (!v) return;
      setText(root, '[data-live="status"]', v.statusText);
      var p = root.querySelector('progress[data-live="progress"]');
      if (p && v.progress !== null) p.value = v.progress;
      setText(root, '[data-live="progress-text"]', v.progressText);
      setText(root, '[data-live="eta"]', v.etaText);
      setText(root, '[data-live="lag"]', v.lagText);
      setText(root, '[data-live="apply-rate"]', v.applyRateText);
      setText(root, '[data-live="limits"]', v.limitsText);
      rebuild(root.querySelector('[data-live="stages"]'), v.stages, stageRow);
      rebuild(root.querySelector('[data-live="tables"]'), v.tables, tableRow);
      rebuild(root.querySelector('[data-live="history"]'), v.history, historyRow);
      root.querySelectorAll('form[action$="/finish"] button').forEach(function (b) { b.disabled = !v.canFinish; });
      root.querySelectorAll('form[action$="/cancel"] button').forEach(function (b) { b.disabled = !v.canCancel; });
      setText(root, '[data-live="chart-empty"]', v.chart[0].length ? '' : 'No lag measured yet: the chart fills while the task follows the source.');
      if (v.chart[0].length) drawChart(root.querySelector('[data-chart]'), v.chart);
    });
  }

  var list = document.querySelector('tbody[data-live="tasks"]');
  var detail = document.querySelector('[data-task-detail]');
  if (detail) window.addEventListener('load', function () { refreshDetail(detail); });
  if ((list || detail) && window.EventSource) {
    var events = new EventSource('/events');
    events.addEventListener('task', function (e) {
      var t = JSON.parse(e.data);
      if (list) updateRow(list, t);
      if (detail && detail.getAttribute('data-task-detail') === t.name) refreshDetail(detail);
    });
  }
})();
`;
