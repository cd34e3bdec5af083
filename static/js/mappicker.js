/* A point picker on a Leaflet map, shared by the staff intake and the citizen's filing form.
   The latitude/longitude fields stay the source of truth: the map is shown on request, a click
   sets the pin and fills the fields, typing in the fields moves the pin. */
(function () {
  "use strict";
  var BASEMAP_LAYERS = ["regions", "provinces", "communes", "labels", "stations"];

  window.AmaneMapPicker = function (options) {
    var toggle = options.toggle, container = options.container, lat = options.lat, lon = options.lon;
    if (!toggle || !container || !lat || !lon || typeof window.L === "undefined") return null;
    var map = null;
    var marker = null;

    function readPoint() {
      var a = parseFloat((lat.value || "").replace(",", "."));
      var b = parseFloat((lon.value || "").replace(",", "."));
      return isNaN(a) || isNaN(b) ? null : [a, b];
    }
    function placeMarker(point) {
      if (!map) return;
      if (marker) marker.setLatLng(point);
      else marker = window.L.marker(point).addTo(map);
    }
    function pick(event) {
      lat.value = event.latlng.lat.toFixed(6);
      lon.value = event.latlng.lng.toFixed(6);
      placeMarker([event.latlng.lat, event.latlng.lng]);
      if (options.onPick) options.onPick();
    }
    function init() {
      var center = (container.dataset.center || "31.8,-7.1").split(",").map(parseFloat);
      var point = readPoint();
      map = window.L.map(container, { keyboard: false }).setView(point || center, point ? 15 : options.zoom || 13);
      // The offline base map (boundaries, places, police stations) from the server's static files;
      // a production tile server (AMANE_MAP_TILES_URL) goes under it when one is configured.
      if (window.AmaneBasemap) {
        window.AmaneBasemap.add(map, { tilesUrl: container.dataset.tiles || "", layers: BASEMAP_LAYERS });
      } else if (container.dataset.tiles) {
        window.L.tileLayer(container.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
      }
      if (point) placeMarker(point);
      map.on("click", pick);
      // A phone can give its position, with the citizen's permission.
      if (options.geolocate && !point && navigator.geolocation) {
        navigator.geolocation.getCurrentPosition(function (pos) {
          map.setView([pos.coords.latitude, pos.coords.longitude], 16);
        });
      }
    }
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var show = container.hidden;
      container.hidden = !show;
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      if (show && !map) init();
      if (show && map) map.invalidateSize();
    });
    [lat, lon].forEach(function (input) {
      input.addEventListener("change", function () {
        var point = readPoint();
        if (point) placeMarker(point);
      });
    });
    return { readPoint: readPoint };
  };
})();
