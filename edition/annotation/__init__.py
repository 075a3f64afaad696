"""The annotation format: one YAML file per annotation, defined by ``edition/schema/``.

Loading and validating the files, the safe MyST subset of their bodies, the checks against
the text, the confidence grades, the labels a reader sees, the skeleton files of ``new``,
the migration from format version 1, and the list of the essay's names that the glosses
explain. No Sphinx: ``check`` and ``new`` run without it (the bodies are parsed with MyST's
markdown-it configuration, which loads docutils, never Sphinx).
"""

from pathlib import Path

SCHEMA_DIR = Path(__file__).parent.parent / "schema"
"""``edition/schema/``: its path is part of the format (every file's modeline names it)."""
