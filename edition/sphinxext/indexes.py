"""Index pages: persons, works and terms, each headword linked to every paragraph it is glossed at."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..core.ledger import paragraph_label
from .domain import EditionDomain
from .incremental import writes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

GROUPS = {
    "persons": ("person",),
    "works": ("work", "document"),
    "terms": ("term", "event", "organisation", "place"),
}


class index_placeholder(nodes.General, nodes.Element):
    pass


class IndexDirective(SphinxDirective):
    """``{edition-index} persons``: filled in once every document is read."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        group = self.arguments[0]
        if group not in GROUPS:
            raise self.error(f"edition-index takes one of {', '.join(GROUPS)}, not {group!r}")
        writes(self.env, "glosses")
        return [index_placeholder(group=group)]


def _fill(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    domain = cast(EditionDomain, app.env.get_domain("edition"))
    for placeholder in list(doctree.findall(index_placeholder)):
        categories = GROUPS[placeholder["group"]]
        entries: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for ident, info in domain.annotations.items():
            if info["kind"] == "gloss" and info["category"] in categories:
                entries.setdefault(info["headword"], []).append((ident, info))
        listing = nodes.bullet_list(classes=["edition-index"])
        for headword in sorted(entries, key=str.casefold):
            item = nodes.list_item()
            para = nodes.paragraph()
            para += nodes.strong(text=headword)
            para += nodes.Text(": ")
            places = sorted(entries[headword], key=lambda pair: _order(pair[1]["paragraph"]))
            for position, (ident, info) in enumerate(places):
                if position:
                    para += nodes.Text(", ")
                uri = app.builder.get_relative_uri(fromdocname, info["docname"]) + f"#m-{ident}"
                para += nodes.reference("", paragraph_label(info["paragraph"]), refuri=uri)
            item += para
            listing += item
        if not entries:
            listing = nodes.paragraph(text="No entries yet.")
        placeholder.replace_self(listing)


def _order(ident: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ident if ch.isdigit())
    return (int(digits) if digits else 0, ident)


def setup_indexes(app: Sphinx) -> None:
    app.add_node(index_placeholder)
    app.add_directive("edition-index", IndexDirective)
    app.connect("doctree-resolved", _fill)
