// Report behaviour: filters, copy buttons, print expansion and paged/sortable/searchable object tables; DOM is built with textContent only.
(function () {
  "use strict";
  var PAGE = 50;
  var dataEl = document.getElementById("report-data");
  var tables = {};
  try {
    tables = JSON.parse(dataEl ? dataEl.textContent : "{}").tables || {};
  } catch {
    tables = {};
  }
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  // --- filters: an item shows when its severity, side and status are all ticked.
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-filter-item]"));
  function applyFilters() {
    var on = { severity: {}, side: {}, status: {} };
    boxes.forEach(function (b) { if (b.checked) on[b.getAttribute("data-filter")][b.value] = true; });
    var shown = 0;
    items.forEach(function (el) {
      var show = on.severity[el.getAttribute("data-severity")] && on.side[el.getAttribute("data-side")] && on.status[el.getAttribute("data-status")];
      el.hidden = !show;
      if (show) shown++;
    });
    var status = document.getElementById("filter-status");
    if (status) status.textContent = "Showing " + shown + " of " + items.length + " rules.";
    var empty = document.getElementById("filter-empty");
    if (empty) empty.hidden = shown > 0 || items.length === 0;
  }
  boxes.forEach(function (b) { b.addEventListener("change", applyFilters); });

  // --- copy buttons: the Clipboard API where allowed (file:// often is not), else a hidden textarea, else select the text.
  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.className = "offscreen";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }
  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    if (sel) { sel.removeAllRanges(); sel.addRange(range); }
  }
  function done(button, label) {
    button.textContent = label;
    setTimeout(function () { button.textContent = "Copy"; }, 1500);
  }
  document.addEventListener("click", function (ev) {
    var button = ev.target instanceof Element ? ev.target.closest("button[data-copy]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent || "";
    var fallback = function () {
      if (fallbackCopy(text)) done(button, "Copied");
      else { selectText(source); done(button, "Press Ctrl+C"); }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(function () { done(button, "Copied"); }, fallback);
    else fallback();
  });

  // --- object tables: rows live in the JSON block; only the visible page is ever in the DOM.
  function rowElement(row) {
    var tr = document.createElement("tr");
    for (var c = 0; c < 4; c++) {
      var td = document.createElement("td");
      if (c === 0) { var code = document.createElement("code"); code.textContent = row[c]; td.appendChild(code); }
      else td.textContent = row[c];
      tr.appendChild(td);
    }
    return tr;
  }
  function setupTable(root) {
    var rows = tables[root.getAttribute("data-table")];
    if (!rows) return;
    var tbody = root.querySelector("tbody");
    var info = root.querySelector(".page-info");
    var prev = root.querySelector(".page-prev");
    var next = root.querySelector(".page-next");
    var search = root.querySelector(".objects-search");
    var heads = Array.prototype.slice.call(root.querySelectorAll("th[aria-sort]"));
    var haystack = null; // built on first search: lower-cased row text
    var view = rows.map(function (_, i) { return i; });
    var page = 0, sortCol = -1, sortDir = 1;

    function render() {
      var pages = Math.max(1, Math.ceil(view.length / PAGE));
      if (page >= pages) page = pages - 1;
      var start = page * PAGE, end = Math.min(view.length, start + PAGE);
      var frag = document.createDocumentFragment();
      for (var i = start; i < end; i++) frag.appendChild(rowElement(rows[view[i]]));
      tbody.replaceChildren(frag);
      info.textContent = view.length === 0 ? "No matching rows" : "Rows " + (start + 1) + "–" + end + " of " + view.length + (view.length !== rows.length ? " (filtered from " + rows.length + ")" : "");
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
    }
    function sort() {
      if (sortCol < 0) return;
      view.sort(function (a, b) { return sortDir * collator.compare(rows[a][sortCol], rows[b][sortCol]) || a - b; });
    }
    function filter() {
      var q = search.value.trim().toLowerCase();
      if (!q) view = rows.map(function (_, i) { return i; });
      else {
        if (!haystack) haystack = rows.map(function (r) { return r.join("\n").toLowerCase(); });
        view = [];
        for (var i = 0; i < haystack.length; i++) if (haystack[i].indexOf(q) !== -1) view.push(i);
      }
      sort();
      page = 0;
      render();
    }
    var timer = 0;
    search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(filter, 150); });
    prev.addEventListener("click", function () { page--; render(); });
    next.addEventListener("click", function () { page++; render(); });
    heads.forEach(function (th) {
      var button = th.querySelector("button.sort");
      button.addEventListener("click", function () {
        var col = Number(button.getAttribute("data-col"));
        sortDir = col === sortCol ? -sortDir : 1;
        sortCol = col;
        heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", sortDir === 1 ? "ascending" : "descending");
        sort();
        page = 0;
        render();
      });
    });
    render();
  }
  Array.prototype.slice.call(document.querySelectorAll("[data-table]")).forEach(setupTable);

  // --- print: collapsed sections would print empty, so open them for the duration.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    // Raw JSON stays folded on paper: the key-facts table above it says the same for people.
    opened = Array.prototype.slice.call(document.querySelectorAll("details:not([open]):not(.raw)"));
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { opened.forEach(function (d) { d.open = false; }); });

  // --- a table wider than the screen scrolls in its own box; a box that scrolls must be reachable by keyboard.
  function markScrollers() {
    Array.prototype.slice.call(document.querySelectorAll(".table-scroll")).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else box.removeAttribute("tabindex");
    });
  }
  window.addEventListener("resize", markScrollers);
  document.addEventListener("toggle", markScrollers, true);

  applyFilters();
  markScrollers();
})();
