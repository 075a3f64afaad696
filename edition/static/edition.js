// The edition's behaviour. Without it every note is already on the page, after its
// paragraph; with it, notes open in place (narrow screens) or are highlighted in the
// margin (wide screens), by click, tap or keyboard, and Escape closes them.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("edition-js");
  var wide = window.matchMedia("(min-width: 1200px)");

  function noteOf(ref) { return document.getElementById(ref.getAttribute("aria-controls")); }
  function refOf(note) { return document.getElementById("m-" + note.id.slice(2)); }

  function open(ref, focus) {
    var note = noteOf(ref);
    if (!note) return;
    document.querySelectorAll(".annot.annot-active").forEach(function (n) { n.classList.remove("annot-active"); });
    note.classList.add("annot-open", "annot-active");
    ref.setAttribute("aria-expanded", "true");
    if (focus) note.focus();
  }

  function close(note) {
    var ref = refOf(note);
    note.classList.remove("annot-open", "annot-active");
    if (ref) { ref.setAttribute("aria-expanded", "false"); ref.focus(); }
  }

  document.querySelectorAll(".annot-ref").forEach(function (ref) {
    ref.setAttribute("role", "button");
    ref.setAttribute("aria-expanded", "false");
    ref.addEventListener("click", function (event) {
      event.preventDefault();
      var note = noteOf(ref);
      if (note && note.classList.contains("annot-open") && !wide.matches) close(note);
      else open(ref, true);
    });
    ref.addEventListener("keydown", function (event) {
      if (event.key === " ") { event.preventDefault(); ref.click(); }
    });
  });

  document.querySelectorAll(".annot-mark").forEach(function (mark) {
    mark.addEventListener("click", function () {
      var ref = document.getElementById("m-" + mark.getAttribute("data-annot"));
      if (ref) ref.click();
    });
  });

  document.querySelectorAll(".annot-notes .annot").forEach(function (note) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "annot-close";
    button.setAttribute("aria-label", "Close note");
    button.textContent = "\u00d7";
    button.addEventListener("click", function () { close(note); });
    note.insertBefore(button, note.firstChild);
    note.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); close(note); }
    });
  });

  // A link to an annotation opens it; a link to a paragraph highlights it.
  function followHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id.indexOf("a-") === 0) {
      var ref = document.getElementById("m-" + id.slice(2));
      if (ref) open(ref, true);
    }
  }
  window.addEventListener("hashchange", followHash);
  followHash();
})();
