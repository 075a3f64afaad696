import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
extensions = ["myst_parser", "sphinxcontrib.bibtex", "edition"]
smartquotes = False
bibtex_bibfiles = ["bibliography.bib"]
bibtex_cite_id = "cite-{key}"
bibtex_default_style = "plain"
exclude_patterns = ["_build"]
templates_path = ["_templates"]
