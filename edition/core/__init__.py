"""The text core: the witness made into the edition's text, and everything that must hold of it.

Pure Python (PyYAML, citeproc-py): no Sphinx, no docutils, no Markdown parser and nothing of
the annotation format, so ``build_edition.py`` converts and checks without them, and every
module is tested by tables. ARCHITECTURE.md lists the modules and their contracts.
"""
