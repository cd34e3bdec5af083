/* Citizen portal: the filing form's proof of work and optional map. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");


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

  // "Use my location": the phone's position, with the citizen's permission, fills the coordinates.
  function setUpMyLocation(form) {
    var button = document.getElementById("use-location");
    var status = document.getElementById("location-status");
    var lat = form.querySelector("#id_latitude");
    var lon = form.querySelector("#id_longitude");
    if (!button || !lat || !lon || !navigator.geolocation) return;
    function say(key) {
      if (!status) return;
      status.textContent = status.dataset[key] || "";
      status.hidden = false;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      say("asking");
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          lat.value = pos.coords.latitude.toFixed(6);
          lon.value = pos.coords.longitude.toFixed(6);
          [lat, lon].forEach(function (input) { input.dispatchEvent(new Event("change")); });
          say("found");
        },
        function () { say("refused"); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }

  // Loaded with `defer`: the document is parsed when this runs.
  var form = document.getElementById("filing-form");
  if (!form) return;
  setUpProofOfWork(form);
  setUpMyLocation(form);
  if (window.AmaneMapPicker) {
    window.AmaneMapPicker({
      toggle: document.getElementById("map-toggle"),
      container: document.getElementById("portal-map"),
      lat: form.querySelector("#id_latitude"),
      lon: form.querySelector("#id_longitude"),
      zoom: 6,
      geolocate: true
    });
  }
})();
