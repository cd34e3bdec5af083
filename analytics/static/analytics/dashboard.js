/* The dashboard's charts (Apache ECharts, vendored) and map (Leaflet with the board's base layer).
 * Data comes from the page's json_script #analytics-data; no inline script (the CSP forbids it).
 * Right-to-left: axes start on the right and legends sit on the right when <html dir="rtl">. */
(function () {
  "use strict";
  var node = document.getElementById("analytics-data");
  if (!node) return;
  var data = JSON.parse(node.textContent);
  var rtl = document.documentElement.dir === "rtl";
  var font = "system-ui, 'DejaVu Sans', sans-serif";

  function label(id) {
    var el = document.getElementById(id);
    return el ? el.getAttribute("aria-label") : "";
  }

  function bars(el, categories, series) {
    if (!el || !window.echarts) return;
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      textStyle: { fontFamily: font },
      title: { text: label(el.id), right: rtl ? 0 : "auto", left: rtl ? "auto" : 0, textStyle: { fontSize: 13 } },
      legend: { bottom: 0, right: rtl ? 0 : "auto", left: rtl ? "auto" : 0 },
      tooltip: { trigger: "axis" },
      grid: { top: 40, left: 30, right: 30, bottom: 36, containLabel: true },
      xAxis: { type: "category", data: categories, inverse: rtl, axisLabel: { interval: 0, rotate: categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", position: rtl ? "right" : "left", minInterval: 1 },
      series: series,
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  var names = data.labels;  // translated by the server

  bars(document.getElementById("chart-trend"), data.trend.months, [
    { name: names.received, type: "line", data: data.trend.received, smooth: false },
    { name: names.closed, type: "line", data: data.trend.closed, smooth: false },
  ]);
  if (data.children.names.length) {
    bars(document.getElementById("chart-units"), data.children.names, [
      { name: names.received, type: "bar", data: data.children.received },
      { name: names.overdue, type: "bar", data: data.children.overdue },
    ]);
  }

  var box = document.getElementById("analytics-map");
  if (!box || !window.L) return;
  var points = data.map.filter(function (p) { return p.lat !== null && p.lon !== null; });
  var map = window.L.map(box, { zoomControl: true }).setView([31.8, -7.1], 5);
  if (window.AmaneBasemap) {
    window.AmaneBasemap.add(map, { tilesUrl: box.dataset.tiles || "" });
  } else if (box.dataset.tiles) {
    window.L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  }
  var max = Math.max.apply(null, points.map(function (p) { return p.received; }).concat([1]));
  var bounds = [];
  points.forEach(function (p) {
    var marker = window.L.circleMarker([p.lat, p.lon], {
      radius: 6 + 18 * Math.sqrt(p.received / max), color: "#0b5394", fillOpacity: 0.45, weight: 1,
    }).addTo(map);
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name + " — " + p.received;
    marker.bindPopup(link);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30] });
  else if (bounds.length === 1) map.setView(bounds[0], 11);
})();
