"""Attach standoff annotations to the text and render them as inline notes.

At ``builder-inited`` the annotation files are loaded and checked once. At ``source-read``
each document records a digest of the annotation files on its paragraphs and notes (for
incremental builds). At ``doctree-read``, after the page's own transforms, the quoted words
are marked and each annotation gets its place beside its paragraph (or in its note). Its
content is rendered from the file (the body from the tokens checked at load, never pasted
into the source, so nothing in it can break out) when the page is written, at
``doctree-resolved``, so no transform of the build walks it; an annotation that cites with
``{cite}`` is rendered while reading, when sphinxcontrib-bibtex records its citations.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from docutils.parsers.rst import roles

from .anchoring import Match, locate, split_part_holding
from .annotations import Annotation, Problem, load_annotations
from .bodies import parse_body
from .bodyhtml import Link, attribute, encode, fields_html, is_simple, reference
from .bodytree import body_nodes
from .config import from_sphinx
from .domain import EditionDomain
from .grades import LABELS as CONFIDENCE_LABELS
from .grades import meaning
from .inputs import writes
from .labels import compact_label, note_head
from .ledger import ID_SHAPE, Ledger
from .paragraphs import page_break, para_marker
from .sanitise import sanitise_tree
from .textnorm import opening_words
from .visitors import add_node, keep
from .warnings_ import Warn, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

PARA_TARGET = re.compile(r"^\((p[1-9][0-9]*[a-z]?)\)=\s*$", re.MULTILINE)
NOTE_DEF = re.compile(r"^\[\^([0-9]+)\]:", re.MULTILINE)
# Anything MyST could read as markup: with none of it, a field is a plain paragraph.
_MARKUP = re.compile(r"[\\`*_\[\]{}<>#|~!&$^%:=]|\n\s*\n|^\s*([-+]|\d+[.)])\s|https?:", re.MULTILINE)
KIND_LABELS = {
    "gloss": "Gloss",
    "note": "Note",
    "crossref": "Cross-reference",
    "emendation": "Emendation",
    "variant": "Variant",
    "commentary": "Commentary",
}


class annotation_body(nodes.General, nodes.Element):
    """One annotation as the reader sees it (``<div class="annot" id="a-…">``)."""


class annotation_group(nodes.General, nodes.Element):
    """The annotations of one paragraph, after it (``<aside class="annot-notes">``)."""


class annotation_mark(nodes.Inline, nodes.TextElement):
    """The quoted words in the reading text."""


class annotation_ref(nodes.Inline, nodes.Element):
    """The control that opens an annotation, after its marked words."""


class annotation_html(nodes.Element):
    """An annotation's content written as HTML by :mod:`edition.bodyhtml` (HTML builders
    only); its one text child holds the words, for the search index."""


class pending_target(nodes.Inline, nodes.Element):
    """A link to a paragraph, an annotation or a bibliography entry, resolved when all documents are read."""


@dataclass
class State:
    """The annotations of this build, loaded once."""

    root: Path
    annotations: dict[str, Annotation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    by_paragraph: dict[str, list[Annotation]] = field(default_factory=dict)
    by_note: dict[int, Annotation] = field(default_factory=dict)
    unsafe: set[str] = field(default_factory=set)  # rendered as plain text, never parsed
    orphans: list[Annotation] = field(default_factory=list)  # shown on the About page, never dropped
    parts: dict[str, list[str]] = field(default_factory=dict)  # split paragraph -> its other parts
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)  # file -> (mtime, size) when loaded

    def digest(self, paragraphs: list[str], notes: list[int]) -> str:
        chosen = [a for p in paragraphs for a in self.by_paragraph.get(p, [])]
        chosen += [self.by_note[n] for n in notes if n in self.by_note]
        sha = hashlib.sha256()
        for ann in chosen:  # by file stamp, as the loader's cache judges "unchanged": no file is reread
            sha.update(f"{ann.path}\0{self.stamps.get(ann.path)}\0".encode())
        return sha.hexdigest()


_STATES: weakref.WeakKeyDictionary[Sphinx, State] = weakref.WeakKeyDictionary()


def get_state(app: Sphinx) -> State:
    return _STATES[app]


def project_ledger(app: Sphinx) -> Ledger:
    """The anchor ledger of the project, if it has one (test roots may not)."""
    from .convert import read_ledger

    path = Path(app.confdir) / from_sphinx(app.config).source_dir / "anchors.yaml"
    return read_ledger(path, Path(app.confdir))


def _load(app: Sphinx) -> None:
    root = Path(app.confdir)
    settings = from_sphinx(app.config)
    # Files unchanged since the last build are not read again (the cache is saved with the environment).
    cache = getattr(app.env, "edition_annotation_cache", None)
    if not isinstance(cache, dict):
        cache = {}
        app.env.edition_annotation_cache = cache  # type: ignore[attr-defined]
    annotations, problems = load_annotations(root / settings.annotations_dir, root, cache)
    state = State(root, {a.id: a for a in annotations}, problems)
    state.stamps = {path: stamp for path, (stamp, _, _) in cache.items()}
    ledger = project_ledger(app)
    state.parts = ledger.parts()
    for ann in annotations:
        if any(ann.check_field(name)[0] for name in ("body", "basis")):
            state.unsafe.add(ann.id)
        if ann.paragraph:
            where = ann.paragraph if (entry := ledger.get(ann.paragraph)) is None else ledger.resolve(entry.id)
            if where and not ann.data.get("orphan"):
                state.by_paragraph.setdefault(where, []).append(ann)
            else:
                state.orphans.append(ann)
        elif ann.note is not None:
            state.by_note.setdefault(ann.note, ann)
    _STATES[app] = state
    for problem in problems:
        warn(problem.message, Warn(problem.type), location=f"{problem.path}:{problem.line}:{problem.column}")


_DETACHED: weakref.WeakKeyDictionary[BuildEnvironment, dict[str, Any]] = weakref.WeakKeyDictionary()


def _detach_cache(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """While pages are read, the cache of loaded files stays out of the environment: a
    parallel reader pickles the whole environment back to the main process for every
    chunk of pages, and every annotation file of the project need not travel with it."""
    cache = env.__dict__.pop("edition_annotation_cache", None)
    if cache is not None:
        _DETACHED[env] = cache


def _reattach_cache(app: Sphinx, env: BuildEnvironment) -> None:
    """Back before the environment is saved, for the next incremental build."""
    cache = _DETACHED.pop(env, None)
    if cache is not None:
        env.edition_annotation_cache = cache  # type: ignore[attr-defined]


def _digest(app: Sphinx, docname: str, source: list[str]) -> None:
    state = get_state(app)
    domain = cast(EditionDomain, app.env.get_domain("edition"))
    domain.digests[docname] = state.digest(
        PARA_TARGET.findall(source[0]), [int(n) for n in NOTE_DEF.findall(source[0])]
    )


def _outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Documents whose annotations were added, changed or removed since they were read."""
    state = get_state(app)
    domain = cast(EditionDomain, env.get_domain("edition"))
    paragraphs: dict[str, list[str]] = {}
    for ident, info in domain.paragraphs.items():
        paragraphs.setdefault(info["docname"], []).append(ident)
    stale = []
    for docname, digest in sorted(domain.digests.items()):
        if (
            docname in env.found_docs
            and state.digest(paragraphs.get(docname, []), domain.notes.get(docname, [])) != digest
        ):
            stale.append(docname)
    return stale


def _plain(text: str) -> nodes.Text:
    return nodes.Text(text)


def _local_paragraph(target: str, words: list[nodes.Node]) -> nodes.Node:
    """``[words](#p12)``: the reader's words, linked wherever paragraph 12 is published."""
    return pending_target("", *words, kind="paragraph", target=target, explicit=True)


class _Reporter:
    """The page's reporter, placing what a role reports in the annotation file."""

    def __init__(self, reporter: Any, source: str, line: int) -> None:
        self._reporter, self._where = reporter, (source, line)

    def get_source_and_line(self, lineno: int | None = None) -> tuple[str, int]:
        return self._where

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reporter, name)


class _Inliner:
    """What a Sphinx role needs of docutils' inliner: the document and a reporter."""

    def __init__(self, document: nodes.document, source: str, line: int) -> None:
        self.document = document
        self.reporter = _Reporter(document.reporter, source, line)
        self.parent = document

    def problematic(self, text: str, rawsource: str, message: nodes.system_message) -> nodes.Node:
        return nodes.problematic(rawsource, text)


class BodyRenderer:
    """Renders annotations of one page as ``annotation_body`` nodes."""

    def __init__(self, app: Sphinx, doctree: nodes.document) -> None:
        self.app, self.env, self.doctree = app, app.env, doctree
        self.state = get_state(app)

    @staticmethod
    def placeholder(ann: Annotation) -> annotation_body:
        """The annotation's place on the page; :meth:`fill` gives it its content."""
        body = annotation_body(
            ids=[f"a-{ann.id}"], annotation=ann.id, kind=ann.kind, classes=["annot", f"annot-{ann.kind}"]
        )
        if ann.paragraph:  # what its compact sidenote says (drawn by CSS: not part of the page's text)
            body["label"] = compact_label(ann.kind, ann.data, ann.quote.exact)
        return body

    def render(self, ann: Annotation) -> annotation_body:
        return self.fill(self.placeholder(ann), ann)

    def fill(self, body: annotation_body, ann: Annotation) -> annotation_body:
        data = ann.data
        body.document = self.doctree  # saves docutils a search up the parents for every node added
        head = nodes.paragraph(classes=["annot-head"])
        head += self._note_head(ann) if ann.kind == "note" else nodes.strong(text=KIND_LABELS[ann.kind])
        if ann.kind == "gloss":
            head += _plain(": ")
            head += nodes.inline(text=str(data["headword"]), classes=["annot-headword"])
        elif ann.kind == "emendation":
            head += _plain(": read ")
            head += nodes.inline(text=f"‘{data['reading']}’", classes=["annot-reading"])
            head += _plain(" for the witness’s ")
            head += nodes.inline(text=f"‘{ann.quote.exact}’", classes=["annot-witness"])
        elif ann.kind == "variant":  # the source's words beside the witness's, which stand as they are
            if data["reading"]:
                head += _plain(": the source reads ")
                head += nodes.inline(text=f"‘{data['reading']}’", classes=["annot-reading"])
                head += _plain(" where the witness has ")
            else:
                head += _plain(": the source does not have the witness’s ")
            head += nodes.inline(text=f"‘{ann.quote.exact}’", classes=["annot-witness"])
        elif ann.paragraph:
            head += _plain(" on ")
            head += nodes.inline(text=f"‘{ann.quote.exact}’", classes=["annot-quote"])
        body += head
        body += self._myst(ann, "body")
        if ann.kind == "note":
            body += self._citations(ann.data.get("citations", []))
        if ann.kind == "variant":  # where the reading was seen; the locator belongs to the first source
            locator = data.get("locator")
            body += self._citations(
                [{"key": key, "locator": None if index else locator} for index, key in enumerate(data["sources"])],
                "Seen in ",
            )
        if ann.kind == "crossref":
            refers = data["refers_to"]
            see = nodes.paragraph(classes=["annot-see"])
            see += _plain("See ")
            see += pending_target(
                kind="paragraph" if "paragraph" in refers else "annotation",
                target=next(iter(refers.values())),
            )
            body += see
        body += self._meta(ann)
        return body

    def _note_head(self, ann: Annotation) -> nodes.Node:
        """What one of the essay's notes cites (or its candidates, or "Not identified")."""
        from .citations import work_of

        def works(keys: list[str]) -> list[Any]:
            return [w for key in keys if (w := work_of(self.env, key)) is not None]

        cited = works([str(item["key"]) for item in ann.data.get("citations", [])])
        candidates = works([str(key) for key in ann.data.get("sources", [])])
        head = nodes.strong(classes=["annot-cites"])
        for text, style in note_head(cited, candidates):
            head += nodes.emphasis(text, text) if style == "title" else nodes.Text(text)
        return head

    def _plain_words(self, ann: Annotation, name: str) -> str | None:
        """The field as one paragraph of plain text: as written if the annotation is withheld,
        with its white space normalised if it has no markup (no tokens needed); else None."""
        text = str(ann.data[name])
        if ann.id in self.state.unsafe:
            return text
        return None if _MARKUP.search(text) else " ".join(text.split())

    def _myst(self, ann: Annotation, name: str) -> list[nodes.Node]:
        """A field in the safe MyST subset as nodes; a field outside it is shown as plain text."""
        plain = self._plain_words(ann, name)
        if plain is not None:
            return [nodes.paragraph("", plain, classes=["annot-withheld"] if ann.id in self.state.unsafe else [])]
        text = str(ann.data[name])
        line = ann.located.where((name,))[0]
        source = str(self.state.root / ann.path)

        def role(role_name: str, content: str, at: int) -> list[nodes.Node]:
            return self._role(role_name, content, source, at)

        return body_nodes(
            parse_body(text), source=source, line=line, role=role, local=_local_paragraph, document=self.doctree
        )

    def _role(self, name: str, content: str, source: str, line: int) -> list[nodes.Node]:
        if name == "para":
            return [pending_target(kind="paragraph", target=content.strip(), short=True)]
        if name == "ann":
            return [pending_target(kind="annotation", target=content.strip())]
        # {cite}, {cite:p}, {cite:t}: sphinxcontrib-bibtex's roles, called as MyST calls them
        domain_name, _, role_name = name.rpartition(":")
        func: Any = None
        if not domain_name:
            func = roles.role(name, None, line, self.doctree.reporter)[0]
        elif domain_name in self.env.domains:
            func = self.env.get_domain(domain_name).role(role_name)
        rawtext = f"{{{name}}}`{content}`"
        if func is None:
            warn(f"the role {{{name}}} is not available in this project", Warn.REF, location=(source, line))
            return [nodes.literal(rawtext, rawtext)]
        made, _ = func(name, rawtext, content, line, _Inliner(self.doctree, source, line), {}, [])
        return list(made)

    def _citations(self, items: list[dict[str, Any]], lead: str = "") -> list[nodes.Node]:
        from .citations import format_citation

        out: list[nodes.Node] = []
        for item in items:
            para = nodes.paragraph(classes=["annot-citation"])
            if lead:
                para += _plain(lead)
            cite, link = format_citation(self.env, item["key"])
            para += cite
            if item.get("date"):
                para += _plain(f" Dated {item['date']}.")
            if item.get("locator"):  # "conclusion", "chapter 9": say what the words are
                para += _plain(f" Passage: {item['locator']}.")
            if link is not None:
                para += _plain(" ")
                para += link
            out.append(para)
        return out

    def _meta(self, ann: Annotation) -> nodes.Node:
        data = ann.data
        meta = nodes.paragraph(classes=["annot-meta"])
        if "confidence" in data:
            grade = data["confidence"]
            meta += nodes.abbreviation(
                text=CONFIDENCE_LABELS[grade],
                explanation=meaning(grade),
                classes=["annot-confidence", f"confidence-{grade}"],
            )
            meta += _plain(". ")
        if "basis" in data:
            for node in self._myst(ann, "basis"):
                if isinstance(node, nodes.paragraph):
                    meta += nodes.inline("", "", *node.children, classes=["annot-basis"])
                    meta += _plain(" ")
        author = data["author"]
        meta += _plain(f"— {author['name']}")
        if author.get("orcid"):
            meta += _plain(" (")
            meta += nodes.reference("", f"ORCID {author['orcid']}", refuri=f"https://orcid.org/{author['orcid']}")
            meta += _plain(")")
        meta += _plain(f", {data['date']}.")
        return meta

    def writes_html(self, ann: Annotation) -> bool:
        """True if :meth:`fill_html` can write the annotation: not a note or a variant (their
        citations are pybtex nodes), and every field plain, withheld or in the subset bodyhtml writes."""
        if ann.kind in ("note", "variant"):
            return False
        return all(
            self._plain_words(ann, name) is not None or is_simple(parse_body(str(ann.data[name])))
            for name in ("body", "basis")
            if name in ann.data
        )

    def fill_html(self, body: annotation_body, ann: Annotation, link: Link) -> annotation_body:
        """The same HTML as :meth:`fill` and the HTML translator make, written directly."""
        data, words = ann.data, []

        def text(value: str) -> str:
            words.append(value)
            return encode(value)

        def span(classes: str, value: str) -> str:
            return f'<span class="{attribute(classes)}">{text(value)}</span>'

        label = KIND_LABELS[ann.kind]
        out = [f'<p class="annot-head"><strong>{text(label)}</strong>']
        if ann.kind == "gloss":
            out += [text(": "), span("annot-headword", str(data["headword"]))]
        elif ann.kind == "emendation":
            out += [text(": read "), span("annot-reading", f"‘{data['reading']}’")]
            out += [text(" for the witness’s "), span("annot-witness", f"‘{ann.quote.exact}’")]
        elif ann.paragraph:
            out += [text(" on "), span("annot-quote", f"‘{ann.quote.exact}’")]
        out.append("</p>\n")
        opening = '<p class="annot-withheld">' if ann.id in self.state.unsafe else "<p>"
        out += [f"{opening}{inner}</p>\n" for inner in self._field_html(ann, "body", link, words)]
        if ann.kind == "crossref":
            refers = data["refers_to"]
            kind = "paragraph" if "paragraph" in refers else "annotation"  # as fill() does
            uri, words_of_link = link(kind, str(next(iter(refers.values()))), False)
            out.append(f'<p class="annot-see">{text("See ")}{reference(kind, uri, text(words_of_link))}</p>\n')
        out.append('<p class="annot-meta">')
        if "confidence" in data:
            grade = data["confidence"]
            abbr = f'<abbr class="annot-confidence confidence-{attribute(grade)}" title="{attribute(meaning(grade))}">'
            out += [f"{abbr}{text(CONFIDENCE_LABELS[grade])}</abbr>", text(". ")]
        if "basis" in data:
            basis = self._field_html(ann, "basis", link, words)
            out += [f'<span class="annot-basis">{inner}</span> ' for inner in basis]
        author = data["author"]
        out.append(text(f"— {author['name']}"))
        if author.get("orcid"):
            orcid = author["orcid"]
            address = attribute(f"https://orcid.org/{orcid}")
            out.append(f'{text(" (")}<a class="reference external" href="{address}">{text(f"ORCID {orcid}")}</a>)')
        date = data["date"]
        out.append(f"{text(f', {date}.')}</p>\n")
        body += annotation_html("", nodes.Text("\n".join(words)), html="".join(out))
        return body

    def _field_html(self, ann: Annotation, name: str, link: Link, words: list[str]) -> list[str]:
        """The inner HTML of each paragraph of a field, as :meth:`_myst` would make them."""
        plain = self._plain_words(ann, name)
        if plain is not None:
            words.append(plain)
            return [encode(plain)]
        return fields_html(parse_body(str(ann.data[name])), link, words)


_NOT_WORDS = (nodes.footnote_reference, para_marker, page_break)
MAX_NESTED_MARKS = 8
"""Marks on the same words nest; beyond this depth the words, already marked, get no further
mark (each annotation keeps its own control and note). Two hundred annotations on one
phrase nested two hundred deep, and the page could not be saved (RecursionError)."""


def _mark_depth(node: nodes.Node) -> int:
    depth, parent = 0, node.parent
    while parent is not None:
        depth += isinstance(parent, annotation_mark)
        parent = parent.parent
    return depth


def _text_nodes(para: nodes.paragraph) -> list[nodes.Text]:
    """The paragraph's own words: not note numbers, margin numbers, page labels or note controls."""
    found: list[nodes.Text] = []
    stack = list(reversed(para.children))  # a loop, not recursion: marks may nest deep
    while stack:
        child = stack.pop()
        if isinstance(child, nodes.Text):
            found.append(child)
        elif not isinstance(child, (*_NOT_WORDS, annotation_ref)):
            stack.extend(reversed(child.children))
    return found


def renders_while_reading(ann: Annotation) -> bool:
    """True if the annotation cites with {cite}: sphinxcontrib-bibtex records citations while
    pages are read and resolves them before ``doctree-resolved``. Every other annotation is
    rendered when its page is written, so no transform of the build walks its nodes."""
    return any(ref.kind == "cite" for name in ("body", "basis") for ref in ann.check_field(name)[1])


def paragraph_text(para: nodes.paragraph) -> str:
    return "".join(str(t) for t in _text_nodes(para))


class _Words:
    """A paragraph's own text nodes in reading order with their offsets, kept up to date as
    marks split them, so that each mark costs the nodes it touches, not a walk of the paragraph.

    For each node it also keeps where a control placed after it goes: after the outermost mark
    that ends with it (``_outer``), so that a control never interrupts another mark's words."""

    def __init__(self, para: nodes.paragraph) -> None:
        self.texts = _text_nodes(para)
        self.starts: list[int] = []
        offset = 0
        for text in self.texts:
            self.starts.append(offset)
            offset += len(text)
        self._outer: dict[int, nodes.Node] = {}  # id(text) -> outermost node ending with it, if not itself

    def outer(self, node: nodes.Node) -> nodes.Node:
        return self._outer.get(id(node), node)

    def mark(self, start: int, end: int, make: Any) -> nodes.Node | None:
        """Wrap ``[start, end)`` in marks made by ``make(words)``, one per text node it spans;
        return where the last mark's control goes (None if the span holds no words)."""
        first = max(0, bisect.bisect_right(self.starts, start) - 1)
        index, anchor = first, None
        while index < len(self.texts) and self.starts[index] < end:
            text, offset = self.texts[index], self.starts[index]
            content = str(text)
            lo, hi = max(start, offset), min(end, offset + len(content))
            if lo >= hi:
                index += 1
                continue
            if _mark_depth(text) >= MAX_NESTED_MARKS:  # marked enough: the control goes after these words
                anchor = self.outer(text)
                index += 1
                continue
            outer = self._outer.pop(id(text), text)
            mark = make(content[lo - offset : hi - offset])
            pieces: list[nodes.Node] = []
            leaves: list[tuple[int, nodes.Text]] = []
            if lo > offset:
                pieces.append(nodes.Text(content[: lo - offset]))
                leaves.append((offset, pieces[-1]))
            pieces.append(mark)
            leaves.append((lo, mark.children[0]))
            after = hi < offset + len(content)
            if after:
                pieces.append(nodes.Text(content[hi - offset :]))
                leaves.append((hi, pieces[-1]))
            # The mark ends where the text did only if nothing of the text follows it.
            mark_outer = mark if after or outer is text else outer
            if mark_outer is not mark:
                self._outer[id(mark)] = mark_outer
            self._outer[id(mark.children[0])] = mark_outer
            if after and outer is not text:
                self._outer[id(pieces[-1])] = outer
            parent = text.parent
            position = parent.index(text)
            parent.remove(text)
            for shift, piece in enumerate(pieces):
                parent.insert(position + shift, piece)
            self.texts[index : index + 1] = [leaf for _, leaf in leaves]
            self.starts[index : index + 1] = [at for at, _ in leaves]
            anchor = mark_outer
            index += len(leaves)
        return anchor


def _mark(words: _Words, ann: Annotation, hits: list[Match]) -> int | None:
    """Wrap the quoted words in marks (one per text node they span), then the opening control.

    ``hits`` are where the quote stands in the paragraph's text: marks split text nodes but
    keep the text the same, so the offsets found before any mark hold for every mark."""
    if len(hits) != 1:
        return None
    start, end = hits[0].start, hits[0].end
    classes = [] if hits[0].exact else ["annot-fuzzy"]

    def make(words_marked: str) -> annotation_mark:
        return annotation_mark("", words_marked, annotation=ann.id, kind=ann.kind, classes=list(classes))

    anchor = words.mark(start, end, make)
    if anchor is None:
        return None
    ref = annotation_ref(annotation=ann.id, kind=ann.kind, label=f"{KIND_LABELS[ann.kind]} on ‘{ann.quote.exact}’")
    # Where this mark ends another mark's words too, the control goes after that mark, so a
    # marker never interrupts another annotation's words.
    anchor.parent.insert(anchor.parent.index(anchor) + 1, ref)
    return start


def _attach(app: Sphinx, doctree: nodes.document) -> None:
    state = get_state(app)
    domain = cast(EditionDomain, app.env.get_domain("edition"))
    docname = app.env.docname
    renderer = BodyRenderer(app, doctree)
    notes = sorted(
        int(f["names"][0]) for f in doctree.findall(nodes.footnote) if f["names"] and f["names"][0].isdigit()
    )
    domain.notes[docname] = notes
    paragraphs = {
        ident: para
        for para in doctree.findall(nodes.paragraph)
        if (ident := next((i for i in para["ids"] if ID_SHAPE.match(i)), None))
    }
    texts = {ident: paragraph_text(para) for ident, para in paragraphs.items()}
    # An annotation whose words went to another part of a split paragraph follows them there.
    placed_in: dict[str, list[tuple[Annotation, list[Match]]]] = {}
    for ident in paragraphs:
        for ann in state.by_paragraph.get(ident, []):
            hits = locate(texts[ident], ann.quote)  # once per annotation: the same hits mark the words
            moved = None if hits else split_part_holding(ann.quote, ident, texts, state.parts)
            if moved:
                hits = locate(texts[moved], ann.quote)
            placed_in.setdefault(moved or ident, []).append((ann, hits))
    for ident, para in paragraphs.items():
        domain.paragraphs[ident] = {"docname": docname, "text": texts[ident]}
        for ref in para.findall(nodes.footnote_reference):
            label = ref.astext().strip("[]")
            if label.isdigit():
                domain.noterefs.setdefault(label, {"docname": docname, "paragraph": ident})
        group = annotation_group(paragraph=ident, opening=opening_words(texts[ident], 3), classes=["annot-notes"])
        placed: list[tuple[int, str, annotation_body]] = []
        words = _Words(para) if placed_in.get(ident) else None
        for ann, hits in placed_in.get(ident, []):
            body = _body(renderer, ann)
            start = _mark(words, ann, hits) if words is not None else None
            if start is None:
                body["classes"].append("annot-unattached")  # kept and shown; check reports why
            placed.append((start if start is not None else 1 << 30, ann.id, body))
            _record(domain, ann, docname)
        for _, _, body in sorted(placed, key=lambda item: (item[0], item[1])):  # in the order of their words
            group += body
        if group.children:
            # Paragraph and notes side by side on wide screens (a grid row: they never overlap).
            block = nodes.container(classes=["edition-block"])
            parent, index = para.parent, para.parent.index(para)
            parent.remove(para)
            block += para
            block += group
            parent.insert(index, block)
    for footnote in doctree.findall(nodes.footnote):
        label = footnote["names"][0] if footnote["names"] else ""
        expansion = state.by_note.get(int(label)) if label.isdigit() else None
        if expansion is None:
            continue
        for child in [c for c in footnote.children if not isinstance(c, nodes.label)]:
            footnote.remove(child)
        footnote += _body(renderer, expansion)
        footnote["classes"].append("edition-note-expanded")
        _record(domain, expansion, docname)


def _body(renderer: BodyRenderer, ann: Annotation) -> annotation_body:
    renderer.env.note_dependency(str(renderer.state.root / ann.path))
    writes(renderer.env, "links")  # its links to paragraphs and annotations are resolved when written
    return renderer.render(ann) if renders_while_reading(ann) else renderer.placeholder(ann)


def _fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each annotation rendered at write time its content, before its links are resolved."""
    from .refs import resolve

    def link(kind: str, target: str, short: bool) -> tuple[str | None, str]:
        return resolve(app, docname, kind, target, short)

    renderer = BodyRenderer(app, doctree)
    html = app.builder.format == "html"  # other builders (text, LaTeX) get the nodes
    for body in list(doctree.findall(annotation_body)):
        ann = renderer.state.annotations.get(body["annotation"])
        if ann is None or body.children:  # those with children were rendered while reading
            continue
        if html and renderer.writes_html(ann):
            renderer.fill_html(body, ann, link)
        else:
            sanitise_tree(renderer.fill(body, ann))


def _record(domain: EditionDomain, ann: Annotation, docname: str) -> None:
    data = ann.data
    label = str(data.get("headword") or ann.quote.exact or f"note {ann.note}")
    domain.annotations[ann.id] = {
        "docname": docname,
        "kind": ann.kind,
        "label": label,
        "category": data.get("category", ""),
        "headword": data.get("headword", ""),
        "paragraph": ann.paragraph or "",
        "note": ann.note or 0,
    }


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def visit_body_html(self: Any, node: annotation_body) -> None:
    classes = " ".join(node["classes"])
    label = f' data-label="{_attr(node["label"])}"' if node.get("label") else ""
    self.body.append(f'<div class="{classes}" id="a-{node["annotation"]}" role="note" tabindex="-1"{label}>')


def depart_body_html(self: Any, node: annotation_body) -> None:
    self.body.append("</div>")


def visit_group_html(self: Any, node: annotation_group) -> None:
    number = node["paragraph"][1:]
    self.body.append(f'<aside class="annot-notes" aria-label="Annotations on paragraph {_attr(number)}">')


def depart_group_html(self: Any, node: annotation_group) -> None:
    # A way back to the paragraph's start where its notes stand after it (without script, in the
    # EPUB). Its words also end each block of notes differently, so that words opening the next
    # paragraph have a context that annotation clients find once (edition/exports/selectors.py).
    ident, opening = _attr(node["paragraph"]), encode(node.get("opening", ""))
    self.body.append(
        f'<p class="annot-notes-back"><a href="#{ident}">Back to ¶ {ident[1:]} (‘{opening} …’)</a></p>\n</aside>'
    )


def visit_mark_html(self: Any, node: annotation_mark) -> None:
    classes = " ".join(["annot-mark", f"annot-{node['kind']}", *node["classes"]])
    self.body.append(f'<span class="{classes}" data-annot="{node["annotation"]}">')


def depart_mark_html(self: Any, node: annotation_mark) -> None:
    self.body.append("</span>")


def visit_html_html(self: Any, node: annotation_html) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def visit_ref_html(self: Any, node: annotation_ref) -> None:
    ident = node["annotation"]
    self.body.append(
        f'<a class="annot-ref annot-{node["kind"]}" id="m-{ident}" href="#a-{ident}" '
        f'aria-controls="a-{ident}" aria-label="{_attr(node["label"])}"></a>'
    )  # its mark is drawn by CSS, so the page's text is the essay's words
    raise nodes.SkipNode


def setup_annotations(app: Sphinx) -> None:
    app.add_domain(EditionDomain)
    add_node(app, annotation_body, html=(visit_body_html, depart_body_html))
    add_node(app, annotation_group, html=(visit_group_html, depart_group_html))
    add_node(app, annotation_mark, html=(visit_mark_html, depart_mark_html))
    add_node(app, pending_target, html=(keep, keep))
    add_node(app, annotation_html, html=(visit_html_html, None))
    add_node(app, annotation_ref, html=(visit_ref_html, None), others="drop")
    app.connect("builder-inited", _load)
    app.connect("source-read", _digest)
    app.connect("env-before-read-docs", _detach_cache)
    app.connect("env-updated", _reattach_cache)
    app.connect("env-get-outdated", _outdated)
    app.connect("doctree-read", _attach)
    app.connect("doctree-resolved", _fill, priority=400)  # before the links are resolved (500)
