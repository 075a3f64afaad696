"""Typed warnings: every message ends ``[edition.<subtype>]`` so it can be grepped and suppressed."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sphinx.util import logging

LOGGER = logging.getLogger("edition")


class Warn(StrEnum):
    SOURCE = "source"  # the witness or its decisions cannot be applied
    SCHEMA = "schema"  # an annotation file does not match the schema
    ANCHOR = "anchor"  # an annotation's target is not in the text
    ORPHAN = "orphan"  # an annotation that can no longer be attached
    FUZZY = "fuzzy"  # attached, but not to the exact words it quotes
    REF = "ref"  # a reference to a missing paragraph, annotation or work
    DUPLICATE = "duplicate"  # the same kind of annotation on the same words, saying the same; a note expanded twice
    UNSAFE = "unsafe"  # markup or a link that is not allowed
    LEDGER = "ledger"  # the anchor contract is broken
    PLACEHOLDER = "placeholder"  # a template's FILL IN left in an annotation file
    OUTDATED = "outdated"  # an annotation file of an earlier format version (read, to be migrated)
    NAMES = "names"  # the list of the essay's names does not match the text
    BIBLIOGRAPHY = "bibliography"  # bibliography.bib cannot be read, or an entry cannot be formatted


def warn(message: str, kind: Warn, location: Any = None) -> None:
    LOGGER.warning(message, type="edition", subtype=kind.value, location=location)
