/* Offline base map for Leaflet: Morocco's regions, provinces, communes and place labels, drawn from
 * static GeoJSON under /static/amane/basemap/ (built by scripts/build_gazetteer.py). No tile server
 * is needed; when a tiles URL template is given, a tile layer is added under the boundaries.
 *
 *   AmaneBasemap.add(map, {
 *     tilesUrl: "",                        // e.g. the AMANE_MAP_TILES_URL setting; empty = offline
 *     labelsLang: "ar",                    // default: "ar" when <html lang="ar…">, else "fr"
 *     layers: ["regions", "provinces", "labels"],   // and "communes" (1.6 MB, shown from zoom 9)
 *                                                   // and "stations" (police stations, stations.json,
 *                                                   // written by `manage.py basemap_stations`)
 * Labels: regions up to zoom 6, cities by size from zoom 4 (the capital always), provinces from 8,
 * arrondissements from 11, neighbourhoods from 13; a label that would overlap a bigger one is left out.
 *     baseUrl: "/static/amane/basemap/",
 *   }).then(function (basemap) { basemap.layers.provinces ... });
 *
 * Vanilla JS, no build step; needs Leaflet 1.9 (static/vendor/leaflet).
 */
(function (global) {
  "use strict";

  var DEFAULTS = {
    tilesUrl: "",
    labelsLang: null,
    layers: ["regions", "provinces", "labels"],
    baseUrl: "/static/amane/basemap/",
    cssUrl: "/static/css/basemap.css",
    tilesAttribution: "© OpenStreetMap",
    communesMinZoom: 9,
  };
  var SEA = "#d7e6ee";
  // Light fill for land, thin grey lines; lighter as the units get smaller.
  var STYLES = {
    regions: { color: "#6b7785", weight: 1.4, opacity: 0.9, fillColor: "#f3f0e8", fillOpacity: 1 },
    provinces: { color: "#98a3ae", weight: 0.8, opacity: 0.9, fill: false },
    communes: { color: "#b9c2ca", weight: 0.5, opacity: 0.9, fill: false, dashArray: "2 3" },
  };
  // Cities shown at each zoom: population threshold (labels.json holds cities of 20,000 or more).
  var CITY_MIN_POPULATION = { 4: 900000, 5: 450000, 6: 200000, 7: 90000, 8: 45000 };
  var STATION_LABEL_MIN_ZOOM = 12;

  // static/css/basemap.css, unless the page already links it (the Content-Security-Policy refuses
  // an injected <style>, not a style sheet of this server).
  function injectCss(url) {
    if (document.querySelector('link[href*="basemap"]')) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = url;
    document.head.appendChild(link);
  }

  function pageLang() {
    var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
    return lang.indexOf("ar") === 0 ? "ar" : "fr";
  }

  function loadJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return r.json();
    });
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // Which labels to show at a zoom level.
  function wanted(label, zoom) {
    if (label.kind === "region") return zoom <= 6;
    if (label.kind === "province") return zoom >= 8;
    if (label.kind === "arrondissement") return zoom >= 11;
    if (label.kind === "neighbourhood") return zoom >= 13;
    if (label.capital || zoom >= 9) return true;
    return (label.population || 0) >= CITY_MIN_POPULATION[Math.min(8, Math.max(4, Math.floor(zoom)))];
  }

  // Greedy placement: biggest first, a label is dropped when its box overlaps one already placed.
  function placeLabels(map, group, labels, lang) {
    group.clearLayers();
    var zoom = map.getZoom();
    var bounds = map.getBounds().pad(0.2);
    var dir = lang === "ar" ? "rtl" : "ltr";
    var boxes = [];
    labels.forEach(function (label) {
      if (!wanted(label, zoom) || !bounds.contains([label.lat, label.lon])) return;
      var text = lang === "ar" ? label.name_ar : label.name_fr;
      var p = map.latLngToContainerPoint([label.lat, label.lon]);
      var w = text.length * 7 + 8;
      var box = [p.x - w / 2, p.y - 16, p.x + w / 2, p.y + 4];
      var clash = boxes.some(function (b) {
        return box[0] < b[2] && box[2] > b[0] && box[1] < b[3] && box[3] > b[1];
      });
      if (clash) return;
      boxes.push(box);
      var icon = L.divIcon({
        className: "amane-basemap-label " + label.kind,
        html: (label.kind === "city" ? "<i></i>" : "") + '<span dir="' + dir + '">' + escapeHtml(text) + "</span>",
        iconSize: [0, 0],
      });
      group.addLayer(L.marker([label.lat, label.lon], { icon: icon, interactive: false, keyboard: false }));
    });
  }

  // Placement order: the capital, cities by size, then regions and provinces in the space left.
  function byImportance(a, b) {
    var rank = { city: 1, region: 2, province: 3, arrondissement: 4, neighbourhood: 5 };
    var ra = a.capital ? 0 : rank[a.kind];
    var rb = b.capital ? 0 : rank[b.kind];
    return ra - rb || (b.population || 0) - (a.population || 0);
  }

  // Police stations: always drawn (they are few), named from zoom 12, in the page's language.
  function addStations(map, stations, lang) {
    var group = L.layerGroup().addTo(map);
    var dir = lang === "ar" ? "rtl" : "ltr";
    // Place labels exist in Arabic and French; stations are named in English too.
    var page = (document.documentElement.getAttribute("lang") || "").slice(0, 2).toLowerCase();
    var nameLang = lang === "fr" && page === "en" ? "en" : lang;
    var draw = function () {
      group.clearLayers();
      var named = map.getZoom() >= STATION_LABEL_MIN_ZOOM;
      stations.forEach(function (station) {
        var name = station["name_" + nameLang] || station.name_fr;
        var html = "<i></i>" + (named ? '<span dir="' + dir + '">' + escapeHtml(name) + "</span>" : "");
        var icon = L.divIcon({ className: "amane-station " + station.kind, html: html, iconSize: [0, 0] });
        group.addLayer(
          L.marker([station.lat, station.lon], { icon: icon, interactive: false, keyboard: false, zIndexOffset: -100 })
        );
      });
    };
    map.on("zoomend", draw);
    draw();
    return group;
  }

  function addBoundaries(map, name, data, opts, tiles) {
    var style = Object.assign({}, STYLES[name]);
    if (tiles && name === "regions") style.fillOpacity = 0; // the tiles show the land (see tileerror)
    var layer = L.geoJSON(data, { style: style, interactive: false });
    if (name === "communes") {
      var toggle = function () {
        var show = map.getZoom() >= opts.communesMinZoom;
        if (show && !map.hasLayer(layer)) layer.addTo(map);
        if (!show && map.hasLayer(layer)) map.removeLayer(layer);
      };
      map.on("zoomend", toggle);
      toggle();
    } else {
      layer.addTo(map);
    }
    return layer;
  }

  function add(map, options) {
    var opts = Object.assign({}, DEFAULTS, options || {});
    var lang = opts.labelsLang || pageLang();
    var result = { layers: {}, labels: null, tiles: null, lang: lang };
    injectCss(opts.cssUrl);
    result.offline = !opts.tilesUrl;
    if (opts.tilesUrl) {
      result.tiles = L.tileLayer(opts.tilesUrl, { maxZoom: 19, attribution: opts.tilesAttribution }).addTo(map);
      // A tile server out of reach: drop the tiles and draw the offline map (sea, filled land).
      result.tiles.once("tileerror", function () {
        map.removeLayer(result.tiles);
        result.offline = true;
        map.getContainer().style.background = SEA;
        if (result.layers.regions) result.layers.regions.setStyle({ fillOpacity: STYLES.regions.fillOpacity });
      });
    } else {
      map.getContainer().style.background = SEA;
    }
    var names = ["regions", "provinces", "communes"].filter(function (n) {
      return opts.layers.indexOf(n) >= 0;
    });
    var loads = names.map(function (name) {
      return loadJson(opts.baseUrl + name + ".geojson").then(function (data) {
        return [name, data];
      });
    });
    if (opts.layers.indexOf("stations") >= 0) {
      loads.push(
        loadJson(opts.baseUrl + "stations.json").then(function (data) {
          return ["stations", data];
        })
      );
    }
    if (opts.layers.indexOf("labels") >= 0) {
      loads.push(
        loadJson(opts.baseUrl + "labels.json").then(function (data) {
          return ["labels", data];
        })
      );
    }
    return Promise.all(loads).then(function (loaded) {
      // Draw in a fixed order (regions under provinces under communes) whatever arrived first.
      loaded.sort(function (a, b) {
        return names.indexOf(a[0]) - names.indexOf(b[0]);
      });
      loaded.forEach(function (pair) {
        if (pair[0] === "labels" || pair[0] === "stations") return;
        result.layers[pair[0]] = addBoundaries(map, pair[0], pair[1], opts, !result.offline);
      });
      var labels = loaded.filter(function (pair) {
        return pair[0] === "labels";
      })[0];
      if (labels) {
        var sorted = labels[1].slice().sort(byImportance);
        result.labels = L.layerGroup().addTo(map);
        var redraw = function () {
          placeLabels(map, result.labels, sorted, lang);
        };
        map.on("zoomend moveend", redraw);
        redraw();
      }
      var stations = loaded.filter(function (pair) {
        return pair[0] === "stations";
      })[0];
      if (stations) result.layers.stations = addStations(map, stations[1], lang);
      return result;
    });
  }

  // The Kingdom's extent, southern provinces included.
  var MOROCCO_BOUNDS = [
    [20.7, -17.2],
    [35.95, -0.95],
  ];

  global.AmaneBasemap = {
    add: add,
    loadJson: loadJson,
    MOROCCO_BOUNDS: MOROCCO_BOUNDS,
    fitMorocco: function (map) {
      map.fitBounds(MOROCCO_BOUNDS);
    },
  };
})(window);
