"""Notes in the EPUB as EPUB 3 marks them: ``epub:type="noteref"`` on each note reference and
``epub:type="footnote"`` on each note, beside the ARIA roles the HTML translator writes.

Reading systems show pop-up notes from these attributes, and converters (pandoc) read the
notes as notes; ARIA roles alone are not enough for either. The attribute is added to the
translator of the EPUB builders only: HTML has no ``epub:`` namespace.
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

EPUB_TYPES = {"doc-noteref": "noteref", "doc-footnote": "footnote"}


class EpubNotesMixin:
    """Adds the ``epub:type`` that matches a note's ARIA role to its start tag."""

    def starttag(self, node: Any, tagname: str, suffix: str = "\n", empty: bool = False, **attributes: Any) -> str:
        epub_type = EPUB_TYPES.get(str(attributes.get("role", "")))
        if epub_type:
            attributes["epub:type"] = epub_type
        return super().starttag(node, tagname, suffix, empty, **attributes)  # type: ignore[misc]


def _epub_translator(app: Sphinx) -> None:
    if not app.builder.name.startswith("epub"):
        return
    base = app.registry.get_translator_class(app.builder)
    translator = types.new_class("EpubNotesTranslator", (EpubNotesMixin, base), {})
    app.set_translator(app.builder.name, translator, override=True)


def setup_epub(app: Sphinx) -> None:
    # Late, so that the mixin goes on whatever translator a theme or extension has set.
    app.connect("builder-inited", _epub_translator, priority=900)
