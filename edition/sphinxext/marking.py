"""The quoted words marked in the reading text, and each annotation placed beside them.

At ``doctree-read``, after the page's own transforms, each annotation's words are found once
in its paragraph's text (an annotation whose words went to another part of a split paragraph
follows them), marked (one mark per text node they span, nested at most
:data:`MAX_NESTED_MARKS` deep) with the control that opens it after them, and its note placed
in the block of notes that follows the paragraph, in the order of their words; a note
expansion takes the place of the essay's lost note. Where each annotation stands is recorded
in the ``edition`` domain.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes

from ..annotation.model import Annotation
from ..core.anchoring import Match, locate, split_part_holding
from ..core.ledger import ID_SHAPE
from ..core.textnorm import opening_words
from .domain import EditionDomain
from .loaded import get_state
from .paragraphs import page_break, para_marker
from .rendering import KIND_LABELS, BodyRenderer, annotation_body, annotation_group, body_node, html_attribute
from .visitors import add_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class annotation_mark(nodes.Inline, nodes.TextElement):
    """The quoted words in the reading text."""


class annotation_ref(nodes.Inline, nodes.Element):
    """The control that opens an annotation, after its marked words."""


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


def paragraph_text(para: nodes.paragraph) -> str:
    return "".join(str(t) for t in _text_nodes(para))


def child_index(parent: nodes.Element, child: nodes.Node) -> int:
    """Where ``child`` itself stands among ``parent``'s children. (docutils' ``index`` and
    ``remove`` compare, and a text node equals any other with the same words: the second of two
    " " in one mark would be taken for the first.)"""
    return next(i for i, node in enumerate(parent.children) if node is child)


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
            position = child_index(parent, text)
            parent[position : position + 1] = pieces
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
    anchor.parent.insert(child_index(anchor.parent, anchor) + 1, ref)
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
            body = body_node(renderer, ann)
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
        footnote += body_node(renderer, expansion)
        footnote["classes"].append("edition-note-expanded")
        _record(domain, expansion, docname)


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


def visit_mark_html(self: Any, node: annotation_mark) -> None:
    classes = " ".join(["annot-mark", f"annot-{node['kind']}", *node["classes"]])
    self.body.append(f'<span class="{classes}" data-annot="{node["annotation"]}">')


def depart_mark_html(self: Any, node: annotation_mark) -> None:
    self.body.append("</span>")


def visit_ref_html(self: Any, node: annotation_ref) -> None:
    ident = node["annotation"]
    self.body.append(
        f'<a class="annot-ref annot-{node["kind"]}" id="m-{ident}" href="#a-{ident}" '
        f'aria-controls="a-{ident}" aria-label="{html_attribute(node["label"])}"></a>'
    )  # its mark is drawn by CSS, so the page's text is the essay's words
    raise nodes.SkipNode


def setup_marking(app: Sphinx) -> None:
    add_node(app, annotation_mark, html=(visit_mark_html, depart_mark_html))
    add_node(app, annotation_ref, html=(visit_ref_html, None), others="drop")
    app.connect("doctree-read", _attach)
