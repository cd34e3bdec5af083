/* Citizen portal: the filing form's proof of work and optional map. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function leadingZeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { bits += 1; b <<= 1; }
      break;
    }
    return bits;
  }

  // Find a nonce such that SHA-256(challenge + nonce) starts with `bits` zero bits.
  async function solve(challenge, bits) {
    var encoder = new TextEncoder();
    for (var n = 0; ; n++) {
      var digest = await window.crypto.subtle.digest("SHA-256", encoder.encode(challenge + n));
      if (leadingZeroBits(new Uint8Array(digest)) >= bits) return String(n);
    }
  }

  function setUpProofOfWork(form) {
    var challenge = form.querySelector("#id_pow_challenge");
    var nonce = form.querySelector("#id_pow_nonce");
    var status = document.getElementById("pow-status");
    var button = form.querySelector("#filing-submit");
    if (!challenge || !nonce) return;
    var bits = parseInt(challenge.dataset.bits || "0", 10);
    if (!bits) return;
    if (!window.crypto || !window.crypto.subtle) { if (status) status.hidden = false; return; }
    var done = solve(challenge.value, bits).then(function (value) {
      nonce.value = value;
      if (status) status.hidden = true;
    });
    form.addEventListener("submit", function (event) {
      if (nonce.value) return;
      event.preventDefault();
      if (status) status.hidden = false;
      if (button) button.disabled = true;
      done.then(function () { if (button) button.disabled = false; form.requestSubmit(); });
    });
  }

  function setUpMap(form) {
    var toggle = document.getElementById("map-toggle");
    var container = document.getElementById("portal-map");
    var lat = form.querySelector("#id_latitude");
    var lon = form.querySelector("#id_longitude");
    if (!toggle || !container || !lat || !lon || typeof window.L === "undefined") return;
    toggle.hidden = false;
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
    function init() {
      var center = (container.dataset.center || "31.8,-7.1").split(",").map(parseFloat);
      var point = readPoint();
      map = window.L.map(container).setView(point || center, point ? 15 : 6);
      window.L.tileLayer(container.dataset.tiles, { maxZoom: 19, attribution: "&copy; OpenStreetMap" }).addTo(map);
      if (point) placeMarker(point);
      map.on("click", function (event) {
        lat.value = event.latlng.lat.toFixed(6);
        lon.value = event.latlng.lng.toFixed(6);
        placeMarker([event.latlng.lat, event.latlng.lng]);
      });
      // A phone can give its position, with the citizen's permission.
      if (!point && navigator.geolocation) {
        navigator.geolocation.getCurrentPosition(function (pos) {
          map.setView([pos.coords.latitude, pos.coords.longitude], 16);
        });
      }
    }
    toggle.addEventListener("click", function () {
      var show = container.hidden;
      container.hidden = !show;
      toggle.setAttribute("aria-expanded", show ? "true" : "false");
      if (show && !map) init();
      if (show && map) map.invalidateSize();
    });
  }

  ready(function () {
    var form = document.getElementById("filing-form");
    if (!form) return;
    setUpProofOfWork(form);
    setUpMap(form);
  });
})();
