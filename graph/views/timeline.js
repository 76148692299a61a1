// casegraph timeline: draws CG_TIMELINE with vis-timeline and shows each event's facts and sources.
// Every text from the data is written with textContent (vis templates return elements), never HTML.
(function () {
  "use strict";
  var MARKS = { "on-or-before": "\u2264 ", reported: "\u2264 ", "on-or-after": "\u2265 " };
  var byId = {};
  var panel = document.getElementById("cg-details");

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function short(text) {
    return text.length > 70 ? text.slice(0, 69) + "\u2026" : text;
  }

  function show(entry) {
    panel.replaceChildren();
    panel.appendChild(el("h2", entry.text));
    var facts = el("dl");
    var rows = [["date", entry.when || entry.date_text || "no date recorded"]];
    if (entry.date_text && entry.when) rows.push(["date as reported", entry.date_text]);
    Object.keys(entry.details).forEach(function (key) { rows.push([key.replace("_", " "), entry.details[key]]); });
    if (entry.contradicts.length) rows.push(["contradicted by", entry.contradicts.join(", ")]);
    rows.push(["record", entry.id]);
    rows.forEach(function (row) { facts.appendChild(el("dt", row[0])); facts.appendChild(el("dd", row[1])); });
    panel.appendChild(facts);
    panel.appendChild(el("h3", entry.sources.length ? "Sources" : "No sources recorded"));
    var list = el("ol");
    list.className = "cg-sources";
    entry.sources.forEach(function (source) {
      var parts = [source.title || source.id, source.publisher, source.date].filter(Boolean);
      var item = el("li", parts.join(" \u2014 ") + " [" + source.id + "]");
      if (source.url) item.appendChild(el("div", source.url));
      list.appendChild(item);
    });
    panel.appendChild(list);
    panel.hidden = false;
  }

  var items = CG_TIMELINE.items.map(function (entry) {
    byId[entry.id] = entry;
    var item = { id: entry.id, group: entry.group, start: entry.start, content: "",
      type: entry.end ? "range" : "box",
      className: "cg-" + entry.kind + (entry.contradicts.length ? " cg-contested" : "") };
    if (entry.end) item.end = entry.end;
    return item;
  });
  var groups = CG_TIMELINE.groups.map(function (group) {
    return { id: group.id, content: "", order: group.order, cgText: group.text };
  });
  var options = {
    align: "left",
    stack: true,
    orientation: "top",
    showCurrentTime: false,
    zoomMin: 1000 * 60 * 60 * 24 * 3,
    groupOrder: "order",
    margin: { item: 6, axis: 6 },
    template: function (item) {
      var entry = byId[item.id];
      var span = el("span", short(entry.text));
      var mark = MARKS[entry.kind];
      if (mark) span.prepend(el("span", mark));
      span.setAttribute("data-cg-id", entry.id);
      return span;
    },
    groupTemplate: function (group) {
      var span = el("span", group.cgText);
      span.className = "cg-lane";
      return span;
    }
  };
  var container = document.getElementById("cg-timeline");
  var timeline = new vis.Timeline(container, new vis.DataSet(items), new vis.DataSet(groups), options);
  timeline.on("select", function (properties) {
    if (properties.items.length) show(byId[properties.items[0]]);
  });
  var undated = document.getElementById("cg-undated");
  CG_TIMELINE.undated.forEach(function (entry) {
    var words = entry.text + (entry.date_text ? " \u2014 " + entry.date_text : "") +
      (entry.lane ? " (" + entry.lane + ")" : "");
    var item = el("li", words);
    item.setAttribute("data-cg-id", entry.id);
    item.addEventListener("click", function () { show(entry); });
    undated.appendChild(item);
  });
  // Fitted to the items once they are drawn (their labels' widths known); ready once a redraw is
  // followed by two animation frames without another (the layout settled).
  window.cgTimeline = timeline;
  window.cgTimelineReady = false;
  var redraws = 0;
  var fitted = false;
  function settle() {
    var seen = ++redraws;
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        if (seen === redraws && fitted) window.cgTimelineReady = true;
      });
    });
  }
  timeline.on("changed", function () {
    if (!fitted && timeline.initialDrawDone) {
      fitted = true;
      timeline.fit({ animation: false });
      // Labels start at their date and run to the right: leave them room past the last date.
      var window_ = timeline.getWindow();
      var span = window_.end - window_.start;
      timeline.setWindow(window_.start - span * 0.02, window_.end.valueOf() + span * 0.35,
        { animation: false });
    }
    settle();
  });
  timeline.fit({ animation: false });
})();
