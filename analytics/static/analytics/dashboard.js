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
      legend: { bottom: 0, right: rtl ? 0 : "auto", left: rtl ? "auto" : 0, align: rtl ? "right" : "left" },
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

  // Ray casting over a GeoJSON ring ([lon, lat] pairs).
  function inRing(lon, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inGeometry(lon, lat, g) {
    var polygons = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    return polygons.some(function (rings) {
      return inRing(lon, lat, rings[0]) && !rings.slice(1).some(function (hole) { return inRing(lon, lat, hole); });
    });
  }

  // Choropleth: complaints received per 10,000 inhabitants of each province holding a station
  // shown (areas and districts only: a wilaya's seat would take the whole wilaya's count).
  function shadeProvinces(map, provinces, points) {
    var stations = points.filter(function (p) { return ["area", "district", "duty"].indexOf(p.kind) >= 0; });
    if (!stations.length) return;
    var shaded = [];
    provinces.eachLayer(function (layer) {
      var f = layer.feature;
      var sum = 0, hit = false;
      stations.forEach(function (p) {
        if (inGeometry(p.lon, p.lat, f.geometry)) { sum += p.received; hit = true; }
      });
      if (hit && f.properties.population) shaded.push({ feature: f, rate: (sum * 10000) / f.properties.population, sum: sum });
    });
    var top = Math.max.apply(null, shaded.map(function (s) { return s.rate; }).concat([1e-9]));
    var lang = (document.documentElement.lang || "ar").indexOf("ar") === 0 ? "name_ar" : "name_fr";
    shaded.forEach(function (s) {
      window.L.geoJSON(s.feature, {
        style: { color: "#7a1f1f", weight: 1, fillColor: "#c0392b", fillOpacity: 0.1 + 0.55 * (s.rate / top) },
      })
        .bindTooltip(s.feature.properties[lang] + " — " + s.sum + " (" + s.rate.toFixed(2) + " / 10 000)")
        .addTo(map);
    });
    markers.forEach(function (m) { m.bringToFront(); });  // the stations stay clickable above the shading
  }

  var markers = [];

  var box = document.getElementById("analytics-map");
  if (!box || !window.L) return;
  var points = data.map.filter(function (p) { return p.lat !== null && p.lon !== null; });
  var map = window.L.map(box, { zoomControl: true }).setView([31.8, -7.1], 5);
  if (window.AmaneBasemap) {
    window.AmaneBasemap.add(map, { tilesUrl: box.dataset.tiles || "" }).then(function (basemap) {
      if (basemap.layers.provinces) shadeProvinces(map, basemap.layers.provinces, points);
    });
  } else if (box.dataset.tiles) {
    window.L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
  }
  var max = Math.max.apply(null, points.map(function (p) { return p.received; }).concat([1]));
  var bounds = [];
  points.forEach(function (p) {
    var marker = window.L.circleMarker([p.lat, p.lon], {
      radius: 6 + 18 * Math.sqrt(p.received / max), color: "#0b5394", fillOpacity: 0.45, weight: 1,
    }).addTo(map);
    markers.push(marker);
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name + " — " + p.received;
    marker.bindPopup(link);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length > 1) map.fitBounds(bounds, { padding: [30, 30] });
  else if (bounds.length === 1) map.setView(bounds[0], 11);
})();
