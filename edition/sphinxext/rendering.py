"""An annotation's content as the reader sees it.

Rendered from its file (the body from the tokens checked at load, never pasted into the
source, so nothing in it can break out) when its page is written, at ``doctree-resolved``, so
no transform of the build walks it: as HTML written directly (:mod:`edition.sphinxext.body_html`) when its
fields are simple and the builder writes HTML, else as nodes (:mod:`edition.sphinxext.body_nodes`). An
annotation that cites with ``{cite}`` is rendered while its page is read, when
sphinxcontrib-bibtex records its citations.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from docutils.parsers.rst import roles

from ..annotation.grades import LABELS as CONFIDENCE_LABELS
from ..annotation.grades import meaning
from ..annotation.labels import KIND_NAMES, compact_label, note_head
from ..annotation.markup import parse_body
from ..annotation.model import Annotation
from ..core.ledger import paragraph_label
from .body_html import Link, attribute, encode, fields_html, is_simple, reference
from .body_nodes import body_nodes
from .incremental import writes
from .links import pending_target, resolve
from .loaded import get_state
from .note_citations import format_citation, work_of
from .sanitise import sanitise_tree
from .typed_warnings import Warn, warn
from .visitors import add_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx

# Anything MyST could read as markup: with none of it, a field is a plain paragraph.
_MARKUP = re.compile(r"[\\`*_\[\]{}<>#|~!&$^%:=]|\n\s*\n|^\s*([-+]|\d+[.)])\s|https?:", re.MULTILINE)
KIND_LABELS = {kind: singular for kind, (singular, _) in KIND_NAMES.items()}


class annotation_body(nodes.General, nodes.Element):
    """One annotation as the reader sees it (``<div class="annot" id="a-…">``)."""


class annotation_group(nodes.General, nodes.Element):
    """The annotations of one paragraph, after it (``<aside class="annot-notes">``)."""


class annotation_html(nodes.Element):
    """An annotation's content written as HTML by :mod:`edition.sphinxext.body_html` (HTML builders
    only); its one text child holds the words, for the search index."""


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


def renders_while_reading(ann: Annotation) -> bool:
    """True if the annotation cites with {cite}: sphinxcontrib-bibtex records citations while
    pages are read and resolves them before ``doctree-resolved``. Every other annotation is
    rendered when its page is written, so no transform of the build walks its nodes."""
    return any(ref.kind == "cite" for name in ("body", "basis") for ref in ann.check_field(name)[1])


def body_node(renderer: BodyRenderer, ann: Annotation) -> annotation_body:
    renderer.env.note_dependency(str(renderer.state.root / ann.path))
    writes(renderer.env, "links")  # its links to paragraphs and annotations are resolved when written
    return renderer.render(ann) if renders_while_reading(ann) else renderer.placeholder(ann)


def _fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each annotation rendered at write time its content, before its links are resolved."""

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


def html_attribute(value: str) -> str:
    """An attribute value with &, ", < and > escaped."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def visit_body_html(self: Any, node: annotation_body) -> None:
    classes = " ".join(node["classes"])
    label = f' data-label="{html_attribute(node["label"])}"' if node.get("label") else ""
    self.body.append(f'<div class="{classes}" id="a-{node["annotation"]}" role="note" tabindex="-1"{label}>')


def depart_body_html(self: Any, node: annotation_body) -> None:
    self.body.append("</div>")


def visit_group_html(self: Any, node: annotation_group) -> None:
    number = node["paragraph"][1:]
    self.body.append(f'<aside class="annot-notes" aria-label="Annotations on paragraph {html_attribute(number)}">')


def depart_group_html(self: Any, node: annotation_group) -> None:
    # A way back to the paragraph's start where its notes stand after it (without script, in the
    # EPUB). Its words also end each block of notes differently, so that words opening the next
    # paragraph have a context that annotation clients find once (edition/exports/selectors.py).
    ident, opening = html_attribute(node["paragraph"]), encode(node.get("opening", ""))
    back = f"Back to {paragraph_label(ident)} (‘{opening} …’)"
    self.body.append(f'<p class="annot-notes-back"><a href="#{ident}">{back}</a></p>\n</aside>')


def visit_html_html(self: Any, node: annotation_html) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def setup_rendering(app: Sphinx) -> None:
    add_node(app, annotation_body, html=(visit_body_html, depart_body_html))
    add_node(app, annotation_group, html=(visit_group_html, depart_group_html))
    add_node(app, annotation_html, html=(visit_html_html, None))
    app.connect("doctree-resolved", _fill, priority=400)  # before the links are resolved (500)
