"""Skeleton annotation files: what ``build_edition.py new`` writes and what a paragraph's
"Suggest an annotation" link opens, prefilled. Whatever the contributor must still supply
is marked ``FILL IN``; ``check`` refuses a file that still holds the marker.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from .migrate import CURRENT_VERSION as SCHEMA_VERSION

PLACEHOLDER = "FILL IN"
FOLDERS = {
    "gloss": "glosses",
    "note": "notes",
    "crossref": "crossrefs",
    "emendation": "emendations",
    "variant": "variants",
    "commentary": "commentary",
}
NAMES = {  # what a file of each kind is, with its article, for the template's first comment
    "gloss": "A gloss",
    "note": "A note expansion",
    "crossref": "A cross-reference",
    "emendation": "An emendation",
    "variant": "A variant",
    "commentary": "A commentary",
}
HINTS = {
    "category": f"{PLACEHOLDER}: one of person, organisation, event, term, work, place, document",
    "headword": f"{PLACEHOLDER}: the index entry, e.g. 'Thermidor' or 'Shachtman, Max (1904–1972)'",
    "body": f"{PLACEHOLDER}: one to three neutral sentences; cite works as {{cite:p}}`key`",
    "basis": f"{PLACEHOLDER}: the source you checked (with its address), or what you infer this from",
    "confidence": f"{PLACEHOLDER}: verified, verified-in-translation, secondary, inferred or not-identified",
    "reading": f"{PLACEHOLDER}: the corrected words",
    "variant reading": f"{PLACEHOLDER}: the words of the source text, exactly as you saw them",
    "variant confidence": f"{PLACEHOLDER}: verified, verified-in-translation or secondary",
    "sources": f"{PLACEHOLDER}: the bibliography.bib key of the text you saw",
    "refers_to": f"{PLACEHOLDER}: the paragraph id this passage relates to, e.g. p30",
    "author": f"{PLACEHOLDER}: your name",
}


def slug(text: str, words: int = 5) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())[:words]
    return "-".join(parts) or "annotation"


def annotation_id(kind: str, paragraph: str, quote: str, note: int | None = None) -> str:
    if kind == "note":
        return f"note-{note:02d}"
    return f"{kind}-{paragraph}-{slug(quote)}"


ANNOTATION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
"""The schema's ``id`` pattern (a test keeps them equal): no path can be made of such an id."""
MAX_ID_LENGTH = 80


def id_problem(ident: str) -> str:
    """Why ``ident`` cannot be an annotation id ("" if it can)."""
    if not ANNOTATION_ID.match(ident):
        return f"{ident!r} is not an annotation id: use lowercase letters, digits and single hyphens"
    if len(ident) > MAX_ID_LENGTH:
        return f"an annotation id has at most {MAX_ID_LENGTH} characters"
    return ""


def path_for(kind: str, ident: str) -> str:
    """The file of annotation ``ident`` (check the id with :func:`id_problem` first: the
    Suggest links pass a template with tokens in it)."""
    return f"annotations/{FOLDERS[kind]}/{ident}.yaml"


def skeleton(
    kind: str,
    *,
    paragraph: str = "",
    quote: str = "",
    note: int | None = None,
    date: str,
    author: str = "",
    ident: str = "",
    fields: dict[str, str] | None = None,
) -> str:
    """The YAML text of a new annotation; missing required values are ``FILL IN`` hints."""
    given = {k: v for k, v in (fields or {}).items() if v}
    ident = ident or annotation_id(kind, paragraph, quote, note)
    data: dict[str, object] = {"schema": SCHEMA_VERSION, "id": ident, "kind": kind}
    data["target"] = {"note": note} if kind == "note" else {"paragraph": paragraph, "quote": quote}
    if kind == "gloss":
        data["category"] = given.get("category", HINTS["category"])
        data["headword"] = given.get("headword", HINTS["headword"])
    if kind == "crossref":
        target = given.get("refers_to", HINTS["refers_to"])
        to_annotation = bool(target) and not target.startswith(("p", PLACEHOLDER))
        data["refers_to"] = {"annotation" if to_annotation else "paragraph": target}
    if kind == "emendation":
        data["reading"] = given.get("reading", HINTS["reading"])
    if kind == "variant":
        data["reading"] = given.get("reading", HINTS["variant reading"])
        data["sources"] = [k.strip() for k in given["sources"].split(",")] if "sources" in given else [HINTS["sources"]]
        if "locator" in given:
            data["locator"] = given["locator"]
    data["body"] = given.get("body", HINTS["body"])
    if kind in ("gloss", "note", "variant"):
        data["basis"] = given.get("basis", HINTS["basis"])
        hint = HINTS["variant confidence" if kind == "variant" else "confidence"]
        data["confidence"] = given.get("confidence", hint)
    data["author"] = {"name": author or HINTS["author"]}
    data["date"] = date
    header = (
        "# yaml-language-server: $schema=../../edition/schema/annotation.schema.json\n"
        f"# {NAMES[kind]} written with the edition's template. Replace every {PLACEHOLDER}, keep the quote to the\n"
        "# exact words of the reading text, then run `make check`. See CONTRIBUTING.md.\n"
    )
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if data.get("sources") == [HINTS["sources"]]:  # on the line of its key, so check names the field to fill
        hint = yaml.safe_dump([HINTS["sources"]], default_flow_style=True, width=200).strip()
        text = text.replace(f"sources:\n- {hint[1:-1]}\n", f"sources: {hint}\n")
    return header + text


def placeholders(text: str) -> list[int]:
    """1-based line numbers that still hold the ``FILL IN`` marker (the header comment aside)."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if PLACEHOLDER in line and not line.startswith("#")]
