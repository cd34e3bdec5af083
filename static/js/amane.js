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

  // Optional map (static/js/mappicker.js): a click sets the pin and fills the coordinates; the
  // nearby suggestions refresh as when the officer types.
  function setUpMap(form) {
    var lat = form.querySelector("#id_latitude");
    var lon = form.querySelector("#id_longitude");
    if (!window.AmaneMapPicker) return;
    var picker = window.AmaneMapPicker({
      toggle: document.getElementById("map-toggle"),
      container: document.getElementById("intake-map"),
      lat: lat,
      lon: lon,
      onPick: function () {
        lat.dispatchEvent(new Event("change", { bubbles: true }));
        lon.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    if (picker) document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  }

})();
