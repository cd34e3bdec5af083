/* The shift's patrol plan as a layer of the command room board (a toggle). The cells come from
   /blackspots/layer/ (analytics); the board's map is window.amaneBoard.map (static/js/board.js).
   No text here: the toggle's label is in the page. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("plan-layer-toggle");
    if (!toggle || typeof window.L === "undefined") return;
    var layer = null;
    toggle.addEventListener("change", function () {
      var map = window.amaneBoard && window.amaneBoard.map;
      if (!map) return;
      if (!toggle.checked) { if (layer) map.removeLayer(layer); return; }
      if (layer) { layer.addTo(map); return; }
      fetch(toggle.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || !toggle.checked) return;
          layer = L.geoJSON(data, {
            style: { color: "#6a1b9a", weight: 2, dashArray: "4 3", fillOpacity: 0.15 },
            onEachFeature: function (f, l) { l.bindTooltip(f.properties.unit + " · #" + f.properties.rank); }
          }).addTo(map);
        });
    });
  });
})();
