"""Paragraph anchors, margin numbers, permalinks and page milestones in the built site.

A paragraph whose id has the ledger's shape (``p7``) gets its number in the margin as a
permalink, and its Cite and Suggest controls; ``{pb}`N``` marks where print page N begins.
Note references and notes get stable ids (``noteref-N``, ``note-N``).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from ..core.ledger import ID_SHAPE, paragraph_label
from .typed_warnings import Warn, warn
from .visitors import add_node, keep

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class para_marker(nodes.Inline, nodes.Element):
    """The margin number and permalink of one paragraph."""


class page_break(nodes.Inline, nodes.Element):
    """The point where a print page of the witness begins."""


class alias_anchor(nodes.Inline, nodes.Element):
    """A superseded id that now leads into this paragraph (it was merged here)."""


class retired_anchor(nodes.General, nodes.Element):
    """A retired id: a short notice that links to the nearest surviving paragraph."""


def _not_an_id(what: str, value: str) -> str:
    return f"{what} {value[:40]!r} is not a paragraph id (p7, p7a)"


def anchor_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
):
    ident = text.strip()
    if not ID_SHAPE.match(ident):
        source, line = inliner.reporter.get_source_and_line(lineno)
        warn(_not_an_id("{anchor}", ident), Warn.UNSAFE, location=f"{source}:{line}")
        return [nodes.literal(rawtext, rawtext)], []
    return [alias_anchor(ids=[ident])], []


class RetiredAnchorDirective(SphinxDirective):
    """``{retired-anchor} p20`` with ``:successor: p19`` and ``:since: 1.1`` (written by convert)."""

    required_arguments = 1
    option_spec = {"successor": directives.unchanged, "since": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        ident = self.arguments[0]
        for what, value in (("{retired-anchor}", ident), (":successor:", self.options.get("successor") or "p1")):
            if not ID_SHAPE.match(value):
                warn(_not_an_id(what, value), Warn.UNSAFE, location=self.get_location())
                return []
        node = retired_anchor(ids=[ident], successor=self.options.get("successor", ""))
        para = nodes.paragraph()
        since = self.options.get("since") or "?"
        para += nodes.Text(f"{paragraph_label(ident)} was removed in version {since} of the edition. ")
        successor = self.options.get("successor")
        if successor:
            para += nodes.Text("The nearest surviving paragraph is ")
            para += nodes.reference("", paragraph_label(successor), refuri=f"#{successor}")
            para += nodes.Text(".")
        node += para
        return [node]


def pb_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None):
    if not text.isdigit():
        msg = inliner.reporter.error(f"{{pb}} takes a page number, not {text!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    return [page_break(page=text)], []


class ParagraphMarkers(SphinxTransform):
    # After docutils has moved each "(p7)=" target's id onto its paragraph (priority 260).
    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        for para in self.document.findall(nodes.paragraph):
            if isinstance(para.parent, retired_anchor):
                continue
            ident = next((i for i in para["ids"] if ID_SHAPE.match(i)), None)
            if ident is None:
                continue
            para["classes"].append("edition-para")
            para.insert(0, para_marker(ident=ident, number=ident[1:]))


class StableNoteIds(SphinxTransform):
    # After docutils has numbered and linked the footnotes (priority 620).
    default_priority = 710

    def apply(self, **kwargs: Any) -> None:
        renamed: dict[str, str] = {}
        for footnote in self.document.findall(nodes.footnote):
            label = footnote["names"][0] if footnote["names"] else None
            if not (label and label.isdigit()):
                continue
            new = f"note-{label}"
            for old in footnote["ids"]:
                renamed[old] = new
            footnote["ids"] = [new]
            footnote["classes"].append("edition-note")
        first = next((f for f in self.document.findall(nodes.footnote) if "edition-note" in f["classes"]), None)
        if first is not None and isinstance(first.parent, nodes.Element):  # the notes get a heading of their own
            heading = nodes.rubric("", "Notes", ids=["notes"], **{"heading-level": 2})
            first.parent.insert(first.parent.index(first), heading)
        counts: dict[str, int] = {}
        by_id = {f["ids"][0]: f for f in self.document.findall(nodes.footnote) if f["ids"]}
        for ref in self.document.findall(nodes.footnote_reference):
            target = renamed.get(ref.get("refid", ""))
            if target is None:
                continue
            number = target.split("-")[1]
            counts[number] = counts.get(number, 0) + 1
            old_ids = list(ref["ids"])
            new_id = f"noteref-{number}" + ("" if counts[number] == 1 else f"-{counts[number]}")
            ref["refid"] = target
            ref["ids"] = [new_id]
            footnote = by_id[target]
            footnote["backrefs"] = [new_id if b in old_ids else b for b in footnote["backrefs"]]


def visit_marker_html(self: Any, node: para_marker) -> None:
    """The number, and the paragraph's Cite and Suggest controls (web pages only; the script
    gives them their panels). Their labels are drawn by CSS, so the paragraph's text stays
    the essay's words: what a copy, a search engine and an annotation client see."""
    ident, number = node["ident"], node["number"]
    self.body.append(
        f'<a class="para-link" href="#{ident}" data-n="{number}" aria-label="Paragraph {number}, permalink"></a>'
    )
    if not self.builder.name.startswith("epub"):
        self.body.append(
            f'<button type="button" class="cite-btn" aria-label="Cite paragraph {number}"></button>'
            f'<button type="button" class="suggest-btn" aria-label="Suggest an annotation on paragraph {number}">'
            "</button>"
        )
    raise nodes.SkipNode


def visit_page_html(self: Any, node: page_break) -> None:
    page = node["page"]  # the bar in the line and "p. N" in the margin are drawn by CSS
    self.body.append(
        f'<span class="page-break" id="page-{page}" data-page="{page}">'
        f'<span class="page-break-label" data-page="{page}"></span></span>'
    )
    raise nodes.SkipNode


def visit_marker_text(self: Any, node: para_marker) -> None:
    self.add_text(f"[{node['number']}] ")
    raise nodes.SkipNode


def visit_page_text(self: Any, node: page_break) -> None:
    self.add_text(f"[p. {node['page']}]")
    raise nodes.SkipNode


def visit_noteref_html(self: Any, node: nodes.footnote_reference) -> None:
    """A note's number in the text without the brackets docutils writes around it (web pages:
    the brackets are not the essay's, and copies, search engines and annotation clients see
    the page's text). The EPUB keeps docutils' markup."""
    if self.builder.name.startswith("epub"):
        HTML5Translator.visit_footnote_reference(self, node)
        return
    href = "#" + node["refid"]
    self.body.append(self.starttag(node, "a", suffix="", classes=["footnote-reference"], role="doc-noteref", href=href))


def depart_noteref_html(self: Any, node: nodes.footnote_reference) -> None:
    if self.builder.name.startswith("epub"):
        HTML5Translator.depart_footnote_reference(self, node)
    else:
        self.body.append("</a>")


def visit_alias_html(self: Any, node: alias_anchor) -> None:
    self.body.append(f'<span class="alias-anchor" id="{escape(node["ids"][0])}"></span>')
    raise nodes.SkipNode


def visit_retired_html(self: Any, node: retired_anchor) -> None:
    self.body.append(f'<div class="retired-anchor" id="{escape(node["ids"][0])}" role="note">')


def depart_retired_html(self: Any, node: retired_anchor) -> None:
    self.body.append("</div>")


def setup_paragraphs(app: Sphinx) -> None:
    add_node(app, para_marker, html=(visit_marker_html, None), text=(visit_marker_text, None), others="drop")
    add_node(app, page_break, html=(visit_page_html, None), text=(visit_page_text, None), others="drop")
    add_node(app, alias_anchor, html=(visit_alias_html, None), others="drop")
    app.add_node(nodes.footnote_reference, override=True, html=(visit_noteref_html, depart_noteref_html))
    add_node(app, retired_anchor, html=(visit_retired_html, depart_retired_html), text=(keep, keep), others="drop")
    app.add_role("pb", pb_role)
    app.add_role("anchor", anchor_role)
    app.add_directive("retired-anchor", RetiredAnchorDirective)
    app.add_transform(ParagraphMarkers)
    app.add_transform(StableNoteIds)
