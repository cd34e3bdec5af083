/* The black-spot map (/blackspots/) and the printable patrol plan (/blackspots/plan/).
   Data comes from the page (json_script); every word shown comes translated from the page, this
   file holds no text. Needs Leaflet (static/vendor) and the offline base map (static/js/basemap.js). */
(function () {
  "use strict";

  // Page data travels in json_script elements (no inline script under the CSP).
  function readJSON(id) { var node = document.getElementById(id); return node && JSON.parse(node.textContent); }
  var BIN_COLOURS = { "3": "#b2182b", "2": "#ef8a62", "1": "#fddbc7", "0": "#f7f7f7", "-1": "#d1e5f0", "-2": "#67a9cf", "-3": "#2166ac" };
  var TREND_COLOURS = { "new": "#e66101", "persistent": "#b2182b", "intensifying": "#7f0000", "diminishing": "#fdb863", "gone": "#5e3c99" };

  function baseMap(box, centre, zoom) {
    var map = L.map(box, { zoomControl: true }).setView(centre, zoom);
    // The base map's layers arrive later and would cover the cells: the cells get a pane above them.
    map.createPane("spots").style.zIndex = 450;
    if (window.AmaneBasemap) {
      window.AmaneBasemap.add(map, { tilesUrl: box.dataset.tiles || "", layers: ["regions", "provinces", "communes", "labels"] });
    } else if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 19 }).addTo(map);
    }
    return map;
  }

  function styleFor(cell, view, max) {
    var base = { pane: "spots", weight: 0.6, color: "#555", fillOpacity: 0.65 };
    if (view === "bins") {
      if (cell.bin === 0) return null;
      base.fillColor = BIN_COLOURS[String(cell.bin)];
    } else if (view === "trend") {
      if (!TREND_COLOURS[cell.trend]) return null;
      base.fillColor = TREND_COLOURS[cell.trend];
    } else {
      var v = cell[view] || 0;
      if (v <= 0) return null;
      var t = Math.sqrt(v / (max || 1));
      base.fillColor = "rgb(" + Math.round(255 - 120 * t) + "," + Math.round(235 - 215 * t) + "," + Math.round(200 - 180 * t) + ")";
      if (cell["top_" + view]) { base.weight = 2.5; base.color = "#000"; }
    }
    return base;
  }

  function spotMap() {
    var box = document.getElementById("spot-map");
    var data = readJSON("spot-data");
    if (!box || !data || typeof window.L === "undefined") return;
    var labels = readJSON("spot-labels");
    var map = baseMap(box, data.centre, 12);
    var layer = L.layerGroup().addTo(map);
    var max = { week: 0, month: 0 };
    data.cells.forEach(function (c) { max.week = Math.max(max.week, c.week); max.month = Math.max(max.month, c.month); });
    var detail = document.getElementById("cell-detail");
    function showCell(cell) {
      detail.textContent = labels.loading;
      var url = box.dataset.cellUrl.replace("CELL", cell.id);
      fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, text: t }; }); })
        .then(function (r) {
          var doc = new DOMParser().parseFromString(r.text, "text/html");
          var part = doc.querySelector(".cell-detail") || doc.querySelector("main") || doc.body;
          detail.replaceChildren(document.importNode(part, true));
        });
    }
    function draw(view) {
      layer.clearLayers();
      data.cells.forEach(function (c) {
        var style = styleFor(c, view, max[view]);
        if (!style) return;
        var poly = L.polygon(c.boundary, style).addTo(layer);
        var tip = labels.count + ": " + c.count + " · " + labels.previous + ": " + c.previous;
        if (view === "bins") tip = labels.bin[String(c.bin)] + " · " + tip;
        if (view === "trend") tip = labels.trend[c.trend] + " · " + tip;
        if (view === "week" || view === "month") tip = labels.forecast + ": " + c[view].toFixed(2) + (c["top_" + view] ? " · " + labels.top : "");
        poly.bindTooltip(tip);
        poly.on("click", function () { showCell(c); });
        poly.getElement && poly.getElement() && poly.getElement().setAttribute("data-cell", c.id);
      });
      document.getElementById("legend-bins").hidden = view !== "bins";
      document.getElementById("legend-trend").hidden = view !== "trend";
      document.getElementById("legend-forecast").hidden = view !== "week" && view !== "month";
      box.dataset.view = view;
    }
    document.querySelectorAll("#spot-views input[name=view]").forEach(function (input) {
      input.addEventListener("change", function () { if (input.checked) draw(input.value); });
    });
    draw("bins");
    if (data.cells.length) {
      map.fitBounds(L.latLngBounds(data.cells.map(function (c) { return c.boundary[0]; })).pad(0.1));
    }
  }

  function planMap() {
    var box = document.getElementById("plan-map");
    var data = readJSON("plan-data");
    var print = document.getElementById("plan-print");
    if (print) print.addEventListener("click", function () { window.print(); });
    if (!box || !data || !data.cells.length || typeof window.L === "undefined") return;
    var map = baseMap(box, data.cells[0].centre, 14);
    var bounds = [];
    data.cells.forEach(function (c) {
      L.polygon(c.boundary, { pane: "spots", color: "#b2182b", weight: 2, fillOpacity: 0.35 }).addTo(map);
      L.marker(c.centre, {
        icon: L.divIcon({ className: "plan-rank", html: String(c.rank), iconSize: [22, 22] }),
        keyboard: false
      }).addTo(map);
      bounds = bounds.concat(c.boundary);
    });
    map.fitBounds(L.latLngBounds(bounds).pad(0.25));
  }

  document.addEventListener("DOMContentLoaded", function () {
    spotMap();
    planMap();
  });
})();
