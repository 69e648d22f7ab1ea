// The atlas's one script: search over every name and alias, sortable tables, map colours by sector.
// No network: the search index is assets/search-index.js, loaded by a <script> element (works from
// file://) the first time the box is used. Every result is built with textContent, never innerHTML.
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";

  // -- search ------------------------------------------------------------------------------------
  var box = document.getElementById("kg-search");
  var list = document.getElementById("kg-search-results");
  var loading = null;

  function loadIndex() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.KG_ATLAS_INDEX) { resolve(window.KG_ATLAS_INDEX); return; }
        var s = document.createElement("script");
        s.src = root + "assets/search-index.js";
        s.onload = function () { resolve(window.KG_ATLAS_INDEX || []); };
        s.onerror = function () { reject(new Error("search index missing")); };
        document.head.appendChild(s);
      });
    }
    return loading;
  }

  function normal(text) {
    return String(text).replace(/[\s"'“”‘’《》「」]/g, "").toLowerCase();
  }

  // [label, aliases, path, class] rows; exact names first, then prefixes, then any substring
  function search(index, query) {
    var q = normal(query);
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var row = index[i], names = [row[0]].concat(row[1]), best = 9;
      for (var j = 0; j < names.length; j++) {
        var n = normal(names[j]);
        var rank = n === q ? 0 : n.indexOf(q) === 0 ? 1 : n.indexOf(q) > 0 ? 2 : 9;
        if (rank < best) best = rank;
      }
      if (best < 9) hits.push([best, row[0].length, i]);
      if (best === 0 && hits.length > 2000) break;
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return hits.slice(0, 20).map(function (h) { return index[h[2]]; });
  }

  function show(rows) {
    list.textContent = "";
    rows.forEach(function (row, k) {
      var li = document.createElement("li"), a = document.createElement("a"), c = document.createElement("span");
      a.href = root + row[2];
      a.textContent = row[0];
      c.className = "cls";
      c.textContent = " " + row[3] + (row[1].length ? " · " + row[1].join("、") : "");
      li.appendChild(a);
      li.appendChild(c);
      if (k === 0) li.className = "active";
      list.appendChild(li);
    });
    if (!rows.length && box.value.trim()) {
      var none = document.createElement("li");
      none.textContent = "未找到";
      list.appendChild(none);
    }
    list.hidden = !box.value.trim();
  }

  window.kgAtlas = {
    search: function (query) { return loadIndex().then(function (index) { return search(index, query); }); }
  };

  if (box) {
    box.addEventListener("focus", loadIndex);
    box.addEventListener("input", function () {
      var query = box.value;
      loadIndex().then(function (index) { if (box.value === query) show(search(index, query)); });
    });
    box.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var first = list.querySelector("li.active a");
        if (first) window.location.href = first.href;
      } else if (ev.key === "Escape") {
        list.hidden = true;
      }
    });
  }

  // -- sortable tables: click a header; numbers as numbers ----------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var numeric = th.getAttribute("data-type") === "number";
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          var v = cell.getAttribute("data-sort");
          if (v === null) v = cell.textContent.trim();
          return numeric ? (parseFloat(v) || 0) : v;
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var d = numeric ? x - y : x.localeCompare(y, "zh-CN");
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // -- the map: recolour by the chosen sector (the same log scale as kg/atlas/map.py) -------------
  var svg = document.getElementById("kg-map"), select = document.getElementById("kg-sector");
  if (svg && select) {
    var palette = svg.getAttribute("data-palette").split(" ");
    var paths = Array.prototype.slice.call(svg.querySelectorAll("path[data-counts]"));
    var colourClass = function (n, most) {
      if (n <= 0 || most <= 0) return 0;
      return Math.max(1, Math.min(5, Math.ceil(5 * Math.log(n + 1) / Math.log(most + 1))));
    };
    var recolour = function () {
      var key = select.value;
      var counts = paths.map(function (p) { return JSON.parse(p.getAttribute("data-counts"))[key] || 0; });
      var most = Math.max.apply(null, counts.concat([0]));
      paths.forEach(function (p, i) {
        p.setAttribute("fill", palette[colourClass(counts[i], most)]);
        var title = p.querySelector("title");
        title.textContent = title.textContent.replace(/：\d+ 个项目$/, "：" + counts[i] + " 个项目");
      });
      document.getElementById("kg-legend-text").textContent = "0 – " + most + " 个项目";
    };
    select.addEventListener("change", recolour);
  }
})();
