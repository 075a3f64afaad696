"""Sphinx configuration for the edition. Sources are in docs/; this file is the conf dir."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from edition.core.citation_formats import work_of  # noqa: E402
from edition.core.datafiles import SourceError  # noqa: E402
from edition.core.versions import EditionInfo, load_info  # noqa: E402

try:
    EDITION = load_info(Path(__file__).parent / "source_texts" / "edition.yaml", Path(__file__).parent)
except SourceError:  # the extension stops the build with the error's file, line and column
    EDITION = EditionInfo("0.0")

# One title everywhere: the edition's, from edition.yaml (headings use it too, see edition/sphinxext/titlepage.py).
project = EDITION.title
author = "The editors"
copyright = "2026, the editors"
language = "en"

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "edition",
]

# Edition settings (see ARCHITECTURE.md and edition/sphinxext/config.py).
edition_version = version = release = EDITION.version
edition_site_url = ""
edition_repository_url = ""
edition_repository_branch = "main"

# The witness's own characters are kept: no typographic quotes or dashes are made up.
smartquotes = False
myst_enable_extensions: list[str] = []
myst_heading_anchors = 2
bibtex_bibfiles = ["bibliography.bib"]  # relative to this file
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

exclude_patterns = ["_build", "_static"]

# The EPUB: the same pages as they read without script (build_edition.py build makes it).
epub_basename = "edition"
epub_title = EDITION.title
epub_author = "Martin Thomas; annotated by the editors"  # epub.js shows the first dc:creator only
# Left out, a description or contributor is "unknown" in the package, and readers show it.
epub_contributor = epub_publisher = "The editors"
epub_description = work_of(EDITION).description()
epub_copyright = copyright
# The identifier must equal the NCX uid (EPUBCheck NCX-001), and the uid must be an XML name.
epub_uid = epub_identifier = "twiss-review-edition-" + EDITION.version
epub_show_urls = "no"
epub_exclude_files = ["search.html", ".buildinfo.bak"]  # Sphinx 9 keeps a .bak when the configuration changes
# The edition's own lean theme on Sphinx's basic theme (edition/sphinxext/theme.py; ARCHITECTURE.md says why).
html_theme = "edition"
html_title = EDITION.title
html_favicon = "edition/static/favicon.svg"
html_permalinks_icon = ""  # the heading permalinks' mark is drawn by CSS, so it is not part of the text
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False

# Bibliography entries get stable ids, so that notes can link to them.
bibtex_cite_id = "cite-{key}"
