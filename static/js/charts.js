// Draws every [data-chart] element from the ECharts option the page passed as JSON
// (json_script: no inline script, the CSP allows none). Canvas at twice the pixels, so
// that printing is sharp (the SVG renderer writes style attributes, which the CSP
// refuses); redrawn to the paper's width before printing and to the window's after.
(function () {
  function draw() {
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || typeof echarts === "undefined") { return; }
      el.style.height = (el.dataset.height || 320) + "px";
      var chart = echarts.init(el, null, {
        renderer: "canvas", devicePixelRatio: Math.max(2, window.devicePixelRatio || 1)
      });
      chart.setOption(JSON.parse(source.textContent));
      el.setAttribute("data-chart-ready", "1");
      charts.push(chart);
    });
    function resize() { charts.forEach(function (c) { c.resize(); }); }
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
    window.addEventListener("afterprint", resize);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
