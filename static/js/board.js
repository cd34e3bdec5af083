/* The dispatcher's live board and the response-time panel.
   Data comes from the page (json_script) and then from the server-sent-events stream; every word
   shown comes translated from the page (board-labels), this file holds no text. */
(function () {
  "use strict";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "class") node.className = attrs[k];
      else if (k.indexOf("data-") === 0 || k.indexOf("aria-") === 0 || k === "role" || k === "type" ||
               k === "name" || k === "value" || k === "id" || k === "for" || k === "hidden") node.setAttribute(k, attrs[k]);
      else node[k] = attrs[k];
    });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  // The board speaks to the JSON API (emergency/api.py) with the session and the CSRF token.
  function postJSON(form, url, payload) {
    return fetch(url, {
      method: "POST",
      body: JSON.stringify(payload),
      headers: { "X-CSRFToken": csrf(form), "Accept": "application/json", "Content-Type": "application/json" },
      credentials: "same-origin"
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (body) {
        return { ok: resp.ok, status: resp.status, body: body };
      });
    });
  }
  // A typed coordinate: empty is null, "33,57" is 33.57; anything else goes as typed and the
  // server answers which field is wrong.
  function coordinate(value) {
    var text = (value || "").trim().replace(",", ".");
    if (!text) return null;
    var n = Number(text);
    return isFinite(n) ? n : text;
  }
  // API field names that the board's forms carry under another name.
  var FIELD_ALIASES = { patrol_id: "patrol" };
  function showErrors(box, form, body) {
    form.querySelectorAll("[aria-invalid]").forEach(function (f) { f.removeAttribute("aria-invalid"); });
    if (!body) { box.hidden = true; box.textContent = ""; return; }
    box.textContent = body.message || "";
    Object.keys(body.fields || {}).forEach(function (name) {
      var field = form.querySelector("[name=" + (FIELD_ALIASES[name] || name) + "]");
      if (field) field.setAttribute("aria-invalid", "true");
      box.appendChild(el("div", {}, body.fields[name]));
    });
    box.hidden = false;
  }

  // ------------------------------------------------------------- sound and the P1 banner

  var audio = null;
  function setUpSound() {
    var toggle = document.getElementById("sound-toggle");
    if (!toggle) return;
    toggle.addEventListener("click", function () {
      // Browsers allow sound only after a user gesture: the AudioContext is made here.
      var on = toggle.getAttribute("aria-pressed") !== "true";
      if (on && !audio && (window.AudioContext || window.webkitAudioContext)) {
        audio = new (window.AudioContext || window.webkitAudioContext)();
      }
      if (audio && audio.state === "suspended") audio.resume();
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.querySelector(".sound-on").hidden = !on;
      toggle.querySelector(".sound-off").hidden = on;
      if (on) beep(1);
    });
  }
  function soundOn() {
    var toggle = document.getElementById("sound-toggle");
    return audio && toggle && toggle.getAttribute("aria-pressed") === "true";
  }
  function beep(times) {
    if (!audio) return;
    for (var i = 0; i < times; i++) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var start = audio.currentTime + i * 0.3;
      osc.type = "square";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.22);
      osc.connect(gain).connect(audio.destination);
      osc.start(start);
      osc.stop(start + 0.25);
    }
  }
  function announceP1(snap, labels) {
    var banner = document.getElementById("p1-banner");
    if (!banner) return;
    document.getElementById("p1-banner-text").textContent =
      snap.reference + " · " + categoryName(snap, labels) + " · " + (snap.address || "");
    banner.hidden = false;
    banner.classList.remove("flash");
    void banner.offsetWidth; // restart the animation
    banner.classList.add("flash");
    if (soundOn()) beep(3);
  }

  // ------------------------------------------------------------- board state

  var PRIORITY_COLOURS = { P1: "#c1121f", P2: "#f77f00", P3: "#e9c46a", P4: "#4c956c" };
  var PATROL_COLOURS = { available: "#2a9d8f", assigned: "#0b3d6e", en_route: "#6f42c1", on_scene: "#c1121f", off_duty: "#8d99ae" };
  var lang = "ar";

  function categoryName(snap) {
    var names = snap.category_name || {};
    return names[lang] || names.ar || snap.category;
  }
  function ageText(iso) {
    if (!iso) return "";
    var s = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = (h ? String(m).padStart(2, "0") : String(m)), ss = String(sec).padStart(2, "0");
    return (h ? h + ":" : "") + mm + ":" + ss;
  }

  function Board(root, labels) {
    var data = readJSON("board-data") || { incidents: [], patrols: [] };
    lang = data.lang || document.documentElement.lang || "ar";
    this.root = root;
    this.labels = labels;
    this.incidents = new Map();
    this.patrols = new Map();
    this.markers = new Map();
    this.patrolMarkers = new Map();
    this.map = null;
    var self = this;
    data.incidents.forEach(function (s) { self.incidents.set(s.id, s); });
    data.patrols.forEach(function (p) { self.patrols.set(p.id, p); });
    this.setUpMap();
    this.renderIncidents();
    this.renderPatrols();
    setInterval(function () { self.tick(); }, 1000);
  }

  Board.prototype.setUpMap = function () {
    var box = document.getElementById("board-map");
    if (!box || typeof window.L === "undefined") return;
    var c = (box.dataset.center || "31.8,-7.1").split(",").map(Number);
    this.map = L.map(box, { zoomControl: true }).setView(c, 12);
    // The offline base map (boundaries, places, police stations) from the server's static files;
    // a production tile server (AMANE_MAP_TILES_URL) goes under it when one is configured.
    if (window.AmaneBasemap) {
      window.AmaneBasemap.add(this.map, {
        tilesUrl: box.dataset.tiles || "",
        layers: ["regions", "provinces", "communes", "labels", "stations"],
      });
    } else if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(this.map);
    }
    var form = document.getElementById("call-form");
    if (form) {
      this.map.on("click", function (e) {
        form.querySelector("[name=latitude]").value = e.latlng.lat.toFixed(6);
        form.querySelector("[name=longitude]").value = e.latlng.lng.toFixed(6);
      });
    }
  };

  // The server's order (emergency.selectors.BOARD_ORDER): most urgent first; within a priority an
  // incident sent back by a pre-emption first (latest first), then the oldest.
  Board.prototype.sorted = function () {
    return Array.from(this.incidents.values()).sort(function (a, b) {
      if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1;
      var ra = a.requeued_at ? Date.parse(a.requeued_at) : 0, rb = b.requeued_at ? Date.parse(b.requeued_at) : 0;
      if (ra !== rb) return rb - ra;
      return Date.parse(a.received_at) - Date.parse(b.received_at);
    });
  };

  // The search box: a reference (incident or call) filters here; a call-back number is asked of
  // the server (POST, audited) and keeps the incidents it answers.
  Board.prototype.matches = function (s) {
    if (this.numberHits) return this.numberHits.has(s.id);
    var q = (this.query || "").trim().toUpperCase();
    if (!q) return true;
    if (s.reference && s.reference.toUpperCase().indexOf(q) >= 0) return true;
    return (s.calls || []).some(function (c) { return c.reference && c.reference.toUpperCase().indexOf(q) >= 0; });
  };

  Board.prototype.renderIncidents = function () {
    var list = document.getElementById("incident-list");
    var labels = this.labels, self = this;
    var canDispatch = !!document.getElementById("dispatch-form") && !!document.getElementById("call-form");
    list.textContent = "";
    var shown = 0;
    this.sorted().forEach(function (s) {
      if (!self.matches(s)) { self.placeIncident(s); return; }
      shown += 1;
      var li = el("li", {
        "class": "incident prio-" + s.priority + " state-" + s.state,
        "data-id": s.id, "data-reference": s.reference, "data-priority": s.priority, "data-state": s.state
      });
      var head = el("div", { "class": "d-flex align-items-center gap-2" });
      head.appendChild(el("span", { "class": "badge prio-badge prio-" + s.priority, title: labels.priority[s.priority] || "" }, s.priority));
      head.appendChild(el("span", { "class": "incident-ref fw-semibold", dir: "ltr" }, s.reference));
      head.appendChild(el("span", { "class": "incident-age ms-auto font-monospace", "data-since": s.received_at, dir: "ltr" }, ageText(s.received_at)));
      li.appendChild(head);
      li.appendChild(el("div", { "class": "incident-what" }, categoryName(s) + (s.call_count > 1 ? " · " + s.call_count + " " + labels.text.calls : "")));
      li.appendChild(el("div", { "class": "incident-where small text-muted" }, s.address || labels.text.unknown_place));
      if (s.calls && s.calls.length) li.appendChild(self.callList(s, canDispatch));
      if (s.proposal) li.appendChild(self.proposalBox(s, canDispatch));
      if (canDispatch && s.state === "triaged" && self.incidents.size > 1) li.appendChild(self.mergeLater(s));
      if (s.requeued_at && s.state === "triaged") {
        li.appendChild(el("div", { "class": "incident-requeued small text-danger" },
          labels.text.back_on_list + (s.requeue_note ? " — " + s.requeue_note : "")));
      }
      var foot = el("div", { "class": "d-flex align-items-center gap-2 mt-1" });
      foot.appendChild(el("span", { "class": "incident-state badge text-bg-light" }, labels.state[s.state] || s.state));
      if (s.patrol) foot.appendChild(el("span", { "class": "incident-patrol badge text-bg-primary", dir: "ltr" }, s.patrol));
      if (s.state === "dispatched" && s.acknowledged_at) {
        foot.appendChild(el("span", { "class": "incident-ack badge text-bg-success" }, labels.text.acknowledged));
      }
      if (s.ack_due_at) {
        foot.appendChild(el("span", { "class": "incident-unacked badge text-bg-danger", "data-due": s.ack_due_at, hidden: "hidden" },
          labels.text.not_acknowledged));
      }
      if (canDispatch && (s.state === "triaged" || s.state === "dispatched" || s.state === "en_route")) {
        var btn = el("button", { type: "button", "class": "btn btn-sm btn-outline-danger ms-auto btn-dispatch", "data-id": s.id },
          s.state === "triaged" ? labels.text.dispatch : labels.text.reassign);
        btn.addEventListener("click", function () { self.openDispatch(s.id); });
        foot.appendChild(btn);
      }
      li.appendChild(foot);
      li.addEventListener("mouseenter", function () { var m = self.markers.get(s.id); if (m) m.openTooltip(); });
      list.appendChild(li);
      self.placeIncident(s);
    });
    document.getElementById("incident-count").textContent = String(this.incidents.size);
    document.getElementById("incident-empty").hidden = shown > 0;
    this.tick();
  };

  Board.prototype.callList = function (s, canDispatch) {
    var labels = this.labels, self = this;
    var box = el("div", { "class": "incident-calls small" });
    box.appendChild(el("span", { "class": "text-muted" }, labels.text.call_refs + ": "));
    s.calls.forEach(function (c) {
      var item = el("span", { "class": "call-ref badge text-bg-light me-1", dir: "ltr", "data-reference": c.reference }, c.reference);
      box.appendChild(item);
      if (canDispatch && s.calls.length > 1) {
        var split = el("button", { type: "button", "class": "btn btn-link btn-sm p-0 me-2 btn-split", "data-call": c.id }, labels.text.split);
        split.addEventListener("click", function () { self.act(self.root.dataset.split, c.id, {}); });
        box.appendChild(split);
      }
    });
    if (canDispatch) {
      var who = el("button", { type: "button", "class": "btn btn-link btn-sm p-0 btn-callers" }, labels.text.callers);
      var out = el("span", { "class": "callers ms-1", dir: "ltr" });
      who.addEventListener("click", function () {
        postJSON(document.getElementById("dispatch-form"), self.root.dataset.callers.replace("/0/", "/" + s.id + "/"), {})
          .then(function (res) {
            if (!res.ok) { out.textContent = res.body.message || ""; return; }
            out.textContent = res.body.map(function (c) { return c.reference + " " + (c.number || "—"); }).join(" · ");
          });
      });
      box.appendChild(who);
      box.appendChild(out);
    }
    return box;
  };

  Board.prototype.proposalBox = function (s, canDispatch) {
    var labels = this.labels, self = this, p = s.proposal;
    var names = p.category_name || {};
    var box = el("div", { "class": "incident-proposal alert alert-warning py-1 px-2 my-1 small", "data-into": p.incident_id });
    var text = labels.text.probably_same + " " + p.reference + " — " + p.distance_m + " " + labels.text.metres + ", " +
      p.minutes + " " + labels.text.apart + ", " + (names[lang] || names.ar || p.category) + " / " + categoryName(s);
    box.appendChild(el("div", { "class": "proposal-reason" }, text));
    if (canDispatch) {
      var row = el("div", { "class": "d-flex gap-2 mt-1" });
      var merge = el("button", { type: "button", "class": "btn btn-sm btn-warning btn-merge" }, labels.text.merge);
      merge.addEventListener("click", function () { self.act(self.root.dataset.merge, s.id, { into_id: p.incident_id }); });
      var apart = el("button", { type: "button", "class": "btn btn-sm btn-outline-secondary btn-keep-apart" }, labels.text.keep_apart);
      apart.addEventListener("click", function () { self.act(self.root.dataset.keepApart, s.id, {}); });
      row.appendChild(merge);
      row.appendChild(apart);
      box.appendChild(row);
    }
    return box;
  };

  // Merging later, without a proposal: the dispatcher picks the incident it is the same event as.
  Board.prototype.mergeLater = function (s) {
    var labels = this.labels, self = this;
    var box = el("details", { "class": "incident-merge-later small" });
    box.appendChild(el("summary", {}, labels.text.merge_into));
    var row = el("div", { "class": "d-flex gap-2 mt-1" });
    var select = el("select", { "class": "form-select form-select-sm", "aria-label": labels.text.merge_into });
    this.sorted().forEach(function (o) {
      if (o.id !== s.id) select.appendChild(el("option", { value: o.id }, o.reference + " · " + categoryName(o)));
    });
    var go = el("button", { type: "button", "class": "btn btn-sm btn-outline-warning btn-merge-into" }, labels.text.merge);
    go.addEventListener("click", function () { self.act(self.root.dataset.merge, s.id, { into_id: Number(select.value) }); });
    row.appendChild(select);
    row.appendChild(go);
    box.appendChild(row);
    return box;
  };

  // A small act on an incident or a call (merge, keep apart, split): the stream brings the result.
  Board.prototype.act = function (url, id, payload) {
    var self = this;
    postJSON(document.getElementById("dispatch-form"), url.replace("/0/", "/" + id + "/"), payload).then(function (res) {
      if (!res.ok) setStatus(res.body.message || "", "text-bg-danger", true);
      else if (res.body && res.body.id) self.onIncident(res.body);
    });
  };

  // Alarms recomputed every second from the snapshots: an assignment past its acknowledgement time
  // (ack_due_at, from AMANE_DISPATCH_ACK_SECONDS), a P1 waiting for a patrol.
  Board.prototype.alarms = function () {
    var labels = this.labels, now = Date.now(), out = [];
    this.sorted().forEach(function (s) {
      if (s.priority === "P1" && s.state === "triaged") out.push({ kind: "p1_waiting", text: labels.text.alarm_p1, s: s });
      if (s.ack_due_at && Date.parse(s.ack_due_at) <= now) out.push({ kind: "unacknowledged", text: labels.text.alarm_ack, s: s });
    });
    var box = document.getElementById("board-alerts");
    if (!box) return;
    var key = out.map(function (a) { return a.kind + a.s.id; }).join(",");
    if (box.dataset.key === key) return;
    var fresh = out.some(function (a) { return (box.dataset.key || "").split(",").indexOf(a.kind + a.s.id) < 0; });
    box.dataset.key = key;
    box.textContent = "";
    out.forEach(function (a) {
      box.appendChild(el("div", { "class": "alert alert-danger py-1 mb-1 board-alert", "data-kind": a.kind, "data-id": a.s.id },
        a.text + " · " + a.s.reference + (a.s.patrol ? " · " + a.s.patrol : "")));
    });
    if (fresh && soundOn()) beep(2);
  };

  Board.prototype.placeIncident = function (s) {
    if (!this.map || s.lat === null || s.lon === null || s.lat === undefined) return;
    var m = this.markers.get(s.id);
    var style = { radius: s.priority === "P1" ? 11 : 8, color: "#222", weight: 1, fillColor: PRIORITY_COLOURS[s.priority] || "#999", fillOpacity: 0.9 };
    if (!m) {
      m = L.circleMarker([s.lat, s.lon], style).addTo(this.map);
      this.markers.set(s.id, m);
    } else {
      m.setLatLng([s.lat, s.lon]).setStyle(style);
    }
    m.bindTooltip(s.reference + " · " + categoryName(s) + " · " + (this.labels.state[s.state] || s.state));
  };

  Board.prototype.renderPatrols = function () {
    var list = document.getElementById("patrol-list");
    var labels = this.labels, self = this;
    if (list) list.textContent = "";
    Array.from(this.patrols.values()).sort(function (a, b) { return a.call_sign < b.call_sign ? -1 : 1; }).forEach(function (p) {
      if (list) {
        var li = el("li", { "class": "patrol status-" + p.status, "data-id": p.id, "data-status": p.status });
        li.appendChild(el("span", { "class": "patrol-dot-inline", style: "" }));
        li.appendChild(el("span", { "class": "fw-semibold", dir: "ltr" }, p.call_sign));
        li.appendChild(document.createTextNode(" · " + (labels.patrol_status[p.status] || p.status)));
        list.appendChild(li);
      }
      self.placePatrol(p);
    });
  };

  Board.prototype.placePatrol = function (p) {
    if (!this.map || p.lat === null || p.lon === null || p.lat === undefined) return;
    var m = this.patrolMarkers.get(p.id);
    var style = { radius: 6, color: "#fff", weight: 2, fillColor: PATROL_COLOURS[p.status] || "#555", fillOpacity: 1 };
    if (!m) {
      m = L.circleMarker([p.lat, p.lon], style).addTo(this.map);
      this.patrolMarkers.set(p.id, m);
    } else {
      m.setLatLng([p.lat, p.lon]).setStyle(style);
    }
    m.bindTooltip(p.call_sign + " · " + (this.labels.patrol_status[p.status] || p.status));
  };

  Board.prototype.onIncident = function (s) {
    var known = this.incidents.get(s.id);
    if (!s.open) {
      this.incidents.delete(s.id);
      var m = this.markers.get(s.id);
      if (m && this.map) this.map.removeLayer(m);
      this.markers.delete(s.id);
    } else {
      this.incidents.set(s.id, s);
      if (s.priority === "P1" && (!known || known.priority !== "P1")) announceP1(s, this.labels);
    }
    this.renderIncidents();
  };

  Board.prototype.onPatrol = function (p) {
    this.patrols.set(p.id, p);
    this.renderPatrols();
  };

  Board.prototype.reload = function () {
    var self = this;
    fetch(this.root.dataset.state, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        self.incidents.clear();
        self.markers.forEach(function (m) { if (self.map) self.map.removeLayer(m); });
        self.markers.clear();
        data.incidents.forEach(function (s) { self.incidents.set(s.id, s); });
        data.patrols.forEach(function (p) { self.patrols.set(p.id, p); });
        self.renderIncidents();
        self.renderPatrols();
      });
  };

  Board.prototype.tick = function () {
    var now = Date.now();
    document.querySelectorAll(".incident-age[data-since]").forEach(function (node) {
      node.textContent = ageText(node.dataset.since);
    });
    document.querySelectorAll(".incident-unacked[data-due]").forEach(function (node) {
      var late = Date.parse(node.dataset.due) <= now;
      node.hidden = !late;
      node.closest("li").classList.toggle("ack-late", late);
    });
    this.alarms();
  };

  Board.prototype.setUpSearch = function () {
    var self = this;
    var form = document.getElementById("incident-search-form");
    if (!form) return;
    var input = document.getElementById("incident-search");
    var errors = document.getElementById("search-errors");
    function looksLikeNumber(q) { return /^[+0-9][0-9 .\-]{7,}$/.test(q.trim()); }
    input.addEventListener("input", function () {
      self.query = input.value;
      self.numberHits = null;
      errors.hidden = true;
      self.renderIncidents();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input.value;
      if (!looksLikeNumber(q)) { self.query = q; self.numberHits = null; self.renderIncidents(); return; }
      postJSON(form, self.root.dataset.search, { number: q }).then(function (res) {
        if (!res.ok) { errors.textContent = res.body.message || ""; errors.hidden = false; return; }
        self.numberHits = new Set(res.body.map(function (c) { return c.incident_id; }));
        errors.textContent = self.numberHits.size ? "" : self.labels.text.no_match;
        errors.hidden = !!self.numberHits.size;
        self.renderIncidents();
      });
    });
  };

  // ------------------------------------------------------------- dispatch panel

  Board.prototype.openDispatch = function (id) {
    var self = this, labels = this.labels;
    var panel = document.getElementById("dispatch-panel");
    var form = document.getElementById("dispatch-form");
    form.dataset.url = this.root.dataset.dispatch.replace("/0/", "/" + id + "/");
    form.dataset.incident = String(id);
    var url = this.root.dataset.options.replace("/0/", "/" + id + "/");
    showErrors(document.getElementById("dispatch-errors"), form, null);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var box = document.getElementById("dispatch-choices");
        box.textContent = "";
        document.getElementById("dispatch-ref").textContent = data.incident ? data.incident.reference : "";
        var first = data.suggestions && data.suggestions.length ? data.suggestions[0].id : null;
        form.dataset.first = first === null ? "" : String(first);
        function option(p, checked) {
          var idAttr = "dispatch-patrol-" + p.id;
          var wrap = el("div", { "class": "form-check" });
          var input = el("input", { "class": "form-check-input", type: "radio", name: "patrol", value: p.id, id: idAttr });
          input.checked = checked;
          var text = p.call_sign + " · " + (labels.patrol_kind[p.kind] || p.kind);
          if (p.eta_seconds !== null && p.eta_seconds !== undefined) {
            text += " · " + (p.distance_m / 1000).toFixed(1) + " " + labels.text.km + " · " + labels.text.eta + " " +
              Math.max(1, Math.round(p.eta_seconds / 60)) + " " + labels.text.minutes;
          }
          wrap.appendChild(input);
          wrap.appendChild(el("label", { "class": "form-check-label", "for": idAttr }, text));
          return wrap;
        }
        if (!data.suggestions.length && !data.others.length && !(data.preemptible || []).length) {
          box.appendChild(el("p", { "class": "small text-danger mb-0" }, labels.text.no_patrol));
        }
        if (data.suggestions.length) {
          box.appendChild(el("p", { "class": "small fw-semibold mb-1" }, labels.text.suggested));
          data.suggestions.forEach(function (p, i) { box.appendChild(option(p, i === 0)); });
        }
        if (data.others.length) {
          box.appendChild(el("p", { "class": "small fw-semibold mb-1 mt-1" }, labels.text.other));
          data.others.forEach(function (p) { box.appendChild(option(p, false)); });
        }
        if (data.preemptible && data.preemptible.length) {
          box.appendChild(el("p", { "class": "small fw-semibold mb-1 mt-1" }, labels.text.preemptible));
          data.preemptible.forEach(function (p) {
            var row = option(p, false);
            var input = row.querySelector("input");
            input.dataset.preempt = "1";
            if (!data.suggestions.length && !data.others.length && p === data.preemptible[0]) input.checked = true;
            row.querySelector("label").textContent += " · " + p.incident_reference + " (" + p.incident_priority + ")";
            box.appendChild(row);
          });
        }
        var warn = document.getElementById("dispatch-warnings");
        warn.textContent = "";
        (data.warnings || []).forEach(function (w) {
          warn.appendChild(el("div", { "class": "dispatch-warning", "data-code": w.code }, w.message));
        });
        warn.hidden = !(data.warnings || []).length;
        self.syncOverride();
        panel.hidden = false;
        var checked = form.querySelector("input[name=patrol]:checked");
        (checked || document.getElementById("dispatch-confirm")).focus();
      });
  };

  Board.prototype.syncOverride = function () {
    var form = document.getElementById("dispatch-form");
    var checked = form.querySelector("input[name=patrol]:checked");
    var preempt = !!(checked && checked.dataset.preempt);
    document.getElementById("dispatch-preempt").hidden = !preempt;
    document.getElementById("dispatch-override").hidden = preempt || !checked || !form.dataset.first || checked.value === form.dataset.first;
  };

  Board.prototype.setUpDispatch = function () {
    var self = this;
    var form = document.getElementById("dispatch-form");
    var panel = document.getElementById("dispatch-panel");
    if (!form) return;
    form.addEventListener("change", function () { self.syncOverride(); });
    document.getElementById("dispatch-close").addEventListener("click", function () { panel.hidden = true; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = document.getElementById("dispatch-confirm");
      button.disabled = true;
      var checked = form.querySelector("input[name=patrol]:checked");
      var preempt = !!(checked && checked.dataset.preempt);
      var payload = preempt ? {
        patrol_id: Number(checked.value),
        reason: form.querySelector("[name=reason]").value
      } : {
        patrol_id: checked ? Number(checked.value) : null,
        override_reason: form.querySelector("[name=override_reason]").value
      };
      var url = preempt ? self.root.dataset.preempt.replace("/0/", "/" + form.dataset.incident + "/") : form.dataset.url;
      postJSON(form, url, payload).then(function (res) {
        button.disabled = false;
        if (res.ok) {
          panel.hidden = true;
          form.reset();
          var done = preempt ? self.labels.text.preempted : self.labels.text.dispatched;
          setStatus(done + " · " + res.body.patrol.call_sign, "text-bg-success", true);
        } else {
          showErrors(document.getElementById("dispatch-errors"), form, res.body);
        }
      });
    });
  };

  // ------------------------------------------------------------- call form

  Board.prototype.setUpCallForm = function () {
    var form = document.getElementById("call-form");
    if (!form) return;
    var labels = this.labels;
    var categories = {};
    (readJSON("board-categories") || []).forEach(function (c) { categories[c.code] = c; });
    var select = form.querySelector("[name=category]");
    var box = document.getElementById("call-questions");
    var listBox = document.getElementById("call-questions-list");
    var shown = document.getElementById("call-priority");

    function priority() {
      var c = categories[select.value];
      if (!c) return "—";
      var level = Number(c.priority.slice(1));
      c.questions.forEach(function (q) {
        var v = form.querySelector("[name=q_" + q.code + "]");
        if (v && v.value === "yes") level += q.yes;
        if (v && v.value === "no") level += q.no;
      });
      return "P" + Math.min(Math.max(level, 1), 4);
    }
    function renderQuestions() {
      var c = categories[select.value];
      listBox.textContent = "";
      box.hidden = !c;
      if (!c) return;
      c.questions.forEach(function (q) {
        var id = "call-q-" + q.code;
        var row = el("div", { "class": "d-flex align-items-center gap-2 mb-1" });
        row.appendChild(el("label", { "class": "small flex-grow-1", "for": id }, q.text));
        var s = el("select", { "class": "form-select form-select-sm w-auto", name: "q_" + q.code, id: id });
        [["", labels.text.unknown], ["yes", labels.text.yes], ["no", labels.text.no]].forEach(function (o) {
          s.appendChild(el("option", { value: o[0] }, o[1]));
        });
        row.appendChild(s);
        listBox.appendChild(row);
      });
      shown.textContent = priority();
    }
    select.addEventListener("change", renderQuestions);
    listBox.addEventListener("change", function () { shown.textContent = priority(); });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = document.getElementById("call-submit");
      button.disabled = true;
      var answers = {};
      form.querySelectorAll("select[name^=q_]").forEach(function (q) {
        if (q.value === "yes" || q.value === "no") answers[q.name.slice(2)] = q.value === "yes";
      });
      var payload = {
        caller_number: form.elements.caller_number.value,
        language: form.elements.language.value,
        category: form.elements.category.value,
        answers: answers,
        description: form.elements.description.value,
        address: form.elements.address.value,
        latitude: coordinate(form.elements.latitude.value),
        longitude: coordinate(form.elements.longitude.value)
      };
      postJSON(form, form.action, payload).then(function (res) {
        button.disabled = false;
        var result = document.getElementById("call-result");
        if (res.ok) {
          showErrors(document.getElementById("call-errors"), form, null);
          result.textContent = labels.text.call_taken + ": " + res.body.reference + " (" + res.body.priority + ")";
          form.reset();
          renderQuestions();
        } else {
          result.textContent = "";
          showErrors(document.getElementById("call-errors"), form, res.body);
        }
      });
    });
  };

  // ------------------------------------------------------------- the stream

  var statusTimer = null;
  function setStatus(text, cls, transient) {
    var badge = document.getElementById("live-status");
    if (!badge) return;
    badge.className = "badge " + cls;
    badge.textContent = text;
    if (transient) {
      clearTimeout(statusTimer);
      statusTimer = setTimeout(function () { if (window.amaneLive) window.amaneLive.showConnected(); }, 4000);
    }
  }

  function connect(url, handlers, labels) {
    if (!window.EventSource || !url) return null;
    var source = new EventSource(url);
    var lost = false;
    var api = {
      source: source,
      showConnected: function () { if (labels) setStatus(labels.text.connected, "text-bg-success", false); }
    };
    source.addEventListener("open", function () {
      api.showConnected();
      document.documentElement.dataset.live = "open";
      if (lost && handlers.resync) handlers.resync();
      lost = false;
    });
    source.addEventListener("error", function () {
      lost = true;
      document.documentElement.dataset.live = "lost";
      if (labels) setStatus(labels.text.reconnecting, "text-bg-warning", false);
    });
    // The server ends a stream it will not serve again as it is (too many open pages, or the
    // session ended or lost its rights): stop reconnecting and say why.
    ["refused", "ended"].forEach(function (kind) {
      source.addEventListener(kind, function (e) {
        source.close();
        document.documentElement.dataset.live = kind;
        var message = "";
        try { message = JSON.parse(e.data).message; } catch (err) { message = ""; }
        if (labels) setStatus(message, "text-bg-danger", false);
      });
    });
    ["incident", "patrol"].forEach(function (topic) {
      source.addEventListener(topic, function (e) {
        var data;
        try { data = JSON.parse(e.data); } catch (err) { return; }
        if (handlers[topic]) handlers[topic](data);
        document.dispatchEvent(new CustomEvent("amane:live", { detail: { topic: topic, data: data } }));
      });
    });
    return api;
  }
  window.amaneConnect = connect;

  // ------------------------------------------------------------- the panel

  function setUpPanel(panel) {
    var url = panel.dataset.fragment;
    var pending = false, again = false;
    function refresh() {
      if (pending) { again = true; return; }
      pending = true;
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
        if (html !== null) panel.innerHTML = html;
        panel.dataset.refreshed = String(Date.now());
      }).finally(function () {
        pending = false;
        if (again) { again = false; setTimeout(refresh, 300); }
      });
    }
    // Refreshed on each change pushed by the stream (coalesced), and every few seconds anyway.
    window.amaneLive = connect(panel.dataset.stream, { incident: refresh, resync: refresh }, null);
    setInterval(refresh, Number(panel.dataset.every || 10000));
  }

  // Loaded with `defer`: the document is parsed when this runs.
  (function start() {
    var panel = document.getElementById("panel-body");
    if (panel) setUpPanel(panel);
    var root = document.getElementById("board");
    if (!root) return;
    var labels = readJSON("board-labels");
    var board = new Board(root, labels);
    setUpSound();
    board.setUpCallForm();
    board.setUpDispatch();
    board.setUpSearch();
    var close = document.getElementById("p1-banner-close");
    if (close) close.addEventListener("click", function () { document.getElementById("p1-banner").hidden = true; });
    window.amaneBoard = board;
    window.amaneLive = connect(root.dataset.stream, {
      incident: function (s) { board.onIncident(s); },
      patrol: function (p) { board.onPatrol(p); },
      resync: function () { board.reload(); }
    }, labels);
  })();
})();
