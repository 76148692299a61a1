// casegraph view: the side panel. Shows a record's dossier (facts with their sources, contested
// facts and events side by side), or the claims behind a line, each with its sources.
// Every text from the data is written with textContent, never as HTML.
window.cgPanel = function (panel) {
  "use strict";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function sourceLine(source) {
    var parts = [source.title || source.id];
    if (source.publisher) parts.push(source.publisher);
    if (source.published || source.date) parts.push(source.published || source.date);
    if (source.reliability) parts.push("reliability: " + source.reliability);
    if (source.restricted) parts.push("[restricted]");
    var item = el("li", parts.join(" \u2014 "));
    if (source.url) item.appendChild(el("div", source.url, "cg-note"));
    return item;
  }

  function sourceList(sources) {
    var list = el("ol");
    list.className = "cg-sources";
    sources.forEach(function (source) { list.appendChild(sourceLine(source)); });
    return list;
  }

  function start(title) {
    panel.replaceChildren();
    var close = el("button", "\u00d7", "close");
    close.setAttribute("aria-label", "close");
    close.addEventListener("click", function () { panel.hidden = true; });
    panel.appendChild(close);
    panel.appendChild(el("h2", title));
  }

  function factList(facts) {
    var list = el("dl");
    facts.forEach(function (fact) {
      list.appendChild(el("dt", fact[0]));
      list.appendChild(el("dd", fact[1]));
    });
    return list;
  }

  // A dossier's sources are listed once, numbered, at the end; a fact cites them by number.
  var numbers = {};

  function cited(ids, table) {
    var found = (ids || []).map(function (id) { return numbers[id] ? String(numbers[id]) : (table[id] || {}).title || id; });
    return found.length ? "[" + found.join(", ") + "]" : "[no source]";
  }

  function generic(value) {
    if (value === null || value === undefined) return el("span", "");
    if (Array.isArray(value)) {
      var list = el("ul");
      value.forEach(function (item) { var li = el("li"); li.appendChild(generic(item)); list.appendChild(li); });
      return list;
    }
    if (typeof value === "object") {
      var dl = el("dl");
      Object.keys(value).sort().forEach(function (key) {
        if (value[key] === "" || value[key] === false || (Array.isArray(value[key]) && !value[key].length)) return;
        dl.appendChild(el("dt", key));
        var dd = el("dd");
        dd.appendChild(generic(value[key]));
        dl.appendChild(dd);
      });
      return dl;
    }
    return el("span", value);
  }

  function dossierFacts(d, table) {
    var groups = {};
    (d.facts || []).forEach(function (f) { (groups[f.label] = groups[f.label] || []).push(f); });
    var box = el("div");
    var plain = [];
    Object.keys(groups).sort().forEach(function (label) {
      var group = groups[label];
      var contested = group.some(function (f) { return f.contested; });
      if (!contested) {
        group.forEach(function (f) {
          plain.push([f.label + (f.restricted ? " [restricted]" : ""), f.value + " " + cited(f.sources, table)]);
        });
        return;
      }
      box.appendChild(el("h3", label + ": contested, side by side"));
      var side = el("div", null, "cg-side");
      group.forEach(function (f) {
        var cell = el("div");
        cell.appendChild(el("div", f.value));
        cell.appendChild(el("div", cited(f.sources, table), "cg-note"));
        side.appendChild(cell);
      });
      box.appendChild(side);
    });
    if (plain.length) box.insertBefore(factList(plain), box.firstChild);
    return box;
  }

  function eventBlock(e, table) {
    var block = el("div", null, "cg-claim");
    block.appendChild(el("strong", e.date + " \u2014 " + e.type + (e.restricted ? " [restricted]" : "")));
    var rows = [];
    Object.keys(e.fields || {}).sort().forEach(function (key) { rows.push([key, e.fields[key].join(", ")]); });
    if (e.confidence) rows.push(["confidence", e.confidence]);
    if (e.note) rows.push(["note", e.note]);
    rows.push(["sources", cited(e.sources, table)]);
    block.appendChild(factList(rows));
    return block;
  }

  function dossierEvents(d, table) {
    var box = el("div");
    var events = d.events || [];
    if (!events.length) return box;
    var count = d.events_total ? events.length + " of " + d.events_total : events.length;
    box.appendChild(el("h3", "Events (" + count + ")"));
    if (d.events_note) box.appendChild(el("div", d.events_note, "cg-note"));
    var byId = {};
    events.forEach(function (e) { byId[e.id] = e; });
    var done = {};
    events.forEach(function (e) {
      if (done[e.id]) return;
      var rivals = (e.contradicts || []).filter(function (id) { return byId[id] && !done[id]; });
      done[e.id] = true;
      if (!rivals.length) { box.appendChild(eventBlock(e, table)); return; }
      box.appendChild(el("div", "contested: these accounts contradict each other", "cg-note"));
      var side = el("div", null, "cg-side");
      [e].concat(rivals.map(function (id) { done[id] = true; return byId[id]; })).forEach(function (x) {
        var cell = el("div");
        cell.appendChild(eventBlock(x, table));
        side.appendChild(cell);
      });
      box.appendChild(side);
    });
    return box;
  }

  var KNOWN = ["name", "names", "types", "note", "facts", "events", "links", "sources", "iri",
    "record_id", "restricted", "events_total", "events_note"];

  function showDossier(info, d) {
    start(d.name || info.label);
    var table = d.sources || {};
    numbers = {};
    Object.keys(table).sort().forEach(function (id, index) { numbers[id] = index + 1; });
    var head = [["type", (d.types || []).join(", ") || info.type_label], ["record id", d.record_id || ""]];
    if ((d.names || []).length) {
      head.push(["also written", d.names.map(function (n) { return n.name + (n.restricted ? " [restricted]" : ""); }).join("; ")]);
    }
    if (d.note) head.push(["note", d.note]);
    panel.appendChild(factList(head));
    panel.appendChild(dossierFacts(d, table));
    panel.appendChild(dossierEvents(d, table));
    if ((d.links || []).length) {
      panel.appendChild(el("h3", "Links"));
      panel.appendChild(factList(d.links.map(function (l) {
        var how = l.inherited ? "cited with the record: " : "cited for this link: ";
        return [l.label, l.name + " \u2014 " + how + cited(l.sources, table)];
      })));
    }
    Object.keys(d).sort().forEach(function (key) {
      if (KNOWN.indexOf(key) >= 0) return;
      var value = d[key];
      if (value === "" || value === null || value === false || (Array.isArray(value) && !value.length)) return;
      panel.appendChild(el("h3", key));
      panel.appendChild(generic(value));
    });
    var sources = Object.keys(table).sort().map(function (id) { return table[id]; });
    panel.appendChild(el("h3", sources.length ? "Sources" : "No sources recorded"));
    panel.appendChild(sourceList(sources));
    panel.hidden = false;
  }

  function show(info) {
    start(info.label);
    panel.appendChild(factList(info.facts));
    (info.claims || []).forEach(function (claim) {
      var block = el("div", null, "cg-claim" + (claim.contested ? " cg-contested" : ""));
      var words = [claim.phrase || "", claim.when || "undated"];
      if (claim.contested) words.push("contested");
      block.appendChild(el("strong", words.filter(Boolean).join(" \u2014 ")));
      block.appendChild(el("div", "claim: " + claim.label, "cg-note"));
      if (claim.role_text) block.appendChild(el("div", "as described: " + claim.role_text, "cg-note"));
      block.appendChild(el("div", claim.inherited ? "sources cited with the record" : "sources cited for this link", "cg-cited"));
      block.appendChild(sourceList(claim.sources));
      panel.appendChild(block);
    });
    panel.appendChild(el("h3", info.sources.length ? "Sources" : "No sources recorded"));
    panel.appendChild(sourceList(info.sources));
    panel.hidden = false;
  }

  function showNode(id) {
    var info = CG_DATA.details.nodes[id];
    if (!info) return;
    if (info.dossier) showDossier(info, info.dossier);
    else show(info);
  }

  return {
    show: show,
    showNode: showNode,
    hide: function () { panel.hidden = true; },
  };
};
