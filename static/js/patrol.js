/* The patrol's phone page: the mission card is reloaded when the stream says it changed, and the
   report buttons post without leaving the page. Without JavaScript the forms post and redirect. */
(function () {
  "use strict";
  // Loaded with `defer`: the document is parsed when this runs.
  (function start() {
    var page = document.getElementById("patrol-page");
    if (!page) return;
    var box = document.getElementById("mission-box");
    var status = document.getElementById("live-status");
    var words = {};
    var tpl = document.getElementById("live-labels");
    if (tpl) tpl.content.querySelectorAll("[data-k]").forEach(function (n) { words[n.dataset.k] = n.textContent; });

    function swap(html) { box.innerHTML = html; }
    function key(root) {
      var m = root.querySelector("#mission");
      return m ? [m.dataset.incident, m.dataset.state, m.dataset.patrolStatus, m.dataset.acknowledged || "", m.dataset.error || ""].join("|") : "";
    }
    // A refresh that brings nothing new is not swapped in: the officer may be choosing an outcome.
    function refresh() {
      return fetch(page.dataset.fragment, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var next = document.createElement("template");
          next.innerHTML = html;
          if (key(next.content) !== key(box)) swap(html);
        });
    }

    // With JavaScript the buttons speak to the JSON API (emergency/api.py); the card is then
    // reloaded. A refusal is shown on the card; nothing was written.
    function showError(message) {
      var mission = box.querySelector("#mission");
      var alert = box.querySelector("#mission-error");
      if (!alert && mission) {
        alert = document.createElement("div");
        alert.id = "mission-error";
        alert.className = "alert alert-danger";
        alert.setAttribute("role", "alert");
        mission.insertBefore(alert, mission.firstChild);
      }
      if (alert) alert.textContent = message;
    }
    box.addEventListener("submit", function (event) {
      var form = event.target.closest("form.mission-report");
      if (!form || !form.dataset.api) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      var payload = {};
      ["status", "outcome", "note"].forEach(function (name) {
        if (form.elements[name]) payload[name] = form.elements[name].value;
      });
      fetch(form.dataset.api, {
        method: "POST",
        body: JSON.stringify(payload),
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value
        }
      }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (body) {
          if (r.ok) return refresh();
          if (button) button.disabled = false;
          showError(body.message || "");
        });
      }).catch(function () { if (button) button.disabled = false; });
    });

    if (!window.EventSource) return;
    var source = new EventSource(page.dataset.stream);
    var lost = false;
    source.addEventListener("open", function () {
      status.className = "badge text-bg-success ms-auto";
      status.textContent = words.connected || "";
      document.documentElement.dataset.live = "open";
      if (lost) refresh();
      lost = false;
    });
    source.addEventListener("error", function () {
      lost = true;
      status.className = "badge text-bg-warning ms-auto";
      status.textContent = words.reconnecting || "";
      document.documentElement.dataset.live = "lost";
    });
    ["refused", "ended"].forEach(function (kind) {  // see board.js: stop and say why
      source.addEventListener(kind, function (e) {
        source.close();
        document.documentElement.dataset.live = kind;
        status.className = "badge text-bg-danger ms-auto";
        try { status.textContent = JSON.parse(e.data).message; } catch (err) { status.textContent = ""; }
      });
    });
    source.addEventListener("incident", refresh);
    source.addEventListener("patrol", refresh);
  })();
})();
