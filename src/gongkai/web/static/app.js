// gongkai web: a little JavaScript over server-rendered pages. No inline scripts (the CSP forbids
// them); data comes in <script type="application/json"> blocks; text is set with textContent only.
(function () {
  "use strict";
  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function jsonBlock(id) { var el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; }
  function csrf() { var el = $("input[name=csrf_token]"); return el ? el.value : ""; }

  // ---- dashboard charts -------------------------------------------------------------------
  var charts = jsonBlock("chart-data");
  if (charts && window.echarts) {
    $$("[data-chart]").forEach(function (el) {
      var c = charts.series[el.dataset.chart];
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        title: { text: c.name, textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 16, top: 36, bottom: 24 },
        xAxis: { type: "category", data: charts.years.map(String) },
        yAxis: { type: "value" },
        series: [{ type: c.kind === "rate" ? "line" : "bar", data: charts.years.map(function (y) { return c.values[y]; }),
                   itemStyle: { color: "#8b1a1a" }, connectNulls: false }]
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
    document.body.dataset.chartsReady = "1";
  }

  // ---- report page ---------------------------------------------------------------------------
  var meta = jsonBlock("report-meta");
  function covers(findingCell, key) {
    return key === findingCell || key.indexOf(findingCell + ".") === 0 ||
      (/\.all$/.test(findingCell) && key.indexOf(findingCell.slice(0, -4) + ".") === 0);
  }
  function markCells(keys) {
    $$("td.value").forEach(function (td) {
      var on = keys.some(function (k) { return covers(k, td.dataset.key); });
      td.classList.toggle("marked", on);
    });
  }
  function showSource(td) {
    var body = $("#source-body");
    body.textContent = "";
    var src = JSON.parse(td.dataset.source || "null");
    var head = document.createElement("p");
    head.textContent = td.getAttribute("title") + (src ? "；" + describe(src) : "；没有来源信息");
    body.appendChild(head);
    if (!meta || !meta.has_source || !src) return;
    fetch("/api/v1/reports/" + meta.version_id + "/source?cell=" + encodeURIComponent(td.dataset.key),
          { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        if (d.image) { var img = document.createElement("img"); img.src = d.image; img.alt = "原文页面"; body.appendChild(img); }
        if (d.excerpt) {
          var pre = document.createElement("pre");
          pre.appendChild(document.createTextNode(d.excerpt.before));
          var m = document.createElement("mark"); m.textContent = d.excerpt.text; pre.appendChild(m);
          pre.appendChild(document.createTextNode(d.excerpt.after));
          body.appendChild(pre);
        }
      });
  }
  function describe(s) {
    var parts = [];
    if (s.page) parts.push("第" + s.page + "页");
    if (s.line) parts.push("第" + s.line + "行");
    if (s.table !== undefined) parts.push("表格" + (s.table + 1));
    if (s.row !== undefined) parts.push("第" + (s.row + 1) + "行");
    if (s.col !== undefined) parts.push("第" + (s.col + 1) + "列");
    if (s.sheet) parts.push(s.sheet + "工作表");
    return parts.join("，");
  }
  if (meta) {
    $$("td.value").forEach(function (td) {
      td.addEventListener("click", function () {
        $$("td.value.selected").forEach(function (x) { x.classList.remove("selected"); });
        td.classList.add("selected");
        showSource(td);
        var idx = (td.dataset.findings || "").split(",").filter(Boolean);
        $$("#findings li").forEach(function (li) { li.classList.toggle("active", idx.indexOf(li.dataset.index) >= 0); });
      });
    });
    $$("#findings li").forEach(function (li) {
      li.addEventListener("click", function (ev) {
        if (ev.target.closest("form")) return;
        $$("#findings li.active").forEach(function (x) { x.classList.remove("active"); });
        li.classList.add("active");
        markCells((li.dataset.cells || "").split(",").filter(Boolean));
      });
    });
    $$(".stated").forEach(function (sp) {
      sp.addEventListener("click", function () { markCells((sp.dataset.cells || "").split(",").filter(Boolean)); });
    });
  }

  // ---- upload with progress ----------------------------------------------------------------------
  var form = $("#upload-form");
  if (form && window.FormData) {
    form.addEventListener("submit", function (ev) {
      var files = $("#files").files;
      if (!files.length) return;
      ev.preventDefault();
      var table = $("#upload-results");
      var queue = Array.prototype.slice.call(files);
      function next() {
        var f = queue.shift();
        if (!f) return;
        var tr = table.insertRow(-1);
        var name = tr.insertCell(0), prog = tr.insertCell(1), res = tr.insertCell(2);
        name.textContent = f.name;
        var bar = document.createElement("div"); bar.className = "progress";
        var fill = document.createElement("div"); bar.appendChild(fill); prog.appendChild(bar);
        var fd = new FormData(); fd.append("file", f, f.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", "/api/v1/uploads");
        xhr.setRequestHeader("X-CSRF-Token", csrf());
        xhr.upload.onprogress = function (e) { if (e.lengthComputable) fill.style.width = (100 * e.loaded / e.total) + "%"; };
        xhr.onload = function () {
          fill.style.width = "100%";
          var d = null; try { d = JSON.parse(xhr.responseText); } catch (e) {}
          var r = d && (d.data || (d.error && { summary: d.error.message }));
          if (r && r.version_id) { var a = document.createElement("a"); a.href = "/reports/" + r.version_id; a.textContent = r.summary; res.appendChild(a); }
          else { res.textContent = r ? r.summary : ("失败：HTTP " + xhr.status); }
          res.dataset.status = r && r.status || "error";
          next();
        };
        xhr.onerror = function () { res.textContent = "网络错误"; next(); };
        xhr.send(fd);
      }
      next();
    });
  }
})();
