"use strict";
// The review pages' only script. It reads text from data attributes and writes it with
// textContent, never innerHTML, so nothing a report says can become markup.
(function () {
  var tip = document.getElementById("tip");

  function show(el, x, y) {
    tip.textContent = el.getAttribute("data-tip");
    tip.hidden = false;
    var r = tip.getBoundingClientRect();
    var left = Math.min(x + 12, window.innerWidth - r.width - 8);
    var top = y + 18;
    if (top + r.height > window.innerHeight - 8) top = Math.max(8, y - r.height - 12);
    tip.style.left = Math.max(8, left) + "px";
    tip.style.top = top + "px";
  }
  function hide() { tip.hidden = true; }

  if (tip) {
    document.addEventListener("mouseover", function (ev) {
      var el = ev.target.closest ? ev.target.closest("[data-tip]") : null;
      if (el) show(el, ev.clientX, ev.clientY); else hide();
    });
    document.addEventListener("focusin", function (ev) {
      var el = ev.target.closest ? ev.target.closest("[data-tip]") : null;
      if (!el) return hide();
      var r = el.getBoundingClientRect();
      show(el, r.left, r.bottom - 12);
    });
    document.addEventListener("focusout", hide);
    document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });
  }

  // Sortable tables: a click on a heading sorts by that column, again to reverse.
  var collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var numeric = th.getAttribute("data-type") === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute("data-v"), y = b.cells[col].getAttribute("data-v");
          var c = numeric ? parseFloat(x) - parseFloat(y) : collator.compare(x, y);
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
