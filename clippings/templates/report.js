// The clip book's table: filter by outlet, language and text, sort by date, count what is shown.
// It never builds HTML: it shows, hides and reorders the rows the page already has, reading their
// data-* attributes, and writes the count with textContent.
(function () {
  "use strict";
  var table = document.getElementById("clippings-table");
  if (!table || !table.tBodies.length) {
    return;
  }
  var body = table.tBodies[0];
  var outletFilter = document.getElementById("filter-outlet");
  var languageFilter = document.getElementById("filter-language");
  var textFilter = document.getElementById("filter-text");
  var count = document.getElementById("clipping-count");
  var noMatch = document.getElementById("no-match");
  var dateHeader = document.getElementById("date-header");
  var sortButton = document.getElementById("sort-date");

  function folded(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim();
  }

  var items = Array.prototype.map.call(body.rows, function (row, index) {
    return {
      row: row,
      index: index,
      outlet: row.getAttribute("data-outlet") || "",
      language: row.getAttribute("data-language") || "",
      date: row.getAttribute("data-date") || "",
      search: folded(row.getAttribute("data-search") || "")
    };
  });

  function apply() {
    var outlet = outletFilter.value;
    var language = languageFilter.value;
    var needle = folded(textFilter.value);
    var shown = 0;
    items.forEach(function (item) {
      var visible = (outlet === "" || item.outlet === outlet) &&
        (language === "" || item.language === language) &&
        (needle === "" || item.search.indexOf(needle) !== -1);
      item.row.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    count.textContent = shown + " of " + items.length + " clippings";
    noMatch.hidden = shown > 0 || items.length === 0;
  }

  // Newest or oldest first; undated clippings stay last either way, ties keep the page's order.
  function sortByDate(direction) {
    var sign = direction === "ascending" ? 1 : -1;
    var ordered = items.slice().sort(function (a, b) {
      if ((a.date === "") !== (b.date === "")) {
        return a.date === "" ? 1 : -1;
      }
      if (a.date !== b.date) {
        return (a.date < b.date ? -1 : 1) * sign;
      }
      return a.index - b.index;
    });
    ordered.forEach(function (item) {
      body.appendChild(item.row);
    });
    dateHeader.setAttribute("aria-sort", direction);
  }

  outletFilter.addEventListener("change", apply);
  languageFilter.addEventListener("change", apply);
  textFilter.addEventListener("input", apply);
  sortButton.addEventListener("click", function () {
    sortByDate(dateHeader.getAttribute("aria-sort") === "descending" ? "ascending" : "descending");
  });
  document.getElementById("controls").hidden = false;
  apply();
})();
