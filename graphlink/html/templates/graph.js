/* graphlink graph page.  Every string from the data is put on the page with
   textContent or as a DOM property, never parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graphlink-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* An evidence card: kind, title, then a two-column table of facts. */
  function card(kindName, title, rows) {
    var box = el("div", "gl-tip");
    box.appendChild(el("div", "gl-tip-kind", kindName));
    box.appendChild(el("div", "gl-tip-title", title));
    if (rows && rows.length) {
      var table = el("table");
      var body = el("tbody");
      rows.forEach(function (row) {
        var tr = el("tr");
        tr.appendChild(el("th", null, row[0]));
        tr.appendChild(el("td", null, row[1]));
        body.appendChild(tr);
      });
      table.appendChild(body);
      box.appendChild(table);
    }
    return box;
  }

  var kinds = {};
  data.kinds.forEach(function (k) { kinds[k.kind] = k; });
  function kindName(kind) { return kinds[kind] ? kinds[kind].name : String(kind); }

  var byId = {};
  data.nodes.forEach(function (n) {
    byId[n.id] = n;
    n.title = card(kindName(n.kind), n.full, n.tip);
  });
  data.edges.forEach(function (e) {
    e.title = card(e.heading, e.caption, e.tip);
  });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("gl-graph");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  network.fit({ animation: false, maxZoomLevel: 1.5 });
  window.graphlinkNetwork = network;
  window.graphlinkNodes = nodes;
  window.graphlinkEdges = edges;
  network.once("afterDrawing", function () {
    document.body.setAttribute("data-ready", "true");
  });

  /* Details of the selected node or link, pinned in the side panel. */
  var details = document.getElementById("gl-details");
  function showDetails(box) {
    while (details.firstChild) { details.removeChild(details.firstChild); }
    details.appendChild(box || el("p", "gl-note", "Nothing selected."));
  }
  network.on("select", function (params) {
    if (params.nodes.length) {
      var n = byId[params.nodes[0]];
      showDetails(card(kindName(n.kind), n.full, n.tip));
    } else if (params.edges.length) {
      var e = edges.get(params.edges[0]);
      showDetails(card(e.heading, e.caption, e.tip));
    } else {
      showDetails(null);
    }
  });

  /* Legend with a filter per identifier kind: hiding sets `hidden` on the
     nodes of that kind (their links hide with them); the rest stays drawn. */
  function swatch(shape, color, border) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    var item;
    var points = {
      diamond: "8,1 15,8 8,15 1,8",
      triangle: "8,1.5 15,14 1,14",
      triangleDown: "1,2 15,2 8,14.5",
      hexagon: "4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8",
      star: "8,0.8 10.1,5.6 15.3,5.8 11.3,9.2 12.6,14.4 8,11.5 3.4,14.4 4.7,9.2 0.7,5.8 5.9,5.6"
    };
    if (shape === "dot" || shape === "ellipse" || shape === "circle") {
      item = document.createElementNS(SVG, "circle");
      item.setAttribute("cx", "8");
      item.setAttribute("cy", "8");
      item.setAttribute("r", "6.5");
    } else if (points[shape]) {
      item = document.createElementNS(SVG, "polygon");
      item.setAttribute("points", points[shape]);
    } else {
      item = document.createElementNS(SVG, "rect");
      item.setAttribute("x", "2");
      item.setAttribute("y", "2");
      item.setAttribute("width", "12");
      item.setAttribute("height", "12");
    }
    item.setAttribute("fill", color);
    item.setAttribute("stroke", border);
    item.setAttribute("stroke-width", "1.2");
    svg.appendChild(item);
    return svg;
  }

  var hiddenKinds = {};
  var boxes = {};
  function setKindVisible(kind, visible) {
    hiddenKinds[kind] = !visible;
    var updates = [];
    data.nodes.forEach(function (n) {
      if (n.kind === kind) { updates.push({ id: n.id, hidden: !visible }); }
    });
    nodes.update(updates);
    if (boxes[kind]) { boxes[kind].checked = visible; }
  }

  var legend = document.getElementById("gl-legend");
  data.kinds.forEach(function (k) {
    var li = el("li");
    var label = el("label");
    if (k.filter) {
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.setAttribute("data-kind", k.kind);
      box.setAttribute("aria-label", "show " + k.name);
      boxes[k.kind] = box;
      box.addEventListener("change", function () { setKindVisible(k.kind, box.checked); });
      label.appendChild(box);
    } else {
      label.appendChild(el("span", "gl-nobox"));
    }
    label.appendChild(swatch(k.shape, k.color, k.border));
    label.appendChild(el("span", "gl-kind-name", k.name));
    label.appendChild(el("span", "gl-count", k.count.toLocaleString("en-US")));
    li.appendChild(label);
    legend.appendChild(li);
  });

  document.getElementById("gl-fit").addEventListener("click", function () {
    network.fit({ animation: false });
  });

  /* Search: exact id or label first, then the first node whose text contains
     the query; the match is selected, focused and its details pinned. */
  var list = document.getElementById("gl-search-list");
  data.nodes.forEach(function (n) {
    var option = el("option");
    option.value = n.full;
    list.appendChild(option);
  });
  var status = document.getElementById("gl-search-status");
  function find(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return null; }
    var i, n;
    for (i = 0; i < data.nodes.length; i++) {
      n = data.nodes[i];
      if (String(n.id).toLowerCase() === q || n.full.toLowerCase() === q) { return n; }
    }
    for (i = 0; i < data.nodes.length; i++) {
      n = data.nodes[i];
      if (n.search.indexOf(q) !== -1) { return n; }
    }
    return null;
  }
  function select(n) {
    if (hiddenKinds[n.kind]) { setKindVisible(n.kind, true); }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showDetails(card(kindName(n.kind), n.full, n.tip));
    status.textContent = "Found " + kindName(n.kind).toLowerCase() + " " + n.full;
  }
  window.graphlinkFind = function (query) {
    var n = find(query);
    if (n) { select(n); } else { status.textContent = "No node matches \u201c" + query + "\u201d"; }
    return n ? n.id : null;
  };
  document.getElementById("gl-search").addEventListener("submit", function (event) {
    event.preventDefault();
    window.graphlinkFind(document.getElementById("gl-search-input").value);
  });

  if (data.focus !== null && byId[data.focus]) {
    network.selectNodes([data.focus]);
    var f = byId[data.focus];
    showDetails(card(kindName(f.kind), f.full, f.tip));
  }
})();
