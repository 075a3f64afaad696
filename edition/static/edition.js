// The edition's behaviour. Without it every note is on the page after its paragraph and every
// control is hidden (edition.css, scripting: none). With it a note opens from its mark by click,
// tap or keyboard: in a sheet at the foot of a narrow window, in the margin of a wide one, where
// each note also stands as a compact sidenote beside the line of its words. The essay's own
// notes preview at their number; paragraphs get Cite and Suggest; the reader's choice of notes
// and layers is kept. The script adds no text to the page until asked (labels come from CSS),
// so the text annotation clients match is the text the exports were made from.
(function () {
  "use strict";
  var body = document.body;
  var wide = window.matchMedia("(min-width: 70em)");

  // ---- Notes on the paragraphs ----
  var marks = {};  // annotation id -> the last element of its marked words
  document.querySelectorAll(".annot-mark").forEach(function (mark) { marks[mark.getAttribute("data-annot")] = mark; });
  document.querySelectorAll(".annot-ref").forEach(function (ref) {
    ref.setAttribute("role", "button");
    ref.setAttribute("aria-expanded", "false");
  });

  function idOf(note) { return note.id.slice(2); }
  function refOf(note) { return document.getElementById("m-" + idOf(note)); }
  function openNote() { return document.querySelector(".annot-notes .annot-open"); }

  function lightWords(note, on) {
    document.querySelectorAll('.annot-mark[data-annot="' + idOf(note) + '"]').forEach(function (m) { m.classList.toggle("ed-open", on); });
  }

  function open(note, focus) {
    var current = openNote();
    if (current && current !== note) close(current, false);
    if (!note.querySelector(".annot-close")) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "annot-close";  // "×" comes from CSS
      button.setAttribute("aria-label", "Close note");
      note.insertBefore(button, note.firstChild);
    }
    note.classList.add("annot-open");
    lightWords(note, true);
    var block = note.closest(".edition-block");
    if (block) block.classList.add("ed-has-open");
    var ref = refOf(note);
    if (ref) ref.setAttribute("aria-expanded", "true");
    layout();
    if (focus) note.focus({ preventScroll: true });
    if (!wide.matches) reveal(marks[idOf(note)], note);
  }

  // On a narrow screen the sheet covers the foot of the window: the words it is about are
  // brought into the part left in view.
  function reveal(mark, note) {
    if (!mark) return;
    var words = mark.getBoundingClientRect(), free = window.innerHeight - note.offsetHeight;
    if (words.top < 8 || words.bottom > free - 8) window.scrollBy(0, words.top - Math.max(8, free / 3));
  }

  function close(note, focus) {
    note.classList.remove("annot-open");
    lightWords(note, false);
    var block = note.closest(".edition-block");
    if (block) block.classList.remove("ed-has-open");
    var ref = refOf(note);
    if (ref) {
      ref.setAttribute("aria-expanded", "false");
      if (focus) ref.focus({ preventScroll: true });
    }
    layout();
  }

  function toggle(note) {
    if (note.classList.contains("annot-open")) close(note, true);
    else open(note, true);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var ref = target.closest(".annot-ref");
    var mark = !ref && target.closest(".annot-mark");
    var note = !ref && !mark && target.closest(".annot-notes .annot");
    if (ref) {
      event.preventDefault();
      var own = document.getElementById(ref.getAttribute("aria-controls"));
      if (own) toggle(own);
    } else if (mark && !window.getSelection().toString()) {
      var byMark = document.getElementById("a-" + mark.getAttribute("data-annot"));
      if (byMark) toggle(byMark);
    } else if (target.closest(".annot-close")) {
      close(target.closest(".annot"), true);
    } else if (note && !note.classList.contains("annot-open")) {
      open(note, true);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === " " && target instanceof Element && target.matches(".annot-ref")) {
      event.preventDefault();
      target.click();
    } else if (event.key === "Escape") {
      var note = openNote();
      if (note) { event.preventDefault(); close(note, true); }
    }
  });

  // Hovering the words lights their sidenote, and the other way round.
  function hover(event, on) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var mark = target.closest(".annot-mark");
    var note = target.closest(".annot-notes .annot");
    var id = mark ? mark.getAttribute("data-annot") : note ? idOf(note) : null;
    if (!id) return;
    var side = document.getElementById("a-" + id);
    if (side) side.classList.toggle("ed-hover", on);
    document.querySelectorAll('.annot-mark[data-annot="' + id + '"]').forEach(function (m) { m.classList.toggle("ed-hover", on); });
  }
  document.addEventListener("mouseover", function (event) { hover(event, true); });
  document.addEventListener("mouseout", function (event) { hover(event, false); });

  // ---- Sidenotes: each beside the line of its words, stacked without overlapping ----
  var GAP = 6;
  var pending = false;
  function layout() {
    if (!wide.matches) {  // no margin: the places set for a wider window go (a sheet is fixed to the foot)
      if (body.classList.contains("ed-laid-out")) {
        document.querySelectorAll(".annot-notes .annot").forEach(function (note) { note.style.top = ""; });
        body.classList.remove("ed-laid-out");
      }
      return;
    }
    var notes = [];
    document.querySelectorAll(".annot-notes .annot").forEach(function (note) {
      if (note.offsetParent === null) return;  // hidden by a layer or the density
      var mark = marks[idOf(note)];
      var rects = mark ? mark.getClientRects() : [];
      var line = rects.length ? rects[rects.length - 1].top : note.parentNode.getBoundingClientRect().top;
      notes.push([note, line + window.scrollY, note.parentNode.getBoundingClientRect().top + window.scrollY, note.offsetHeight]);
    });
    var bottom = -Infinity;
    notes.forEach(function (item) {
      var top = Math.max(item[1], bottom + GAP);
      item[0].style.top = Math.round(top - item[2]) + "px";
      bottom = top + item[3];
    });
    body.classList.add("ed-laid-out");
  }
  function relayout() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; layout(); });
  }
  window.addEventListener("resize", relayout);
  if (document.fonts) document.fonts.ready.then(relayout);

  // ---- The reader's choices: which notes beside the text, which layers; kept across visits ----
  var LAYERS = ["gloss", "commentary", "crossref", "emendation", "variant", "pages"];
  var layers = {}, density = "all";
  try {
    layers = JSON.parse(localStorage.getItem("edition-layers") || "{}") || {};
    density = localStorage.getItem("edition-density") || "all";
  } catch (e) { /* storage unavailable: the defaults */ }
  function store() {
    try {
      localStorage.setItem("edition-layers", JSON.stringify(layers));
      localStorage.setItem("edition-density", density);
    } catch (e) { /* private mode */ }
  }
  var panel = document.querySelector(".reading-options");
  var textOnly = panel && panel.querySelector(".reading-text-only");
  function apply() {
    LAYERS.forEach(function (layer) { body.classList.toggle("layer-off-" + layer, layers[layer] === false); });
    ["all", "paragraph", "none"].forEach(function (d) { body.classList.toggle("ed-density-" + d, d === density); });
    if (panel) {
      panel.querySelectorAll("input[data-layer]").forEach(function (input) { input.checked = layers[input.getAttribute("data-layer")] !== false; });
      panel.querySelectorAll("input[name=density]").forEach(function (input) { input.checked = input.value === density; });
      var off = panel.querySelectorAll("input[data-layer]:checked").length === 0;
      textOnly.textContent = off ? "Show all notes" : "Reading text only";
    }
    relayout();
  }
  if (panel) {
    panel.addEventListener("change", function (event) {
      var input = event.target;
      if (input.hasAttribute("data-layer")) layers[input.getAttribute("data-layer")] = input.checked;
      else if (input.name === "density") density = input.value;
      store();
      apply();
    });
    textOnly.addEventListener("click", function () {
      var on = panel.querySelectorAll("input[data-layer]:checked").length === 0;
      LAYERS.forEach(function (layer) { layers[layer] = on; });
      store();
      apply();
    });
  }
  apply();

  // The masthead's menus (Contents, Notes) close on a click elsewhere and on Escape.
  function closeMenus(except) {
    document.querySelectorAll(".masthead details[open]").forEach(function (menu) { if (menu !== except) menu.open = false; });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target instanceof Element ? event.target.closest(".masthead details") : null);
  });
  document.addEventListener("keydown", function (event) {
    var menu = document.querySelector(".masthead details[open]");
    if (event.key === "Escape" && menu) { closeMenus(null); menu.querySelector("summary").focus(); }
  });

  // "This paragraph's notes": the paragraph crossing the upper third of the window.
  if ("IntersectionObserver" in window) {
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        document.querySelectorAll(".edition-block.ed-current").forEach(function (b) { b.classList.remove("ed-current"); });
        entry.target.classList.add("ed-current");
      });
      if (density === "paragraph") relayout();
    }, { rootMargin: "-30% 0px -65% 0px" });
    document.querySelectorAll(".edition-block").forEach(function (block) { watcher.observe(block); });
  }

  // What stays at the top of the window over the text (the masthead, on a wide screen): CSS's
  // scroll-padding, which places what a link or the script brings into view below it.
  function clearTop() { return parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0; }

  // ---- The essay's own notes: a preview at the number (hover, focus or tap) ----
  var card = null, cardRef = null, hideTimer = 0, touched = false;
  function hidePreview() {
    clearTimeout(hideTimer);
    if (!card) return;
    if (cardRef) cardRef.removeAttribute("aria-describedby");
    card.remove();
    card = cardRef = null;
  }
  function showPreview(ref) {
    if (cardRef === ref) { clearTimeout(hideTimer); return; }
    hidePreview();
    var number = ref.getAttribute("href").slice(1).replace("note-", "");
    var note = document.getElementById("note-" + number);
    if (!note) return;
    card = document.createElement("div");
    card.className = "note-preview";
    card.id = "preview-" + number;
    card.setAttribute("role", "tooltip");
    var label = document.createElement("p");
    label.className = "preview-number";
    label.textContent = "Note " + number;
    card.appendChild(label);
    var head = note.querySelector(".annot-head");
    if (head) card.appendChild(head.cloneNode(true));
    var confidence = note.querySelector(".annot-confidence");
    if (confidence) {
      var sure = document.createElement("p");
      sure.className = "preview-confidence";
      sure.textContent = "Confidence: " + confidence.textContent;
      card.appendChild(sure);
    }
    var more = document.createElement("a");
    more.href = "#note-" + number;
    more.textContent = "Read the full note";
    var line = document.createElement("p");
    line.appendChild(more);
    card.appendChild(line);
    card.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
    card.addEventListener("mouseleave", function () { hideTimer = setTimeout(hidePreview, 250); });
    body.appendChild(card);
    // Inside the window: below the number, else above it, else where it fits (CSS caps its size).
    var box = ref.getBoundingClientRect(), width = document.documentElement.clientWidth, height = window.innerHeight;
    var left = Math.max(8, Math.min(box.left - 16, width - card.offsetWidth - 8));
    var top = box.bottom + 8;
    if (top + card.offsetHeight > height - 8) top = box.top - 8 - card.offsetHeight;
    if (top < clearTop() + 8) top = Math.max(clearTop() + 8, height - 8 - card.offsetHeight);
    card.style.left = left + window.scrollX + "px";
    card.style.top = top + window.scrollY + "px";
    ref.setAttribute("aria-describedby", card.id);
    cardRef = ref;
  }
  var shownBefore = false;  // whether a tap's note number was already previewed when the tap began
  document.addEventListener("pointerdown", function (event) {
    touched = event.pointerType === "touch";
    var ref = event.target instanceof Element && event.target.closest("a.footnote-reference");
    shownBefore = Boolean(ref) && ref === cardRef;
  }, true);
  document.addEventListener("mouseover", function (event) {
    var ref = event.target instanceof Element && event.target.closest("a.footnote-reference");
    if (ref) showPreview(ref);
  });
  document.addEventListener("mouseout", function (event) {
    var ref = event.target instanceof Element && event.target.closest("a.footnote-reference");
    if (ref && ref === cardRef) hideTimer = setTimeout(hidePreview, 250);
  });
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target instanceof Element && target.matches("a.footnote-reference")) showPreview(target);
    else if (card && !card.contains(target)) hidePreview();
  });
  document.addEventListener("click", function (event) {
    var ref = event.target instanceof Element && event.target.closest("a.footnote-reference");
    if (ref && touched && !shownBefore) {  // the first tap previews, a second follows the link
      event.preventDefault();
      showPreview(ref);
    } else if (card && !(event.target instanceof Element && card.contains(event.target)) && !ref) {
      hidePreview();
    }
  });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape" && card) hidePreview(); });

  // A link to an annotation (#a-…) or to its mark (#m-…, as the indexes link) opens it with its
  // words lit; a link to a note number previews the note; a link to a paragraph highlights it
  // (CSS :target). An id of a paragraph's form that the edition never gave gets a notice.
  var PARAGRAPH_ID = /^p[1-9][0-9]{0,6}[a-z]?$/;
  function followHash() {
    var id = window.location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* not an id of ours */ }
    var notice = document.querySelector(".anchor-unknown");
    if (notice) notice.remove();
    var note = /^[am]-/.test(id) && document.getElementById("a-" + id.slice(2));
    var shown = openNote();  // a link followed from an open note (to a paragraph, say) closes it
    if (shown && shown !== note) close(shown, false);
    var target = document.getElementById(id);
    if (note && note.closest(".annot-notes")) {
      open(note, true);
      if (target && target !== note) keepFocus(target, note);
      if (wide.matches) {  // the words a fifth of the way down, their sidenote beside and below them
        var words = document.querySelector('.annot-mark[data-annot="' + idOf(note) + '"]') || note;
        window.scrollBy(0, words.getBoundingClientRect().top - clearTop() - (window.innerHeight - clearTop()) / 5);
      }
    } else if (target && target.matches("a.footnote-reference")) {
      target.scrollIntoView({ block: "center" });
      showPreview(target);
    } else if (target && target.matches("p.edition-para")) {
      target.scrollIntoView({ block: "start" });
    } else if (!target && PARAGRAPH_ID.test(id)) {
      unknownParagraph(id);
    }
  }
  window.addEventListener("hashchange", followHash);

  // The browser focuses a link's target when the page has loaded: the note opened for a mark
  // keeps the focus, until the reader does something.
  function keepFocus(mark, note) {
    function give() { if (note.classList.contains("annot-open")) note.focus({ preventScroll: true }); done(); }
    function done() {
      mark.removeEventListener("focus", give);
      document.removeEventListener("keydown", done, true);
      document.removeEventListener("pointerdown", done, true);
    }
    mark.addEventListener("focus", give);
    document.addEventListener("keydown", done, true);
    document.addEventListener("pointerdown", done, true);
  }

  // Built with textContent: the fragment is the visitor's, not the edition's.
  function unknownParagraph(id) {
    var main = document.querySelector("main") || body;
    var paras = main.querySelectorAll("p.edition-para");
    if (!paras.length) return;
    var notice = element("p", "", "anchor-unknown");
    notice.setAttribute("role", "status");
    notice.appendChild(document.createTextNode("\u00b6\u00a0" + id.slice(1) + " is not a paragraph of this edition: its paragraphs run from "));
    [paras[0], paras[paras.length - 1]].forEach(function (para, index) {
      var link = element("a", "\u00b6\u00a0" + para.id.slice(1));
      link.href = "#" + para.id;
      notice.appendChild(link);
      notice.appendChild(document.createTextNode(index ? "." : " to "));
    });
    var changes = document.querySelector('.contents-menu a[href$="changes.html"]');
    if (changes) {
      notice.appendChild(document.createTextNode(" Paragraphs added, merged or removed are listed under "));
      notice.appendChild(element("a", "Changes")).href = changes.href;
      notice.appendChild(document.createTextNode("."));
    }
    main.insertBefore(notice, main.firstChild);
    window.scrollTo(0, 0);
  }

  // ---- Copying, and the live region that says it was done ----
  var live = document.createElement("div");
  live.className = "edition-live";
  live.setAttribute("aria-live", "polite");
  body.appendChild(live);
  function say(text) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }

  // Plain text for every place, and where there is markup (a style's italics) HTML beside it,
  // which word processors paste with the italics.
  function copy(text, button, html) {
    function done() { var old = button.textContent; button.textContent = "Copied"; say("Copied to the clipboard"); setTimeout(function () { button.textContent = old; }, 1500); }
    function plain() { navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); }); }
    if (navigator.clipboard && window.isSecureContext) {
      if (html && window.ClipboardItem && navigator.clipboard.write) {
        var item = new ClipboardItem({ "text/plain": new Blob([text], { type: "text/plain" }), "text/html": new Blob([html], { type: "text/html" }) });
        navigator.clipboard.write([item]).then(done, plain);
      } else plain();
    } else { fallback(text); done(); }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    body.appendChild(area); area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
    body.removeChild(area);
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
    var rich = body.tagName === "P" ? body.innerHTML : "";  // a style's italics, for a word processor
    button.addEventListener("click", function () { copy(body.textContent, button, rich); });
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
  function copyButton(text, label, html) {
    var button = element("button", "Copy");
    button.type = "button";
    button.setAttribute("aria-label", label);
    button.addEventListener("click", function () { copy(text, button, html); });
    return button;
  }
  // A style's reference as the words of its runs, in italics where the style sets them.
  function styled(runs, id) {
    var node = element("div", "", "cite-text");
    runs.forEach(function (run) {
      var words = document.createTextNode(citation(run[0], id));
      if (run[1]) { var i = document.createElement("i"); i.appendChild(words); node.appendChild(i); } else node.appendChild(words);
    });
    return node;
  }
  function closePanel(panel, button) {
    panel.parentNode.removeChild(panel);
    button.setAttribute("aria-expanded", "false");
    button.focus();
    relayout();
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
      if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); closePanel(panel, button); }
    });
    var after = para.closest(".edition-block") || para;
    after.parentNode.insertBefore(panel, after.nextSibling);
    button.setAttribute("aria-expanded", "true");
    panel.focus({ preventScroll: true });
    var box = panel.getBoundingClientRect();  // its heading in view, below the masthead
    if (box.top < clearTop() || box.bottom > window.innerHeight) {
      panel.scrollIntoView({ block: box.height > window.innerHeight / 2 ? "start" : "nearest" });
    }
    relayout();
  }
  // Every paragraph's Cite and Suggest buttons are in the page (their labels come from CSS);
  // here they get their panels.
  function marginButtons(className, prefix, open) {
    document.querySelectorAll("p.edition-para > ." + className).forEach(function (button) {
      var para = button.parentNode;
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", prefix + "-" + para.id);
      button.addEventListener("click", function () {
        var shown = document.getElementById(prefix + "-" + para.id);
        if (shown) closePanel(shown, button); else open(para, button);
      });
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
    showPanel(para, button, "cite", "Cite paragraph " + number, "Cite \u00b6\u00a0" + number, function (panel) {
      var rows = [["Permalink", element("div", permalink(id))]];
      ["chicago", "mla", "apa", "bibtex", "ris"].forEach(function (key) {
        var t = templates[key];
        rows.push([t.label, t.runs ? styled(t.runs, id) : element("pre", citation(t.reference, id))]);
        if (t.in_text) rows.push([t.label + ", in the text", element("div", citation(t.in_text, id))]);
      });
      rows.forEach(function (row) {
        var wrap = element("div", "", "cite-row"), shown = row[1];
        wrap.appendChild(element("strong", row[0] + " "));
        var html = shown.querySelector("i") ? shown.innerHTML : "";
        wrap.appendChild(copyButton(shown.textContent, "Copy " + row[0] + " for paragraph " + number, html));
        wrap.appendChild(shown);
        panel.appendChild(wrap);
      });
    });
  }
  if (templates) marginButtons("cite-btn", "cite", openCite);

  // Every paragraph's "Suggest an annotation" and "Report a problem": the hosting platform's
  // new-file and new-issue pages, prefilled; without a configured repository, the template to copy.
  var suggest = data("edition-suggest-data");
  function today() { return new Date().toISOString().slice(0, 10); }
  function slug(text) {
    var words = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().match(/[a-z0-9]+/g);
    return (words || ["annotation"]).slice(0, 5).join("-");
  }
  function openingWords(para) {
    return para.textContent.trim().split(/\s+/).slice(0, 6).join(" ");
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
    var heading = "Suggest an annotation on \u00b6\u00a0" + number;
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
        report.href = suggest.repository + "/issues/new?title=" + encodeURIComponent("Problem in \u00b6\u00a0" + number) +
          "&body=" + encodeURIComponent("Paragraph: " + permalink(para.id) + "\n\nWhat is wrong, and what should it say?\n");
        var line = element("p");
        line.appendChild(report);
        panel.appendChild(line);
      }
    });
  }
  if (suggest) marginButtons("suggest-btn", "suggest", openSuggest);

  // Arriving from the search page, which leaves its words in the browser's storage (Sphinx's
  // own highlighter is not loaded here): the paragraph holding the most of them, as a #pN link.
  function fromSearch() {
    var words = "";
    try {
      if (!/\/search\.html(\?|$)/.test(document.referrer) || window.location.hash) return;
      words = localStorage.getItem("sphinx_highlight_terms") || "";
      localStorage.removeItem("sphinx_highlight_terms");
    } catch (e) { return; }  // storage refused: the page opens at its top, as before
    var terms = words.toLowerCase().split(/\s+/).filter(Boolean), best = null, most = 0;
    document.querySelectorAll("p.edition-para").forEach(function (para) {
      var text = para.textContent.toLowerCase();
      var found = terms.filter(function (term) { return text.indexOf(term) !== -1; }).length;
      if (found > most) { best = para; most = found; }
    });
    if (best) window.location.replace("#" + best.id);
  }

  layout();
  fromSearch();
  followHash();
  // Until the page has loaded the browser keeps the link's target itself at the top: once it
  // has, the words (or the paragraph) are placed again.
  if (document.readyState !== "complete") window.addEventListener("load", followHash);
})();
