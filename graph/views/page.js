// casegraph view: draws CG_DATA with vis-network and shows each item's facts and sources.
// Every text from the data is written with textContent, never as HTML.
(function () {
  "use strict";
  var META = CG_DATA.meta || {};
  var nodes = new vis.DataSet(CG_DATA.nodes);
  var edges = new vis.DataSet(CG_DATA.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, CG_DATA.options);
  var FONT = (CG_DATA.options.nodes && CG_DATA.options.nodes.font && CG_DATA.options.nodes.font.size) || 12;
  var LEGIBLE = 12;
  // vis keeps the old text when a label is set to "": a blank hides it.
  var HIDDEN = " ";
  window.cgNodes = nodes;
  window.cgEdges = edges;
  window.cgNetwork = network;

  function nameOf(id) {
    var meta = META.nodes && META.nodes[id];
    if (meta) return meta.name;
    var node = nodes.get(id);
    return node ? String(node.label) : String(id);
  }

  var panel = window.cgPanel(document.getElementById("cg-details"));
  var showNode = panel.showNode;
  var show = panel.show;

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length && CG_DATA.details.edges[params.edges[0]])
      show(CG_DATA.details.edges[params.edges[0]]);
    else panel.hide();
  });

  // Labels of the less central actors of a large view appear on hover.
  network.on("hoverNode", function (params) {
    var meta = META.nodes && META.nodes[params.node];
    if (meta && !meta.labelled) nodes.update({ id: params.node, label: meta.name });
  });
  network.on("hoverEdge", function (params) {
    var meta = META.edges && META.edges[params.edge];
    if (meta && !meta.labelled) edges.update({ id: params.edge, label: meta.label });
  });
  network.on("blurEdge", function (params) {
    var meta = META.edges && META.edges[params.edge];
    if (meta && !meta.labelled) edges.update({ id: params.edge, label: HIDDEN });
  });
  network.on("blurNode", function (params) {
    var meta = META.nodes && META.nodes[params.node];
    if (meta && !meta.labelled) nodes.update({ id: params.node, label: HIDDEN });
  });

  document.getElementById("cg-physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });

  var search = document.getElementById("cg-search");
  function find() {
    var text = search.value.trim().toLowerCase();
    if (!text) return;
    var found = nodes.get({
      filter: function (node) { return !node.hidden && nameOf(node.id).toLowerCase().indexOf(text) >= 0; },
    });
    if (!found.length) return;
    network.selectNodes(found.map(function (node) { return node.id; }));
    network.focus(found[0].id, { scale: Math.max(1.2, LEGIBLE / FONT), animation: false });
    showNode(found[0].id);
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", function (event) { if (event.key === "Enter") find(); });

  // --- what is shown: the type legend and the "as of" slider together --------------------------

  var hiddenTypes = {};
  var asOf = null;
  var slider = document.getElementById("cg-asof");
  var undatedBox = document.getElementById("cg-undated");

  function inTime(meta) {
    if (asOf === null || !meta) return true;
    if (!meta.earliest && !meta.undated) return true;  // a line of an event view: its ends decide
    if (meta.earliest && meta.earliest <= asOf) return true;
    return Boolean(meta.undated && undatedBox && undatedBox.checked);
  }

  function count() {
    var shown = nodes.get({ filter: function (node) { return !node.hidden; } }).length;
    document.getElementById("cg-count").textContent = shown + " of " + nodes.length + " nodes shown";
  }

  function refresh() {
    nodes.update(nodes.get().map(function (node) {
      var hidden = Boolean(hiddenTypes[node.cgType]) || !inTime(META.nodes && META.nodes[node.id]);
      return { id: node.id, hidden: hidden };
    }));
    if (META.edges) {
      edges.update(edges.get().map(function (edge) {
        return { id: edge.id, hidden: !inTime(META.edges[edge.id]) };
      }));
    }
    count();
  }

  document.querySelectorAll("#cg-legend input[data-type]").forEach(function (box) {
    box.addEventListener("change", function () {
      hiddenTypes[box.getAttribute("data-type")] = !box.checked;
      refresh();
    });
  });

  if (slider && META.days && META.days.length) {
    var days = META.days;
    slider.max = String(days.length);
    slider.value = String(days.length);
    var output = document.getElementById("cg-asof-day");
    var moved = function () {
      var index = Number(slider.value);
      asOf = index >= days.length ? null : days[index];
      output.textContent = asOf === null ? "every date" : asOf;
      refresh();
    };
    slider.addEventListener("input", moved);
    undatedBox.addEventListener("change", moved);
    window.cgSetAsOf = function (day) {
      var index = days.length;
      if (day !== null) {
        index = 0;
        for (var i = 0; i < days.length; i++) if (days[i] <= day) index = i;
      }
      slider.value = String(index);
      asOf = day;
      output.textContent = day === null ? "every date" : day;
      refresh();
    };
  }
  count();

  // --- the default zoom: the whole view, unless its labels would be too small to read -----------

  // Words on lines that would cover a node's label or other words are left for hover and the
  // panel: the focus's lines first, then the widest (most claims).
  function boxOf(size) {
    return { left: size.left, right: size.left + size.width, top: size.top, bottom: size.top + size.height };
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  function thin() {
    var taken = nodes.get().filter(function (n) { return n.label && n.label !== HIDDEN; }).map(function (n) {
      return network.getBoundingBox(n.id);
    });
    var worded = edges.get().filter(function (e) { return e.label && e.label !== HIDDEN; });
    var rank = function (e) { return (META.focus && (e.from === META.focus || e.to === META.focus) ? 100 : 0) + (e.width || 1); };
    worded.sort(function (a, b) { return rank(b) - rank(a) || (a.id < b.id ? -1 : 1); });
    var hidden = [];
    worded.forEach(function (e) {
      var drawn = network.body.edges[e.id];
      var size = drawn && drawn.labelModule && drawn.labelModule.size;
      if (!size || !size.width) return;
      var box = boxOf(size);
      if (taken.some(function (other) { return overlaps(box, other); })) hidden.push(e.id);
      else taken.push(box);
    });
    hidden.forEach(function (id) { if (META.edges && META.edges[id]) META.edges[id].labelled = false; });
    edges.update(hidden.map(function (id) { return { id: id, label: HIDDEN }; }));
  }

  network.once("afterDrawing", function () {
    network.fit({ animation: false });
    if (network.getScale() * FONT < LEGIBLE && META.kind) {
      var at = META.focus ? network.getPositions([META.focus])[META.focus] : network.getViewPosition();
      network.moveTo({ position: at, scale: LEGIBLE / FONT, animation: false });
    }
    if (META.kind) {
      network.once("afterDrawing", function () {
        thin();
        network.once("afterDrawing", function () { window.cgReady = true; });
        network.redraw();
      });
      network.redraw();
    } else {
      window.cgReady = true;
    }
  });
})();
