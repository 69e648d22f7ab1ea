/* minsheng-kg view page: draws the network, builds tooltips as DOM text, searches names,
   hides and shows classes and link types from the legend, and stops the layout once it settles.
   Corpus text only ever reaches the page through textContent and DOM properties. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var progress = document.getElementById("kg-progress");
  var statusEl = document.getElementById("kg-search-status");
  var details = document.getElementById("kg-details");
  var input = document.getElementById("kg-search");
  window.__kgStabilized = false;

  function tipElement(rows) {
    var box = document.createElement("div");
    box.className = "kg-tip";
    (rows || []).forEach(function (row) {
      var el = document.createElement(row[0] === "q" ? "blockquote" : "div");
      el.className = "kg-tip-" + row[0];
      if (row[0] === "k") {
        var key = document.createElement("span");
        key.className = "kg-tip-key";
        key.textContent = row[1] + "：";
        el.appendChild(key);
        el.appendChild(document.createTextNode(row[2]));
      } else {
        el.textContent = row[1];
      }
      box.appendChild(el);
    });
    return box;
  }

  data.nodes.forEach(function (n) { n.title = tipElement(n.tip); });
  data.edges.forEach(function (e) { e.title = tipElement(e.tip); });

  // what the legend hides; a hidden node or link takes no part in the layout either
  var hidden = { classes: {}, links: {} };
  data.hidden.classes.forEach(function (c) { hidden.classes[c] = true; });
  data.hidden.links.forEach(function (l) { hidden.links[l] = true; });
  var classOf = {}, neighbours = {};
  data.nodes.forEach(function (n) { classOf[n.id] = n.cls; neighbours[n.id] = []; });
  data.edges.forEach(function (e) { neighbours[e.from].push(e.to); neighbours[e.to].push(e.from); });
  function nodeHidden(id) { return hidden.classes[classOf[id]] === true; }
  function edgeHidden(e) { return hidden.links[e.link] === true || nodeHidden(e.from) || nodeHidden(e.to); }
  data.nodes.forEach(function (n) { n.hidden = nodeHidden(n.id); n.physics = !n.hidden; });
  data.edges.forEach(function (e) { e.hidden = edgeHidden(e); e.physics = !e.hidden; });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(document.getElementById("kg-network"), { nodes: nodes, edges: edges }, data.options);

  function showDetails(rows) {
    while (details.firstChild) details.removeChild(details.firstChild);
    if (rows) details.appendChild(tipElement(rows));
  }

  function norm(text) {
    return String(text).normalize("NFKC").trim().replace(/^[\u201c\u201d\u2018\u2019\u300c\u300d"']+|[\u201c\u201d\u2018\u2019\u300c\u300d"']+$/g, "").toLowerCase();
  }

  var index = data.nodes.map(function (n) {
    return { id: n.id, label: n.label, deg: n.deg || 0, names: (n.names || [n.label]).map(norm) };
  });

  function find(query) {
    var key = norm(query);
    if (!key) return [];
    var hits = [];
    index.forEach(function (entry) {
      var rank = 9;
      entry.names.forEach(function (name) {
        var at = name.indexOf(key);
        var r = name === key ? 0 : at === 0 ? 1 : at > 0 ? 2 : 9;
        if (r < rank) rank = r;
      });
      if (rank < 9) hits.push({ id: entry.id, rank: rank, deg: entry.deg, len: entry.label.length });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || b.deg - a.deg || a.len - b.len || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return hits.map(function (h) { return h.id; });
  }

  var placed = {};  // nodes with a position from the layout (or set beside a neighbour when shown)
  var GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
  function placeBesideNeighbours(ids) {
    // nodes shown after the layout stopped: a small sunflower around their first laid-out neighbour
    var around = {}, updates = [];
    ids.forEach(function (id) {
      if (placed[id]) return;
      var anchor = neighbours[id].filter(function (m) { return placed[m] && !nodeHidden(m); })[0];
      var centre = anchor ? network.getPositions([anchor])[anchor] : network.getViewPosition();
      var k = around[anchor] = (around[anchor] || 0) + 1;
      var r = 40 + 18 * Math.sqrt(k);
      updates.push({ id: id, x: centre.x + r * Math.cos(k * GOLDEN_ANGLE), y: centre.y + r * Math.sin(k * GOLDEN_ANGLE) });
      placed[id] = true;
    });
    nodes.update(updates);
  }

  function sizeLabels() {
    // the biggest nodes' labels are LABEL_PX on screen at the current zoom; the others keep their
    // size and show once zoomed in far enough (vis-network's drawThreshold)
    var scale = network.getScale();
    var shown = nodes.get({ filter: function (n) { return !n.hidden; } });
    shown.sort(function (a, b) { return (b.deg || 0) - (a.deg || 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    // biggest first, skipping a label that would cover one already enlarged (boxes in canvas units:
    // CJK glyphs are about 1em wide, the label sits below the node)
    var top = Math.max(16, Math.round(shown.length / 10)), size = Math.max(data.labels.px, data.labels.px / scale);
    var positions = network.getPositions(shown.map(function (n) { return n.id; })), boxes = [];
    nodes.update(shown.map(function (n) {
      var p = positions[n.id], w = String(n.label).length * size, y = p.y + (n.size || 10);
      var box = { x0: p.x - w / 2 - size, x1: p.x + w / 2 + size, y0: y, y1: y + 1.4 * size };  // a glyph of room
      var free = boxes.length < top && boxes.every(function (b) {
        return box.x1 < b.x0 || box.x0 > b.x1 || box.y1 < b.y0 || box.y0 > b.y1;
      });
      if (free) boxes.push(box);
      return { id: n.id, font: { size: free ? size : data.labels.px } };
    }));
  }

  var countsEl = document.getElementById("kg-counts");
  function showCounts() {
    var n = nodes.get({ filter: function (x) { return !x.hidden; } }).length;
    var e = edges.get({ filter: function (x) { return !x.hidden; } }).length;
    countsEl.textContent = n === nodes.length && e === edges.length
      ? n + " 个节点 · " + e + " 条关系"
      : "显示 " + n + "/" + nodes.length + " 个节点 · " + e + "/" + edges.length + " 条关系";
  }

  function setHidden(kind, key, off) {
    (kind === "class" ? hidden.classes : hidden.links)[key] = off;
    var nodeUpdates = [], shown = [], edgeUpdates = [];
    nodes.forEach(function (n) {
      var h = nodeHidden(n.id);
      if (h !== (n.hidden === true)) {
        nodeUpdates.push({ id: n.id, hidden: h, physics: !h });
        if (!h) shown.push(n.id);
      }
    });
    nodes.update(nodeUpdates);
    edges.forEach(function (e) {
      var h = edgeHidden(e);
      if (h !== (e.hidden === true)) edgeUpdates.push({ id: e.id, hidden: h, physics: !h });
    });
    edges.update(edgeUpdates);
    if (window.__kgStabilized) {  // before that, the running layout places them
      placeBesideNeighbours(shown);
      sizeLabels();
    }
    var selector = kind === "class" ? '[data-class="' + key + '"]' : '[data-link="' + key + '"]';
    Array.prototype.forEach.call(document.querySelectorAll("#kg-legend li" + selector), function (li) {
      li.classList.toggle("kg-off", off);
      li.setAttribute("aria-pressed", off ? "false" : "true");
    });
    showCounts();
  }

  Array.prototype.forEach.call(document.querySelectorAll("#kg-legend li[data-class], #kg-legend li[data-link]"), function (li) {
    var kind = li.hasAttribute("data-class") ? "class" : "link";
    var key = li.getAttribute(kind === "class" ? "data-class" : "data-link");
    function toggle() { setHidden(kind, key, !(kind === "class" ? hidden.classes : hidden.links)[key]); }
    li.addEventListener("click", toggle);
    li.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
    });
  });

  function focusNode(id) {
    if (nodeHidden(id)) setHidden("class", classOf[id], false);  // a found or focused node is shown
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showDetails(nodes.get(id).tip);
  }

  var last = { key: null, hits: [], pos: 0 };
  function search(query) {
    var key = norm(query);
    if (key && key === last.key && last.hits.length) {
      last.pos = (last.pos + 1) % last.hits.length;  // the same query again: the next match
    } else {
      last = { key: key, hits: find(query), pos: 0 };
    }
    if (!last.hits.length) {
      network.unselectAll();
      showDetails(null);
      statusEl.textContent = key ? "未找到 “" + query + "”" : "";
      return null;
    }
    var id = last.hits[last.pos];
    focusNode(id);
    statusEl.textContent = (last.pos + 1) + "/" + last.hits.length + "：" + nodes.get(id).label;
    return id;
  }

  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(input.value);
  });

  // names for the browser's autocompletion (skipped for very big views: the list would be the slow part)
  var names = document.getElementById("kg-names");
  var seen = {};
  var total = 0;
  data.nodes.forEach(function (n) { total += (n.names || []).length; });
  if (total <= 5000) {
    data.nodes.forEach(function (n) {
      (n.names || []).forEach(function (name) {
        if (seen[name]) return;
        seen[name] = true;
        var option = document.createElement("option");
        option.value = name;
        names.appendChild(option);
      });
    });
  }

  network.on("click", function (params) {
    if (params.nodes.length) showDetails(nodes.get(params.nodes[0]).tip);
    else if (params.edges.length) showDetails(edges.get(params.edges[0]).tip);
    else showDetails(null);
  });

  function stabilized() {
    if (window.__kgStabilized) return;
    // at every size: vis-network's minVelocity is not reached on a few hundred nodes, and the
    // page would animate (and burn CPU) for good
    network.setOptions({ physics: { enabled: false } });
    nodes.forEach(function (n) { if (!n.hidden) placed[n.id] = true; });
    sizeLabels();
    progress.className = "kg-done";
    window.__kgStabilizedMs = performance.now();
    window.__kgStabilized = true;
    if (data.focus) focusNode(data.focus);
  }
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "布局计算中… " + Math.round((100 * p.iterations) / Math.max(1, p.total)) + "%";
  });
  network.once("stabilizationIterationsDone", stabilized);
  showCounts();
  if (!data.nodes.length) {
    window.__kgStabilizedMs = performance.now();
    window.__kgStabilized = true;
  }

  window.kg = { network: network, nodes: nodes, edges: edges, search: search, find: find, focus: focusNode,
                 setHidden: setHidden, hidden: hidden };
})();
