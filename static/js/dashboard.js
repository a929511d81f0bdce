// Draws the dashboards' charts with ECharts from JSON embedded in the page (json_script),
// so no inline script is needed. Every chart's numbers are also in a table on the page.
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }

  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  var palette = ["#0b5394", "#e69138", "#6aa84f", "#cc0000", "#8e7cc3", "#45818e", "#f1c232"];

  function funnel(el, rows) {
    return {
      color: palette,
      tooltip: { trigger: "item" },
      series: [{
        type: "funnel", sort: "none", left: "5%", width: "90%", minSize: "8%",
        label: { show: true, position: "inside", formatter: "{b}: {c}" },
        data: rows
      }]
    };
  }

  function trend(el, d) {
    return {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 60, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.categories },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", name: "¥" }],
      series: d.series.map(function (s) {
        return { name: s.name, type: s.axis ? "bar" : "line", yAxisIndex: s.axis, data: s.data,
                 smooth: true, barMaxWidth: 18 };
      })
    };
  }

  function bar(el, d) {
    return {
      color: palette,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 140, right: 20, top: 40, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.categories, inverse: true,
               axisLabel: { width: 130, overflow: "truncate" } },
      series: d.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
    };
  }

  var builders = { funnel: funnel, trend: trend, bar: bar };
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var d = data(el.getAttribute("data-source"));
    var build = builders[el.getAttribute("data-chart")];
    if (!d || !build) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(build(el, d));
    el.setAttribute("data-rendered", "true");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { c.resize(); }); });
})();
