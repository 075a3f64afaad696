"""TEI P5 XML of the edition: header (edition, witness, editorial declarations), the text with
paragraph ids, page beginnings, notes with their expansions, emendations as
``choice/sic/corr``, variants of quotations as ``app/lem/rdg`` (the reading's ``@source`` the
bibliography entry where it was seen), and glossed names and terms linked into lists in
``standOff``. Each grade of confidence is a category of the header's taxonomy, which a note,
gloss or reading points at with ``@ana``; ``@cert`` gives the same grade on TEI's own scale.

XML cannot nest a span that crosses another's boundary. Such a span is marked in the text by
two ``anchor`` elements (``m-<id>.start``, ``m-<id>.end``), and what it says stands in
``standOff`` between them: an emendation as ``span/choice``, a variant as ``app``, a gloss as a
``span`` holding the name, both with ``from`` and ``to``; a cross-reference's or commentary's
note gets ``targetEnd``. No correction or reading is dropped: an annotation whose words cannot
be placed stops the export with an error naming its file, line and column.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from markdown_it.token import Token

from ..annotation.grades import LABELS, meanings
from ..annotation.markup import parse_body
from ..annotation.model import Annotation
from ..core.anchoring import locate
from .model import EditionData

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ET.register_namespace("", TEI)
CERT = {
    "verified": "high",
    "verified-in-translation": "high",
    "secondary": "medium",
    "inferred": "low",
    "not-identified": "unknown",
}
GLOSS_ELEMENT = {
    "person": "persName",
    "organisation": "orgName",
    "place": "placeName",
    "term": "term",
    "work": "title",
    "document": "title",
    "event": "rs",
}


def graded(element: ET.Element, grade: str) -> None:
    """The grade on TEI's scale, and the category of the header's taxonomy that says what was seen."""
    element.set("cert", CERT[grade])
    element.set("ana", f"#confidence-{grade}")


def t(tag: str) -> str:
    return f"{{{TEI}}}{tag}"


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, t(tag), {(XML_ID if k == "xml_id" else k): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


# --- annotation bodies (the safe MyST subset) as TEI ---------------------------------------


def _append_text(parent: ET.Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _inline(parent: ET.Element, tokens: list[Token]) -> None:
    stack = [parent]
    for token in tokens:
        top = stack[-1]
        if token.type == "text":
            _append_text(top, token.content)
        elif token.type in ("softbreak", "hardbreak"):
            _append_text(top, " ")
        elif token.type == "code_inline":
            sub(top, "code", token.content)
        elif token.type in ("em_open", "strong_open"):
            stack.append(sub(top, "hi", rend="italic" if token.type == "em_open" else "bold"))
        elif token.type == "link_open":
            stack.append(sub(top, "ref", target=str(token.attrGet("href") or "")))
        elif token.type in ("em_close", "strong_close", "link_close"):
            stack.pop()
        elif token.type == "myst_role":
            name = str(token.meta.get("name", "")).split(":")[0]
            for index, key in enumerate(k.strip() for k in token.content.split(",")):
                if index:
                    _append_text(top, "; ")
                target = {"cite": f"#bibl-{key}", "para": f"#{key}", "ann": f"#{key}"}.get(name, "")
                label = f"¶ {key[1:]}" if name == "para" else key
                sub(top, "ref", label, target=target, type=name)


def body_to_tei(parent: ET.Element, markdown: str) -> None:
    """Paragraphs, lists and quotes of a body as TEI ``p``, ``list`` and ``quote``."""
    stack = [parent]
    for token in parse_body(markdown):
        top = stack[-1]
        if token.type == "paragraph_open":
            stack.append(sub(top, "p") if top.tag != t("item") else top)
        elif token.type == "paragraph_close":
            if stack[-1].tag == t("p"):
                stack.pop()
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            stack.append(sub(top, "list", rend="numbered" if token.type.startswith("ordered") else "bulleted"))
        elif token.type == "list_item_open":
            stack.append(sub(top, "item"))
        elif token.type == "blockquote_open":
            stack.append(sub(top, "quote"))
        elif token.type in ("bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"):
            stack.pop()
        elif token.type == "inline" and token.children is not None:
            _inline(top, token.children)


# --- the reading text ------------------------------------------------------------------------


class ExportError(ValueError):
    """An annotation the export cannot place; the message names its file, line and column."""


@dataclass
class _Span:
    start: int
    end: int
    ann: Annotation
    children: list[_Span] = field(default_factory=list)


@dataclass(frozen=True)
class _Mark:
    """A crossing span's start or end, written as an ``anchor``."""

    offset: int
    end: bool
    span: _Span

    @property
    def ident(self) -> str:
        return f"m-{self.span.ann.id}.{'end' if self.end else 'start'}"


@dataclass(frozen=True)
class Crossing:
    """A span that crosses another's boundary, with the witness's words it covers."""

    ann: Annotation
    words: str


def _nest(spans: list[_Span]) -> tuple[list[_Span], list[_Span]]:
    """Nested spans, and those that cross a boundary (marked by anchors, told in standOff)."""
    roots: list[_Span] = []
    crossing: list[_Span] = []
    stack: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.ann.id)):
        while stack and stack[-1].end <= span.start:
            stack.pop()
        if stack and span.end > stack[-1].end:
            crossing.append(span)
            continue
        (stack[-1].children if stack else roots).append(span)
        stack.append(span)
    return roots, crossing


def _holds(span: _Span, mark: _Mark) -> bool:
    """Whether ``span``'s element holds the anchor: a start from its first character, an end up to its last."""
    if mark.end:
        return span.start < mark.offset <= span.end
    return span.start <= mark.offset < span.end


class _ParagraphWriter:
    def __init__(self, data: EditionData, text: str, points: list[tuple[int, int, str, int]]) -> None:
        self.data = data
        self.text = text
        self.points = sorted(points)  # (offset, order, kind, number)

    def fill(
        self, element: ET.Element, start: int, end: int, children: list[_Span], marks: list[_Mark], outermost: bool
    ) -> None:
        cursor = start
        # A point at a span's first character stands before the span (its parent emits it).
        events: list[tuple[int, int, object]] = [
            (p[0], p[1], p) for p in self.points if (start <= p[0] <= end if outermost else start < p[0] < end)
        ]
        events += [(s.start, 2, s) for s in children]
        # An end anchor closes before a note or page at the same place; a start anchor opens after them.
        events += [(m.offset, -1 if m.end else 3, m) for m in marks if not any(_holds(c, m) for c in children)]
        for offset, _, item in sorted(events, key=lambda e: (e[0], e[1])):
            if isinstance(item, _Span):
                _append_text(element, self.text[cursor : item.start])
                inner = self.open(element, item.ann)
                held = [m for m in marks if _holds(item, m)]
                self.fill(inner, item.start, item.end, item.children, held, outermost=False)
                cursor = item.end
            elif isinstance(item, _Mark):
                _append_text(element, self.text[cursor:offset])
                sub(element, "anchor", xml_id=item.ident)
                cursor = offset
            elif isinstance(item, tuple):
                if offset < cursor:
                    continue
                _append_text(element, self.text[cursor:offset])
                cursor = offset
                _, _, kind, number = item
                if kind == "note":
                    self.note(element, number)
                else:
                    sub(element, "pb", n=str(number))
        _append_text(element, self.text[cursor:end])

    def open(self, parent: ET.Element, ann: Annotation) -> ET.Element:
        if ann.kind == "emendation":
            return _choice(parent, ann)
        if ann.kind == "variant":
            return _app(parent, ann)
        if ann.kind == "gloss":
            return _name(parent, ann)
        return sub(parent, "seg", xml_id=f"m-{ann.id}", type=ann.kind)

    def note(self, parent: ET.Element, number: int) -> None:
        note = sub(parent, "note", n=str(number), place="foot", xml_id=f"note-{number}")
        ann = self.data.notes().get(number)
        if ann is None:
            sub(note, "p", "The witness does not preserve the text of this note.")
            return
        data = ann.data
        note.set("type", "expansion")
        note.set("resp", "#editors")
        graded(note, str(data["confidence"]))
        body_to_tei(note, str(data["body"]))
        if data.get("citations"):
            bibls = sub(note, "listBibl")
            for item in data["citations"]:
                bibl = sub(bibls, "bibl")
                sub(bibl, "ref", item["key"], target=f"#bibl-{item['key']}")
                if item.get("date"):
                    sub(bibl, "date", str(item["date"]))
                if item.get("locator"):
                    sub(bibl, "citedRange", str(item["locator"]))
        basis = sub(note, "note", type="basis")
        body_to_tei(basis, str(data["basis"]))


def _choice(parent: ET.Element, ann: Annotation) -> ET.Element:
    """An emendation: the witness's words in ``sic`` (returned, to be filled), the reading in ``corr``."""
    choice = sub(parent, "choice", xml_id=f"m-{ann.id}")
    sic = sub(choice, "sic")
    sub(choice, "corr", str(ann.data["reading"]), resp="#editors")
    return sic


def _app(parent: ET.Element, ann: Annotation, **attrs: str) -> ET.Element:
    """A variant: the witness's words stand as the lemma (returned, to be filled), the source's as a reading."""
    data = ann.data
    app = sub(parent, "app", xml_id=f"m-{ann.id}", type="quotation", **attrs)
    lemma = sub(app, "lem", wit="#witness")
    sources = " ".join(f"#bibl-{key}" for key in data["sources"])
    reading = sub(app, "rdg", str(data["reading"]) or None, source=sources, resp="#editors")
    graded(reading, str(data["confidence"]))
    note = sub(app, "note", type="variant", resp="#editors")
    body_to_tei(note, str(data["body"]))
    for index, key in enumerate(data["sources"]):
        bibl = sub(note, "bibl")
        sub(bibl, "ref", key, target=f"#bibl-{key}")
        if data.get("locator") and not index:
            sub(bibl, "citedRange", str(data["locator"]))
    body_to_tei(sub(note, "note", type="basis"), str(data["basis"]))
    return lemma


def _name(parent: ET.Element, ann: Annotation) -> ET.Element:
    """A glossed name or term, pointing at its entry in ``standOff``."""
    tag = GLOSS_ELEMENT[str(ann.data["category"])]
    attrs = {"ref": f"#{ann.id}"}
    if tag == "rs":
        attrs["type"] = "event"
    return sub(parent, tag, **attrs)


def _paragraph(body: ET.Element, data: EditionData, ident: str, annotations: list[Annotation]) -> list[Crossing]:
    index = data.ids.index(ident)
    para = data.paragraphs[index]
    spans = []
    for ann in annotations:
        hits = locate(para.text, ann.quote)
        if len(hits) != 1:
            line, column = ann.located.where(("target", "quote"))
            where = "are not found" if not hits else f"stand {len(hits)} times"
            raise ExportError(
                f"{ann.path}:{line}:{column}: the quoted words of {ann.id} {where} in ¶ {ident}, so the TEI "
                "export cannot place it; run `build_edition.py check` and fix the quote"
            )
        spans.append(_Span(hits[0].start, hits[0].end, ann))
    roots, crossing = _nest(spans)
    marks = [_Mark(s.start, False, s) for s in crossing] + [_Mark(s.end, True, s) for s in crossing]
    points = [(o, 0, "note", n) for o, n in para.notes] + [(o, 1, "pb", n) for o, n in para.pages]
    element = sub(body, "p", xml_id=ident, n=ident[1:])
    _ParagraphWriter(data, para.text, points).fill(element, 0, len(para.text), roots, marks, outermost=True)
    return [Crossing(s.ann, para.text[s.start : s.end]) for s in sorted(crossing, key=lambda s: (s.start, s.ann.id))]


def _crossing_stand_off(stand_off: ET.Element, crossing: list[Crossing]) -> None:
    """What the crossing spans say, between their anchors: emendations, variants, glossed names."""
    groups: dict[str, ET.Element] = {}

    def group(kind: str) -> ET.Element:
        if kind not in groups:
            groups[kind] = sub(stand_off, "listApp" if kind == "variant" else "spanGrp", type=kind)
        return groups[kind]

    for item in crossing:
        ann, ends = item.ann, {"from": f"#m-{item.ann.id}.start", "to": f"#m-{item.ann.id}.end"}
        if ann.kind == "emendation":
            _append_text(_choice(sub(group("emendation"), "span", resp="#editors", **ends), ann), item.words)
        elif ann.kind == "variant":
            _append_text(_app(group("variant"), ann, **ends), item.words)
        elif ann.kind == "gloss":
            _append_text(_name(sub(group("gloss"), "span", **ends), ann), item.words)


# --- header, standOff, back ----------------------------------------------------------------


DECLARATIONS = (
    (
        "correction",
        "Slips of the witness are not corrected in the reading text; each is recorded as choice/sic/corr. "
        "Where a quotation differs from the source text seen, the witness's words stand as the lemma and "
        "the source's as a reading (app/lem/rdg). Where these words cross another annotation's, two anchors "
        "mark them in the text and the choice or app stands in standOff, pointing at the anchors with from "
        "and to.",
    ),
    (
        "normalization",
        "Line breaks within paragraphs are read as spaces and runs of spaces as one; "
        "quotation marks, dashes and ellipses are the witness's own.",
    ),
    (
        "hyphenation",
        "Line-end hyphens are decided one by one; all four in the witness belong to compounds and are kept.",
    ),
    ("segmentation", "Paragraphs are reconstructed by recorded decisions; page beginnings are marked with pb."),
    (
        "interpretation",
        "Note expansions, glosses, cross-references and commentary are the editors'; "
        "ana points each note expansion, gloss and variant reading at its grade of confidence "
        "(the taxonomy 'confidence'), and cert gives the same on TEI's scale.",
    ),
)


def _header(tei: ET.Element, data: EditionData) -> None:
    info, essay = data.info, data.info.essay
    author = essay.get("author", {})
    header = sub(tei, "teiHeader")
    file_desc = sub(header, "fileDesc")
    title_stmt = sub(file_desc, "titleStmt")
    sub(title_stmt, "title", str(essay.get("title", "")))
    sub(title_stmt, "title", info.title, type="sub")
    writer = sub(title_stmt, "author")
    sub(writer, "persName", f"{author.get('given', '')} {author.get('family', '')}")
    resp = sub(title_stmt, "respStmt", xml_id="editors")
    sub(resp, "resp", "Transcription, editorial decisions and annotation")
    sub(resp, "orgName", info.publisher or "The editors")
    edition = sub(sub(file_desc, "editionStmt"), "edition", f"Version {info.version}", n=info.version)
    if info.released:
        sub(edition, "date", info.released, when=info.released)
    publication = sub(file_desc, "publicationStmt")
    sub(publication, "publisher", info.publisher or "The editors")
    if info.released:
        sub(publication, "date", info.released, when=info.released)
    availability = sub(publication, "availability")
    sub(availability, "p", "The apparatus is licensed as LICENSE.md states; the essay text remains its author's work.")
    source = sub(file_desc, "sourceDesc")
    original = sub(source, "bibl", type="original")
    sub(original, "author", f"{author.get('given', '')} {author.get('family', '')}")
    sub(original, "title", str(essay.get("title", "")), level="a")
    sub(original, "title", str(essay.get("journal", "")), level="j")
    sub(original, "biblScope", str(essay.get("volume", "")), unit="volume")
    sub(original, "date", str(essay.get("year", "")), when=str(essay.get("year", "")))
    sub(original, "note", str(essay.get("basis", "")))
    witness = sub(source, "bibl", type="witness", xml_id="witness")
    sub(witness, "title", "Plain-text extraction from a PDF of the essay")
    sub(witness, "idno", data.witness_sha256, type="sha256")
    sub(witness, "note", "The only witness. Its footnote texts, italics and page headings were lost in the extraction.")
    encoding = sub(header, "encodingDesc")
    declarations = sub(encoding, "editorialDecl")
    for tag, text in DECLARATIONS:
        element = sub(declarations, tag)
        if tag == "hyphenation":
            element.set("eol", "some")
        sub(element, "p", text)
    for decision in data.decisions:
        sub(sub(declarations, "p"), "seg", f"{decision.kind}: {decision.context} ({decision.reason})", type="decision")
    taxonomy = sub(sub(encoding, "classDecl"), "taxonomy", xml_id="confidence")
    sub(taxonomy, "desc", "Confidence: what the editors saw")
    for grade, meaning in meanings().items():
        category = sub(taxonomy, "category", xml_id=f"confidence-{grade}")
        sub(category, "catDesc", f"{LABELS[grade]} ({grade}): {meaning}")


def _stand_off(stand_off: ET.Element, data: EditionData, crossing: list[Crossing]) -> None:
    lists: dict[str, ET.Element] = {}
    containers = {
        "person": ("listPerson", "person", "persName"),
        "organisation": ("listOrg", "org", "orgName"),
        "place": ("listPlace", "place", "placeName"),
        "event": ("listEvent", "event", "label"),
        "work": ("listBibl", "bibl", "title"),
        "document": ("listBibl", "bibl", "title"),
    }
    terms = None
    for ann in sorted((a for a in data.annotations if a.kind == "gloss"), key=lambda a: a.id):
        category = str(ann.data["category"])
        if category == "term":
            if terms is None:  # not type="gloss": that is for label and item pairs (tei_all's Schematron),
                # which CETEIcean makes into a definition list without the items' ids
                terms = sub(stand_off, "list", type="glossed")
            item = sub(terms, "item", xml_id=ann.id)
            sub(item, "term", str(ann.data["headword"]))
            gloss = sub(item, "note", type="gloss", resp="#editors")
            graded(gloss, str(ann.data["confidence"]))
            body_to_tei(gloss, str(ann.data["body"]))
            continue
        list_tag, entry_tag, name_tag = containers[category]
        key = f"{list_tag}-{category if list_tag == 'listBibl' else ''}"
        if key not in lists:
            lists[key] = sub(stand_off, list_tag, type="glossed")
        entry = sub(lists[key], entry_tag, xml_id=ann.id)
        sub(entry, name_tag, str(ann.data["headword"]))
        note = sub(entry, "note", type="gloss", resp="#editors")
        graded(note, str(ann.data["confidence"]))
        body_to_tei(note, str(ann.data["body"]))
    notes = (
        sub(stand_off, "listAnnotation")
        if any(a.kind in ("commentary", "crossref") for a in data.annotations)
        else None
    )
    crossed = {item.ann.id for item in crossing}
    for ann in sorted((a for a in data.annotations if a.kind in ("commentary", "crossref")), key=lambda a: a.id):
        assert notes is not None
        note = sub(notes, "note", type=ann.kind, xml_id=ann.id, target=f"#m-{ann.id}", resp="#editors")
        if ann.id in crossed:  # its words are marked by two anchors, not by a seg
            note.set("target", f"#m-{ann.id}.start")
            note.set("targetEnd", f"#m-{ann.id}.end")
        body_to_tei(note, str(ann.data["body"]))
        refers = ann.data.get("refers_to", {})
        if refers:
            target = refers.get("paragraph") or refers.get("annotation")
            kind = "para" if refers.get("paragraph") else "ann"
            words = f"¶ {target[1:]}" if kind == "para" else target
            sub(sub(note, "p", "See "), "ref", words, target=f"#{target}", type=kind)
    _crossing_stand_off(stand_off, crossing)


def _bibliography(back: ET.Element, data: EditionData) -> None:
    div = sub(back, "div", type="bibliography")
    sub(div, "head", "Bibliography")
    listing = sub(div, "listBibl")
    for key, entry in sorted(data.bibliography.items()):
        bibl = sub(listing, "bibl", xml_id=f"bibl-{key}")
        for person in entry.persons.get("author", []):
            sub(bibl, "author", str(person))
        for person in entry.persons.get("editor", []):
            sub(bibl, "editor", str(person))
        fields = entry.fields
        clean = lambda value: str(value).replace("{", "").replace("}", "").replace("\\emph", "")  # noqa: E731
        level = "a" if entry.type in ("article", "misc", "incollection", "inbook") and "journal" in fields else "m"
        if "title" in fields:
            sub(bibl, "title", clean(fields["title"]), level=level)
        if "journal" in fields:
            sub(bibl, "title", clean(fields["journal"]), level="j")
        for name, unit in (("volume", "volume"), ("number", "issue"), ("pages", "page")):
            if name in fields:
                sub(bibl, "biblScope", clean(fields[name]), unit=unit)
        if "publisher" in fields:
            sub(bibl, "publisher", clean(fields["publisher"]))
        if "address" in fields:
            sub(bibl, "pubPlace", clean(fields["address"]))
        if "year" in fields:
            sub(bibl, "date", clean(fields["year"]))
        if "url" in fields:
            sub(bibl, "ptr", target=clean(fields["url"]))
        if "note" in fields:
            sub(bibl, "note", clean(fields["note"]))


def _element_of(ann: Annotation) -> str:
    """The xml:id of the element the TEI gives an annotation."""
    if ann.kind == "note":
        return f"note-{ann.note}"
    return f"m-{ann.id}" if ann.kind in ("emendation", "variant") else ann.id


def _point_references(tei: ET.Element, data: EditionData) -> None:
    """Point each reference to a paragraph or an annotation, written as the sources name them,
    at the element that holds it here (note 6's expansion, ``note-06``, is the note ``note-6``;
    an alias leads to its paragraph), with the words the other exports show; one whose element
    the TEI lacks keeps its words without a pointer, as on the site (every link in CETEIcean
    must lead somewhere)."""
    ids = {element.get(XML_ID) for element in tei.iter() if element.get(XML_ID)}
    elements = {ann.id: _element_of(ann) for ann in data.annotations}
    labels = data.labels()
    for ref in tei.iter(t("ref")):
        kind, key = ref.get("type"), ref.get("target", "")[1:]
        if kind == "para":
            target = data.ledger.resolve(key) or key
        elif kind == "ann":
            target = elements.get(key, key)
            if ref.text == key:
                ref.text = labels.get(key, key)
        else:
            continue
        if target in ids:
            ref.set("target", f"#{target}")
        else:
            del ref.attrib["target"]


def _indent(element: ET.Element, level: int = 0) -> None:
    """Lay out element-only content one child a line; leave mixed content (words with elements
    among them) as it is, since white space there would change the text."""
    words = lambda value: bool(value and value.strip())  # noqa: E731
    if not len(element) or words(element.text) or any(words(child.tail) for child in element):
        return
    element.text = "\n" + " " * (level + 1)
    for child in element:
        _indent(child, level + 1)
        child.tail = "\n" + " " * (level + 1)
    element[-1].tail = "\n" + " " * level


def tei_document(data: EditionData) -> str:
    tei = ET.Element(t("TEI"))
    _header(tei, data)
    stand_off = sub(tei, "standOff")  # filled once the text has shown which spans cross
    text = sub(tei, "text")
    body = sub(text, "body")
    div = sub(body, "div", type="essay")
    sub(div, "head", str(data.info.essay.get("title", "")))
    by_paragraph = data.by_paragraph()
    crossing: list[Crossing] = []
    for ident in data.ids:
        crossing += _paragraph(div, data, ident, by_paragraph.get(ident, []))
    _stand_off(stand_off, data, crossing)
    _bibliography(sub(text, "back"), data)
    _point_references(tei, data)
    _indent(tei)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tei, encoding="unicode") + "\n"
