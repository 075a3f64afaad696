"""The Changes page: ``{edition-changes}`` lists, per version, what changed in the text and its anchors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from ..core.convert import Paths, read_ledger
from ..core.ledger import paragraph_label
from ..core.titleblock import long_date
from ..core.versions import changes, load_info, read_snapshot
from .config import app_of, from_sphinx
from .visitors import add_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class text_change(nodes.Inline, nodes.TextElement):
    """Words deleted or inserted between two versions (``<del>`` / ``<ins>``)."""


LABELS = {"new": "new paragraph", "edited": "edited", "merged": "merged", "retired": "retired"}


class ChangesDirective(SphinxDirective):
    def run(self) -> list[nodes.Node]:
        paths = Paths(Path(app_of(self.env).confdir))
        info = load_info(paths.info, paths.root)
        ledger = read_ledger(paths.ledger, paths.root)
        self.env.note_dependency(str(paths.info))
        self.env.note_dependency(str(paths.ledger))
        essay = from_sphinx(self.env.config).essay_doc
        uri = app_of(self.env).builder.get_relative_uri(self.env.docname, essay) if essay else ""
        out: list[nodes.Node] = []
        previous: dict[str, str] = {}
        sections: list[nodes.Node] = []
        for release in info.history:
            snapshot = read_snapshot(paths.snapshot(release.version), paths.root)
            self.env.note_dependency(str(paths.snapshot(release.version)))
            section = nodes.section(ids=[f"version-{release.version.replace('.', '-')}"])
            dated = f", {long_date(release.date)}" if release.date else ""  # as the title page dates it
            section += nodes.title(text=f"Version {release.version}{dated}")
            section += nodes.paragraph(text=release.summary)
            if not previous:
                ids = list(snapshot)
                section += nodes.paragraph(
                    text=f"{len(ids)} paragraphs, with the ids {ids[0]} to {ids[-1]}." if ids else "No text."
                )
            else:
                listing = nodes.bullet_list(classes=["edition-changes"])
                for change in changes(previous, snapshot, ledger, release.version):
                    item = nodes.paragraph()
                    item += nodes.reference("", paragraph_label(change.id), refuri=f"{uri}#{change.id}")
                    item += nodes.Text(f" {LABELS[change.kind]}" + (f" ({change.note})" if change.note else "") + ": ")
                    for word in change.words:
                        if word.kind == "same":
                            item += nodes.Text(f" {word.text} ")
                        else:
                            item += text_change("", word.text, kind=word.kind)
                    listing += nodes.list_item("", item)
                if not listing.children:
                    listing = nodes.paragraph(text="No change to the text.")
                section += listing
            previous = snapshot or previous
            sections.append(section)
        out.extend(reversed(sections))
        return out


def visit_change_html(self: Any, node: text_change) -> None:
    tag = "del" if node["kind"] == "del" else "ins"
    self.body.append(f"<{tag}>")


def depart_change_html(self: Any, node: text_change) -> None:
    self.body.append("</del>" if node["kind"] == "del" else "</ins>")


def setup_changes(app: Sphinx) -> None:
    app.add_directive("edition-changes", ChangesDirective)
    add_node(app, text_change, html=(visit_change_html, depart_change_html))
