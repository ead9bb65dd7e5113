// The weir edge dashboard: live metrics and rows over Server-Sent Events
// (/events), charts with uPlot, and a form that deploys a spec (POST /pipelines).
(function () {
  "use strict";
  var WINDOW = 120; // seconds of history in the charts
  var history = { t: [], series: {} }; // pipeline -> { rate: [], late: [], dead: [], lag: [] }
  var last = {}; // pipeline -> { time, recordsIn }
  var charts = {};
  var $ = function (id) { return document.getElementById(id); };

  function fmt(n) { return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US", { maximumFractionDigits: 1 }); }
  function bytes(n) {
    var u = ["B", "KiB", "MiB", "GiB"], i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + " " + u[i];
  }
  function cell(text, cls) { var td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; return td; }

  function renderPipelines(list) {
    var body = $("pipelines").querySelector("tbody");
    body.textContent = "";
    $("empty").hidden = list.length > 0;
    list.forEach(function (p) {
      var m = p.metrics, tr = document.createElement("tr");
      tr.dataset.pipeline = p.name;
      var rate = history.series[p.name] ? history.series[p.name].rate[history.series[p.name].rate.length - 1] : null;
      tr.append(cell(p.name), cell(p.mode), cell(p.status + (p.error ? ": " + p.error : ""), "status-" + p.status),
        cell(fmt(m.recordsIn), "num records-in"), cell(fmt(rate), "num"), cell(fmt(m.rowsOut), "num rows-out"),
        cell(fmt(m.late), "num late"), cell(fmt(m.deadLettered), "num dead"),
        cell(m.watermarkLagMs === null ? "–" : (m.watermarkLagMs / 1000).toFixed(1) + " s", "num"),
        cell(fmt(m.openWindows), "num"), cell(bytes(m.stateBytes), "num"));
      body.append(tr);
    });
  }

  function record(time, list) {
    var t = time / 1000;
    history.t.push(t);
    list.forEach(function (p) {
      var s = history.series[p.name];
      if (!s) {
        s = history.series[p.name] = { rate: history.t.slice(0, -1).map(function () { return null; }), late: [], dead: [], lag: [] };
        s.late = s.rate.slice(); s.dead = s.rate.slice(); s.lag = s.rate.slice();
      }
      var prev = last[p.name], m = p.metrics;
      s.rate.push(prev && t > prev.t ? Math.max(0, (m.recordsIn - prev.n) / (t - prev.t)) : null);
      s.late.push(m.late);
      s.dead.push(m.deadLettered);
      s.lag.push(m.watermarkLagMs === null ? null : m.watermarkLagMs / 1000);
      last[p.name] = { t: t, n: m.recordsIn };
    });
    Object.keys(history.series).forEach(function (name) {
      var s = history.series[name];
      ["rate", "late", "dead", "lag"].forEach(function (k) { while (s[k].length < history.t.length) s[k].push(null); });
    });
    if (history.t.length > WINDOW) {
      history.t.shift();
      Object.keys(history.series).forEach(function (name) {
        ["rate", "late", "dead", "lag"].forEach(function (k) { history.series[name][k].shift(); });
      });
    }
  }

  var COLORS = ["#1565c0", "#c62828", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f"];
  function draw(id, pick) {
    var names = Object.keys(history.series);
    var el = $(id);
    var series = [{}];
    var data = [history.t];
    names.forEach(function (name, i) {
      pick(history.series[name]).forEach(function (p) {
        series.push({ label: name + (p.suffix || ""), stroke: COLORS[(i * 2 + (p.k || 0)) % COLORS.length], width: 2, spanGaps: true });
        data.push(p.values);
      });
    });
    var key = id + ":" + series.map(function (s) { return s.label; }).join(",");
    if (!charts[id] || charts[id].key !== key) {
      if (charts[id]) charts[id].plot.destroy();
      el.textContent = "";
      if (typeof uPlot === "undefined") return;
      var plot = new uPlot({ width: Math.max(320, el.clientWidth || 360), height: 200, series: series, axes: [{}, {}], scales: { x: { time: true } } }, data, el);
      charts[id] = { key: key, plot: plot };
    } else {
      charts[id].plot.setData(data);
    }
  }

  function renderCharts() {
    if (history.t.length < 2) return;
    draw("chart-rate", function (s) { return [{ values: s.rate }]; });
    draw("chart-bad", function (s) { return [{ values: s.late, suffix: " late" }, { values: s.dead, suffix: " dead-lettered", k: 1 }]; });
    draw("chart-lag", function (s) { return [{ values: s.lag }]; });
  }

  function addRows(rows) {
    var body = $("rows").querySelector("tbody");
    rows.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.className = "result-row";
      tr.append(cell(r.pipeline), cell(JSON.stringify(r.row)));
      body.prepend(tr);
    });
    while (body.children.length > 20) body.lastChild.remove();
  }

  function connect() {
    var es = new EventSource("/events");
    es.addEventListener("open", function () { $("conn").textContent = "live"; $("conn").className = "badge live"; });
    es.addEventListener("error", function () { $("conn").textContent = "reconnecting…"; $("conn").className = "badge"; });
    es.addEventListener("metrics", function (e) {
      var msg = JSON.parse(e.data);
      record(msg.time, msg.pipelines);
      renderPipelines(msg.pipelines);
      renderCharts();
    });
    es.addEventListener("rows", function (e) { addRows(JSON.parse(e.data)); });
  }

  $("deploy").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var out = $("deploy-result");
    var mode = $("mode").value;
    var headers = { "content-type": "application/yaml" };
    if ($("token").value) headers.authorization = "Bearer " + $("token").value;
    out.className = "";
    out.textContent = "deploying…";
    fetch("/pipelines" + (mode ? "?mode=" + encodeURIComponent(mode) : ""), { method: "POST", headers: headers, body: $("spec").value })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; }); })
      .then(function (r) {
        if (r.ok) { out.textContent = "deployed " + r.body.name + " (" + r.body.mode + ")"; return; }
        out.className = "error";
        out.textContent = r.status + ": " + r.body.error + (r.body.problems ? "\n" + r.body.problems.map(function (p) { return "  " + (p.path ? p.path + ": " : "") + p.message; }).join("\n") : "");
      })
      .catch(function (e) { out.className = "error"; out.textContent = String(e); });
  });

  connect();
})();
