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
      tooltip: { trigger: "item", confine: true },
      series: [{
        type: "funnel", sort: "none", left: "5%", width: "90%", minSize: "8%",
        label: { show: true, position: "inside", formatter: "{b}: {c}" },
        data: rows
      }]
    };
  }

  // On a phone a chart is about 300 px wide: smaller margins and label widths there.
  function narrow(el) { return el.clientWidth < 480; }

  function trend(el, d) {
    var small = narrow(el);
    return {
      color: palette,
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0, type: small ? "scroll" : "plain" },
      grid: { left: small ? 40 : 50, right: small ? 45 : 60, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.categories },
      yAxis: [{ type: "value", minInterval: 1 }, { type: "value", name: "¥" }],
      series: d.series.map(function (s) {
        return { name: s.name, type: s.axis ? "bar" : "line", yAxisIndex: s.axis, data: s.data,
                 smooth: true, barMaxWidth: 18 };
      })
    };
  }

  function bar(el, d) {
    var small = narrow(el);
    return {
      color: palette,
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0, type: small ? "scroll" : "plain" },
      grid: { left: small ? 90 : 140, right: 20, top: 40, bottom: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: d.categories, inverse: true,
               axisLabel: { width: small ? 82 : 130, overflow: "truncate" } },
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
    charts.push({ chart: chart, el: el, build: build, data: d, small: narrow(el) });
  });

  // A chart follows the width of its box (window resized, phone turned, printing): redrawn
  // with the margins for its new width when it crosses between phone and desktop.
  function fit() {
    charts.forEach(function (c) {
      var small = narrow(c.el);
      if (small !== c.small) {
        c.small = small;
        c.chart.setOption(c.build(c.el, c.data), true);
      }
      c.chart.resize();
    });
  }
  if (typeof ResizeObserver !== "undefined") {
    var observer = new ResizeObserver(function () { fit(); });
    charts.forEach(function (c) { observer.observe(c.el); });
  }
  window.addEventListener("resize", fit);
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", fit);
})();
