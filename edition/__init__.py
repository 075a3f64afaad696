"""An annotated critical edition: a Sphinx extension (``extensions = [..., "edition"]``) and the
code ``build_edition.py`` runs without Sphinx.

- :mod:`edition.core`: the text core (the witness made into the edition's text, the anchor
  ledger, versions, citation formats); pure, no Sphinx or docutils;
- :mod:`edition.annotation`: the annotation format (loading, checks, markup, grades);
- :mod:`edition.checks`: the checks of untrusted inputs before a build, and of what it wrote;
- :mod:`edition.commands`: the logic of the ``check`` and ``report`` commands and of ``serve``'s
  watching;
- :mod:`edition.exports`: TEI, Web Annotations, plain text, Markdown, anchors, share pages;
- :mod:`edition.sphinxext`: the Sphinx glue, one module per feature.

ARCHITECTURE.md maps every module, and ``pyproject.toml`` holds the import contracts that keep
these layers apart (checked by import-linter in ``make test``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> dict[str, Any]:
    """Sphinx's entry point. The glue is imported here, when Sphinx loads the extension, so that
    importing ``edition.core`` or ``edition.annotation`` (as the command line does) loads no Sphinx."""
    from .sphinxext import setup as setup_sphinxext

    return setup_sphinxext(app)
