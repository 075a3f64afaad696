// What two clients readers use make of the edition's exports, as plain data for
// tests/test_clients.py: the EPUB in epub.js (its dist build, with JSZip, loaded before this
// file) and the TEI in CETEIcean (its dist build). Each step is what a reading system does:
// epub.js opens the book, lists its navigation, displays a section and follows links and CFIs;
// CETEIcean turns the TEI into custom elements and the page resolves their pointers.

// Whether the reader sees ``element``: its first box lies inside the viewer's window (epub.js
// pages by scrolling a row of columns sideways, so an element on another page lies outside).
function shows(viewer, element) {
  if (!element) return false;
  const box = element.getClientRects()[0];
  if (!box) return false;
  const frame = element.ownerDocument.defaultView.frameElement.getBoundingClientRect();
  const view = viewer.getBoundingClientRect();
  const left = frame.left + box.left + 1;
  return left >= view.left && left < view.right && box.height > 0;
}

function flatten(items, out = []) {
  for (const item of items) {
    out.push({ label: item.label.trim(), href: item.href });
    flatten(item.subitems || [], out);
  }
  return out;
}

function fragment(href) {
  return href.includes("#") ? decodeURIComponent(href.split("#")[1]) : "";
}

async function readEpub(url, viewer) {
  const book = ePub(url);
  await book.ready;
  const metadata = await book.loaded.metadata;
  const rendition = book.renderTo(viewer, { width: viewer.clientWidth, height: viewer.clientHeight });
  const current = () => rendition.getContents()[0];

  // The table of contents: every entry found in the spine, its fragment in the section, and shown.
  const toc = flatten((await book.loaded.navigation).toc);
  for (const entry of toc) {
    const section = book.spine.get(entry.href);
    entry.section = section ? section.href : null;
    if (!section) continue;
    await rendition.display(entry.href);
    const id = fragment(entry.href);
    const doc = current().document;
    entry.shown = shows(viewer, id ? doc.getElementById(id) : doc.body.firstElementChild);
  }

  // The essay as a reader opens it at its first page, then its first paragraph.
  await rendition.display("essay.xhtml");
  const essay = current();
  const first = essay.document.getElementById("p1");
  await rendition.display("essay.xhtml#p1");
  const opened = {
    section: book.spine.get(essay.sectionIndex).href,
    p1: first ? first.textContent : "",
    p1Shown: shows(viewer, first),
    paragraphs: essay.document.querySelectorAll("p.edition-para[id]").length,
  };

  // Shows the element ``id`` by ``go`` from a page that does not show it (the essay's first page,
  // or its last paragraph's), so that seeing it afterwards is the doing of ``go``.
  const section = book.spine.get("essay.xhtml");
  const loaded = (await section.load(book.load.bind(book))).ownerDocument;
  const ids = [...loaded.querySelectorAll("p.edition-para[id]")].map((p) => p.id);
  const middle = loaded.getElementById(ids[Math.floor(ids.length / 2)]);
  const moved = async (id, go) => {
    const element = () => current().document.getElementById(id);
    if (shows(viewer, element())) {
      const early = loaded.getElementById(id).compareDocumentPosition(middle) & Node.DOCUMENT_POSITION_FOLLOWING;
      await rendition.display(early ? `essay.xhtml#${ids[ids.length - 1]}` : "essay.xhtml");
    }
    const before = shows(viewer, element());
    await go();
    return !before && shows(viewer, element());
  };

  // Every note reference, clicked: epub.js's link handler resolves it to a section and displays
  // the place, which must show the note; the note's id must be in the section as loaded.
  const notes = [];
  const refs = [...essay.document.querySelectorAll("a[href]")].filter(
    (a) => (a.getAttributeNS("http://www.idpf.org/2007/ops", "type") || a.getAttribute("epub:type")) === "noteref",
  );
  for (const ref of refs) {
    const href = ref.getAttribute("href");
    const id = fragment(href);
    let followed = null;
    const shown = await moved(id, async () => {
      current().once("linkClicked", (resolved) => (followed = book.path.relative(resolved)));
      const displayed = new Promise((resolve) => rendition.once("displayed", resolve));
      ref.click();
      await Promise.race([displayed, new Promise((resolve) => setTimeout(resolve, 2000))]);
    });
    const target = current().document.getElementById(id);
    notes.push({
      ref: ref.id,
      href,
      followed,
      section: followed && book.spine.get(followed) ? book.spine.get(followed).href : null,
      inSection: Boolean(loaded.getElementById(id)),
      type: target ? target.getAttribute("epub:type") || target.getAttributeNS("http://www.idpf.org/2007/ops", "type") : null,
      shown,
      number: ref.textContent.trim(),
    });
  }

  // Paragraph anchors: each displayed by its href, and by a CFI of its first word made from the
  // section as loaded (as a bookmark or a highlight stores a place).
  const paragraphs = [];
  for (const id of ids) {
    const start = loaded.createRange();
    start.setStart(loaded.createTreeWalker(loaded.getElementById(id), NodeFilter.SHOW_TEXT).nextNode(), 0);
    const cfi = section.cfiFromRange(start);
    const byHref = await moved(id, () => rendition.display(`essay.xhtml#${id}`));
    const byCfi = await moved(id, () => rendition.display(cfi));
    paragraphs.push({ id, cfi, byHref, byCfi });
  }
  book.destroy();
  return { metadata, toc, opened, notes, paragraphs };
}

// The TEI as CETEIcean makes it, inserted in the page; every pointer of every element a reader
// can reach (the header, hidden by CETEIcean, included; the copies it hides after rewriting their
// content are not) and whether it resolves.
const POINTERS = ["target", "targetend", "ref", "from", "to", "ana", "resp", "source", "wit", "corresp"];

async function readTei(url, host) {
  host.appendChild(await new CETEI().getHTML5(url));
  await new Promise((resolve) => setTimeout(resolve, 0)); // custom elements upgraded
  const hidden = (element) => {
    const original = element.closest("cetei-original");
    return Boolean(original) && original.parentElement.localName !== "tei-teiheader";
  };
  const reachable = [...host.querySelectorAll("[data-origname]")].filter((e) => !hidden(e));
  const text = (selector) => [...host.querySelectorAll(selector)].filter((e) => !hidden(e)).map((e) => e.textContent.trim());
  const pointers = [];
  for (const element of reachable) {
    for (const name of POINTERS) {
      const value = element.getAttribute(name);
      if (!value) continue;
      for (const token of value.split(/\s+/)) {
        const local = token.startsWith("#");
        const target = local ? document.getElementById(token.slice(1)) : null;
        pointers.push({
          element: element.getAttribute("data-origname"),
          attribute: name,
          value: token,
          resolves: local ? Boolean(target) && !hidden(target) : null,
          to: target ? target.getAttribute("data-origname") || target.localName : null,
        });
      }
    }
  }
  const links = [...host.querySelectorAll('a[href^="#"]')]
    .filter((a) => !hidden(a))
    .map((a) => ({ href: a.getAttribute("href"), resolves: Boolean(document.getElementById(a.getAttribute("href").slice(1))) }));
  return {
    titles: text("tei-titlestmt > tei-title"),
    authors: text("tei-titlestmt > tei-author"),
    editors: text("tei-titlestmt > tei-respstmt#editors > tei-orgname"),
    paragraphs: [...host.querySelectorAll("tei-body tei-p[id]")].filter((e) => !hidden(e)).map((p) => [p.id, p.getAttribute("xml:id")]),
    pages: [...host.querySelectorAll("tei-body tei-pb")].filter((e) => !hidden(e)).map((pb) => pb.getAttribute("n")),
    notes: [...host.querySelectorAll('tei-body tei-note[place="foot"]')]
      .filter((e) => !hidden(e))
      .map((n) => ({ id: n.id, n: n.getAttribute("n"), words: n.textContent.trim().length })),
    pointers,
    links,
  };
}

window.EditionReaders = { readEpub, readTei };
