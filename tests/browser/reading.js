// Measurements of the reading page as a reader sees it, injected into the page by the browser
// tests and by benchmarks/run.py (the same code for both): the measure of the text, blank runs
// beside it, sidenotes that overlap, how much of the essay the first screen shows.
window.EditionReading = (function () {
  "use strict";
  // The browser skips the layout of blocks far from the window (content-visibility: auto) and
  // lays each out as the reader comes to it; what is measured here is the page laid out whole.
  var whole = document.createElement("style");
  whole.textContent = "* { content-visibility: visible !important; }";
  document.head.appendChild(whole);

  // The essay's paragraphs: the edition's by default; another page's by a selector.
  var paras = function (selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector || "p.edition-para"))
      .filter(function (p) { return p.offsetParent !== null && p.textContent.trim(); });
  };

  // The lines of an element's text: for each line, its top, bottom and number of characters.
  function lines(element) {
    var out = [];
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      for (var i = 0; i < node.data.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        var rect = range.getBoundingClientRect();
        if (!rect.width && !rect.height) continue;
        var last = out[out.length - 1];
        if (last && rect.top < last.bottom - 2) {
          last.chars += 1;
          last.bottom = Math.max(last.bottom, rect.bottom);
        } else {
          out.push({ top: rect.top, bottom: rect.bottom, chars: 1 });
        }
      }
    }
    return out;
  }

  // Characters a line (spaces counted), the median over every full line of the essay (a
  // paragraph's last line is short by nature and left out).
  function measure(selector) {
    var counts = [];
    paras(selector).forEach(function (p) { lines(p).slice(0, -1).forEach(function (line) { counts.push(line.chars); }); });
    counts.sort(function (a, b) { return a - b; });
    return counts.length ? counts[Math.floor(counts.length / 2)] : 0;
  }

  // Runs of the text column with no text in it, from the essay's heading to its last paragraph
  // (pixels): what a reader scrolls through with nothing to read. The tallest, and those over
  // 100 px added up.
  function blankRuns(selector) {
    var column = document.querySelector("main") || document.body;
    var first = column.querySelector("h1"), last = paras(selector).pop();
    if (!first || !last) return { tallest: 0, total: 0 };
    var from = first.getBoundingClientRect().top, to = last.getBoundingClientRect().bottom;
    var left = last.getBoundingClientRect().left, right = last.getBoundingClientRect().right;
    var spans = [];
    var walker = document.createTreeWalker(column, NodeFilter.SHOW_TEXT);
    var range = document.createRange();
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.data.trim()) continue;
      range.selectNodeContents(node);
      Array.prototype.forEach.call(range.getClientRects(), function (r) {
        if (r.width && r.right > left && r.left < right && r.bottom > from && r.top < to) spans.push([r.top, r.bottom]);
      });
    }
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var gaps = [], reach = from;
    spans.forEach(function (s) { gaps.push(s[0] - reach); reach = Math.max(reach, s[1]); });
    gaps.push(to - reach);
    return {
      tallest: Math.round(Math.max.apply(null, gaps)),
      total: Math.round(gaps.filter(function (g) { return g > 100; }).reduce(function (a, b) { return a + b; }, 0)),
    };
  }

  // Sidenotes shown in the margin: pairs that overlap, and any that overlaps the text.
  function sidenotes(selector) {
    var textRight = Math.max.apply(null, paras(selector).map(function (p) { return p.getBoundingClientRect().right; }));
    var shown = Array.prototype.slice.call(document.querySelectorAll(".annot-notes .annot"))
      .filter(function (n) { return n.offsetParent !== null; })
      .map(function (n) { var r = n.getBoundingClientRect(); return { id: n.id, top: r.top, bottom: r.bottom, left: r.left }; })
      .sort(function (a, b) { return a.top - b.top; });
    var overlapping = [];
    for (var i = 1; i < shown.length; i++) {
      if (shown[i].top < shown[i - 1].bottom - 0.5) overlapping.push(shown[i - 1].id + " / " + shown[i].id);
    }
    return {
      shown: shown.length,
      overlapping: overlapping,
      intoText: shown.filter(function (n) { return n.left < textRight; }).map(function (n) { return n.id; }),
    };
  }

  // Lines of the essay's paragraphs wholly inside the window as it first opens.
  function firstScreenLines(selector) {
    var height = window.innerHeight, count = 0;
    paras(selector).forEach(function (p) {
      if (p.getBoundingClientRect().top > height) return;
      lines(p).forEach(function (line) { if (line.top >= 0 && line.bottom <= height) count += 1; });
    });
    return count;
  }

  return { lines: lines, measure: measure, blankRuns: blankRuns, sidenotes: sidenotes, firstScreenLines: firstScreenLines };
})();
