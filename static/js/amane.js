/* Amane staff pages: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // Language switcher: submit on change (the button is there for pages without JS).
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });

    // Ctrl+Enter (or Cmd+Enter) registers from anywhere in the form, textarea included.
    document.querySelectorAll("form[data-ctrl-enter-submit]").forEach(function (form) {
      form.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    });

    var intake = document.getElementById("intake-form");
    if (intake) setUpIntake(intake);
  });

  function setUpIntake(form) {
    var category = form.querySelector("#id_category");
    var priority = form.querySelector("#id_priority");
    var help = document.getElementById("category-help");
    var anonymous = form.querySelector("#id_anonymous");
    var identity = document.getElementById("identity");
    var priorityTouched = false;

    if (priority) priority.addEventListener("change", function () { priorityTouched = true; });

    // The procedure of the chosen category, from the option's data attributes: no round-trip.
    function showProcedure() {
      var option = category.options[category.selectedIndex];
      if (!option || !option.value) { help.hidden = true; return; }
      help.querySelector("[data-help=deadlines]").textContent = option.dataset.deadlines || "";
      help.querySelector("[data-help=procedure]").textContent = option.dataset.procedure || "";
      help.querySelector("[data-help=prosecutor]").hidden = !option.dataset.prosecutor;
      help.querySelector("[data-help=no-anonymous]").hidden = !!option.dataset.anonymous;
      help.hidden = false;
      if (priority && !priorityTouched && option.dataset.priority) priority.value = option.dataset.priority;
    }
    if (category && help) {
      category.addEventListener("change", showProcedure);
      showProcedure();
    }

    // Anonymous: the identity fields are neither needed nor sent.
    function toggleIdentity() {
      identity.disabled = anonymous.checked;
      identity.classList.toggle("opacity-50", anonymous.checked);
    }
    if (anonymous && identity) {
      anonymous.addEventListener("change", toggleIdentity);
      toggleIdentity();
    }

    setUpMap(form);
  }

  // Optional map: shown on request, a click sets the pin and fills the coordinates. The fields
  // stay the source of truth; without tiles (offline) the map is blank but still clickable.
  function setUpMap(form) {
    var toggle = document.getElementById("map-toggle");
    var container = document.getElementById("intake-map");
    var lat = form.querySelector("#id_latitude");
    var lon = form.querySelector("#id_longitude");
    if (!toggle || !container || !lat || !lon || typeof window.L === "undefined") return;
    document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
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
      map = window.L.map(container, { keyboard: false }).setView(point || center, point ? 15 : 13);
      window.L.tileLayer(container.dataset.tiles, {
        maxZoom: 19,
        attribution: "&copy; OpenStreetMap",
      }).addTo(map);
      if (point) placeMarker(point);
      map.on("click", function (event) {
        lat.value = event.latlng.lat.toFixed(6);
        lon.value = event.latlng.lng.toFixed(6);
        placeMarker([event.latlng.lat, event.latlng.lng]);
        // Let htmx refresh the nearby suggestions, as when the officer types.
        lat.dispatchEvent(new Event("change", { bubbles: true }));
        lon.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }

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
  }
})();
