// casegraph view: draws CG_DATA with vis-network and shows each item's facts and sources.
// Every text from the data is written with textContent, never as HTML.
(function () {
  "use strict";
  var nodes = new vis.DataSet(CG_DATA.nodes);
  var edges = new vis.DataSet(CG_DATA.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, CG_DATA.options);
  var panel = document.getElementById("cg-details");
  window.cgNodes = nodes;
  window.cgEdges = edges;
  window.cgNetwork = network;

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function sourceLine(source) {
    var parts = [source.title || source.id];
    if (source.publisher) parts.push(source.publisher);
    if (source.published) parts.push(source.published);
    if (source.reliability) parts.push("reliability: " + source.reliability);
    var item = el("li", parts.join(" \u2014 "));
    if (source.url) item.appendChild(el("div", source.url));
    return item;
  }

  function show(info) {
    panel.replaceChildren();
    var close = el("button", "\u00d7");
    close.className = "close";
    close.setAttribute("aria-label", "close");
    close.addEventListener("click", function () { panel.hidden = true; });
    panel.appendChild(close);
    panel.appendChild(el("h2", info.label));
    var facts = el("dl");
    info.facts.forEach(function (fact) {
      facts.appendChild(el("dt", fact[0]));
      facts.appendChild(el("dd", fact[1]));
    });
    panel.appendChild(facts);
    panel.appendChild(el("h3", info.sources.length ? "Sources" : "No sources recorded"));
    var list = el("ol");
    list.className = "cg-sources";
    info.sources.forEach(function (source) { list.appendChild(sourceLine(source)); });
    panel.appendChild(list);
    panel.hidden = false;
  }

  function showNode(id) {
    var info = CG_DATA.details.nodes[id];
    if (info) show(info);
  }

  network.on("click", function (params) {
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length && CG_DATA.details.edges[params.edges[0]])
      show(CG_DATA.details.edges[params.edges[0]]);
    else panel.hidden = true;
  });
  network.on("hoverNode", function (params) { showNode(params.node); });

  document.getElementById("cg-physics").addEventListener("change", function (event) {
    network.setOptions({ physics: { enabled: event.target.checked } });
  });

  var search = document.getElementById("cg-search");
  function find() {
    var text = search.value.trim().toLowerCase();
    if (!text) return;
    var found = nodes.get({
      filter: function (node) { return !node.hidden && String(node.label).toLowerCase().indexOf(text) >= 0; },
    });
    if (!found.length) return;
    network.selectNodes(found.map(function (node) { return node.id; }));
    network.focus(found[0].id, { scale: 1.2, animation: false });
    showNode(found[0].id);
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", function (event) { if (event.key === "Enter") find(); });

  function count() {
    var shown = nodes.get({ filter: function (node) { return !node.hidden; } }).length;
    document.getElementById("cg-count").textContent = shown + " of " + nodes.length + " nodes shown";
  }
  document.querySelectorAll("#cg-legend input[data-type]").forEach(function (box) {
    box.addEventListener("change", function () {
      var type = box.getAttribute("data-type");
      nodes.update(nodes.get({ filter: function (node) { return node.cgType === type; } })
        .map(function (node) { return { id: node.id, hidden: !box.checked }; }));
      count();
    });
  });
  count();
})();
