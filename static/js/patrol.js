/* The patrol's phone page: the mission card is reloaded when the stream says it changed, and the
   report buttons post without leaving the page. Without JavaScript the forms post and redirect. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
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
      return m ? [m.dataset.incident, m.dataset.state, m.dataset.patrolStatus, m.dataset.error || ""].join("|") : "";
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

    box.addEventListener("submit", function (event) {
      var form = event.target.closest("form.mission-report");
      if (!form) return;
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value }
      }).then(function (r) { return r.text(); }).then(swap).catch(function () { if (button) button.disabled = false; });
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
    source.addEventListener("incident", refresh);
    source.addEventListener("patrol", refresh);
  });
})();
