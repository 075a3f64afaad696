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
    button.className = "annot-close"; // "×" comes from CSS: the page's text stays what the exports quote
    button.setAttribute("aria-label", "Close note");
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

  // A live region tells screen readers what a button did.
  var live = document.createElement("div");
  live.className = "edition-live";
  live.setAttribute("aria-live", "polite");
  document.body.appendChild(live);
  function say(text) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }

  function copy(text, button) {
    function done() { var old = button.textContent; button.textContent = "Copied"; say("Copied to the clipboard"); setTimeout(function () { button.textContent = old; }, 1500); }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
    document.body.removeChild(area);
  }

  function absolute(path) { return new URL(path, window.location.href).href; }

  // "Cite this edition": make the address absolute (it has an element of its own, so the
  // citation around it stays as written) and add copy buttons.
  document.querySelectorAll(".edition-cite-format").forEach(function (block) {
    var body = block.querySelector("pre, p[class^='cite-']");
    if (!body) return;
    body.querySelectorAll(".cite-url").forEach(function (url) { url.textContent = absolute(url.textContent); });
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy the " + block.querySelector("strong").textContent + " citation");
    button.addEventListener("click", function () { copy(body.textContent, button); });
    block.appendChild(button);
  });

  // Panels opened from a paragraph's margin (Cite, Suggest): a dialog after the paragraph,
  // focused when it opens; Escape or Close removes it and gives focus back to its button.
  function permalink(id) { return window.location.href.split("#")[0] + "#" + id; }
  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function copyButton(text, label) {
    var button = element("button", "Copy");
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () { copy(text, button); });
    return button;
  }
  function closePanel(panel, button) {
    panel.parentNode.removeChild(panel);
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
  function showPanel(para, button, prefix, label, heading, fill) {
    var panel = element("div", "", "cite-panel " + prefix + "-panel");
    panel.id = prefix + "-" + para.id;
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", label);
    panel.tabIndex = -1;
    panel.appendChild(element("h2", heading));
    fill(panel);
    var close = element("button", "Close");
    close.type = "button";
    close.addEventListener("click", function () { closePanel(panel, button); });
    panel.appendChild(close);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); closePanel(panel, button); }
    });
    var after = para.closest(".edition-block") || para;
    after.parentNode.insertBefore(panel, after.nextSibling);
    button.setAttribute("aria-expanded", "true");
    panel.focus();
  }
  // A margin button per paragraph; its visible label comes from CSS, so the paragraph's
  // text stays the essay's (annotation clients match quotes against it).
  function marginButtons(className, prefix, label, open) {
    document.querySelectorAll("p.edition-para").forEach(function (para) {
      var button = element("button", "", className);
      button.type = "button";
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", prefix + "-" + para.id);
      button.setAttribute("aria-label", label + para.id.slice(1));
      button.addEventListener("click", function () {
        var shown = document.getElementById(prefix + "-" + para.id);
        if (shown) closePanel(shown, button); else open(para, button);
      });
      // After the number and any control already there: Cite, then Suggest, in the order the
      // margin shows them (and the keyboard reaches them).
      var controls = para.querySelectorAll(".para-link, .cite-btn, .suggest-btn");
      var last = controls[controls.length - 1];
      para.insertBefore(button, last ? last.nextSibling : para.firstChild);
    });
  }
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  // Every paragraph's cite control: its permalink and a ready citation in each style.
  var templates = data("edition-cite-data");
  function citation(text, id) {
    return text.split("__PERMALINK__").join(permalink(id)).split("__PARAGRAPH__").join(id.slice(1));
  }
  function openCite(para, button) {
    var id = para.id, number = id.slice(1);
    showPanel(para, button, "cite", "Cite paragraph " + number, "Cite \u00b6 " + number, function (panel) {
      var rows = [["Permalink", permalink(id), false]];
      ["chicago", "mla", "apa", "bibtex", "ris"].forEach(function (key) {
        var t = templates[key];
        var text = citation(t.reference, id) + (t.in_text ? "\nIn the text: " + citation(t.in_text, id) : "");
        rows.push([t.label, text, key === "bibtex" || key === "ris"]);
      });
      rows.forEach(function (row) {
        var wrap = element("div", "", "cite-row");
        wrap.appendChild(element("strong", row[0] + " "));
        wrap.appendChild(copyButton(row[1], "Copy " + row[0] + " for paragraph " + number));
        wrap.appendChild(element(row[2] ? "pre" : "div", row[1]));
        panel.appendChild(wrap);
      });
    });
  }
  if (templates) marginButtons("cite-btn", "cite", "Cite paragraph ", openCite);

  // Every paragraph's "Suggest an annotation" and "Report a problem": the hosting platform's
  // new-file and new-issue pages, prefilled; without a configured repository, the template to copy.
  var suggest = data("edition-suggest-data");
  function today() { return new Date().toISOString().slice(0, 10); }
  function slug(text) {
    var words = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().match(/[a-z0-9]+/g);
    return (words || ["annotation"]).slice(0, 5).join("-");
  }
  function openingWords(para) {
    var clone = para.cloneNode(true);
    clone.querySelectorAll(".para-link, .cite-btn, .suggest-btn, .annot-ref, .footnote-reference, .page-break, .alias-anchor")
      .forEach(function (n) { n.remove(); });
    return clone.textContent.trim().split(/\s+/).slice(0, 6).join(" ");
  }
  function template(kind, para) {
    var quote = openingWords(para);
    var t = suggest.kinds[kind];
    var fillIn = function (text) {
      return text.split("__PARAGRAPH__").join(para.id).split("__SLUG__").join(slug(quote))
        .split("__DATE__").join(today()).split("__QUOTE__").join(JSON.stringify(quote));
    };
    return { yaml: fillIn(t.yaml), path: fillIn(t.path) };
  }
  function openSuggest(para, button) {
    var number = para.id.slice(1);
    var heading = "Suggest an annotation on \u00b6 " + number;
    showPanel(para, button, "suggest", "Suggest an annotation on paragraph " + number, heading, function (panel) {
      panel.appendChild(element("p", suggest.repository
        ? "Each link opens a new file in the repository, prefilled for this paragraph: edit the quote to the exact words, replace every FILL IN, and propose the change. CONTRIBUTING.md explains every field."
        : "Copy a template into a new file at the path shown, edit the quote to the exact words, replace every FILL IN, and open a pull request. CONTRIBUTING.md explains every field."));
      [["gloss", "Gloss"], ["commentary", "Commentary"], ["crossref", "Cross-reference"], ["emendation", "Emendation"], ["variant", "Variant"]].forEach(function (kind) {
        var t = template(kind[0], para);
        var row = element("div", "", "cite-row");
        if (suggest.repository) {
          var link = element("a", kind[1], "suggest-link");
          link.href = suggest.repository + "/new/" + encodeURIComponent(suggest.branch) + "?filename=" +
            encodeURIComponent(t.path) + "&value=" + encodeURIComponent(t.yaml);
          link.setAttribute("data-kind", kind[0]);
          row.appendChild(link);
        } else {
          row.appendChild(element("strong", kind[1] + " \u2014 " + t.path + " "));
          row.appendChild(copyButton(t.yaml, "Copy the " + kind[1] + " template"));
          row.appendChild(element("pre", t.yaml));
        }
        panel.appendChild(row);
      });
      if (suggest.repository) {
        var report = element("a", "Report a problem with this paragraph", "report-link");
        report.href = suggest.repository + "/issues/new?title=" + encodeURIComponent("Problem in \u00b6 " + number) +
          "&body=" + encodeURIComponent("Paragraph: " + permalink(para.id) + "\n\nWhat is wrong, and what should it say?\n");
        var line = element("p");
        line.appendChild(report);
        panel.appendChild(line);
      }
    });
  }
  if (suggest) marginButtons("suggest-btn", "suggest", "Suggest an annotation on paragraph ", openSuggest);

  // Layers the reader can switch off; the choice is kept across visits.
  var LAYERS = [["gloss", "Glosses"], ["commentary", "Commentary"], ["crossref", "Cross-references"],
                ["emendation", "Apparatus (emendations)"], ["variant", "Variants"], ["pages", "Page numbers"]];
  var stored = {};
  try { stored = JSON.parse(localStorage.getItem("edition-layers") || "{}"); } catch (e) { stored = {}; }
  function apply() {
    LAYERS.forEach(function (layer) { root.classList.toggle("layer-off-" + layer[0], stored[layer[0]] === false); });
  }
  apply();
  // The control lives in a shadow root, so that it adds nothing to the page's text, which
  // annotation clients match quotes against (see edition/exports/selectors.py).
  var firstPara = document.querySelector("p.edition-para");
  if (firstPara) {
    var host = document.createElement("div");
    host.className = "edition-layers-host";
    var shadow = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = "fieldset{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85rem;margin:0 0 1.2rem;" +
      "padding:.4rem .6rem;border:1px solid currentColor;border-radius:4px}legend{font-weight:bold;padding:0 .3rem}" +
      "label{white-space:nowrap}button{font:inherit;font-size:.8rem}";
    shadow.appendChild(style);
    var box = document.createElement("fieldset");
    box.className = "edition-layers";
    var legend = document.createElement("legend");
    legend.textContent = "Show in the text";
    box.appendChild(legend);
    LAYERS.forEach(function (layer) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.checked = stored[layer[0]] !== false;
      input.setAttribute("data-layer", layer[0]);
      input.addEventListener("change", function () {
        stored[layer[0]] = input.checked;
        try { localStorage.setItem("edition-layers", JSON.stringify(stored)); } catch (e) { /* private mode */ }
        apply();
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + layer[1]));
      box.appendChild(label);
    });
    var clean = document.createElement("button");
    clean.type = "button";
    clean.textContent = "Reading text only";
    clean.addEventListener("click", function () {
      var on = box.querySelectorAll("input:checked").length === 0;
      box.querySelectorAll("input").forEach(function (input) { input.checked = on; stored[input.getAttribute("data-layer")] = on; });
      try { localStorage.setItem("edition-layers", JSON.stringify(stored)); } catch (e) { /* private mode */ }
      apply();
      clean.textContent = on ? "Reading text only" : "Show all notes";
    });
    box.appendChild(clean);
    shadow.appendChild(box);
    var heading = document.querySelector(".bd-article h1, article h1");
    var anchor = heading ? heading.nextElementSibling : firstPara;
    anchor.parentNode.insertBefore(host, anchor);
  }

  // A link to a paragraph scrolls to it and highlights it (CSS :target), also after the page has loaded.
  if (/^#p\d/.test(window.location.hash)) {
    var target = document.getElementById(window.location.hash.slice(1));
    if (target) target.scrollIntoView({ block: "start" });
  }
})();
