/* minsheng-kg view page: draws the network, builds tooltips as DOM text, searches names.
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

  function focusNode(id) {
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
    if (data.big) network.setOptions({ physics: { enabled: false } });
    progress.className = "kg-done";
    window.__kgStabilizedMs = performance.now();
    window.__kgStabilized = true;
    if (data.focus) focusNode(data.focus);
  }
  network.on("stabilizationProgress", function (p) {
    progress.textContent = "布局计算中… " + Math.round((100 * p.iterations) / Math.max(1, p.total)) + "%";
  });
  network.once("stabilizationIterationsDone", stabilized);
  if (!data.nodes.length) {
    window.__kgStabilizedMs = performance.now();
    window.__kgStabilized = true;
  }

  window.kg = { network: network, nodes: nodes, edges: edges, search: search, find: find, focus: focusNode };
})();
