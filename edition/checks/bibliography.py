"""``bibliography.bib`` as untrusted input, checked before sphinxcontrib-bibtex reads it.

A pull request can change the bibliography, and sphinxcontrib-bibtex turns an entry's
``url`` into a link after every transform of ours has run; pybtex stops the build with a
traceback on a syntax error, and the build on an entry type its style cannot format. So
the file is parsed here first, and every entry formatted with the same pybtex style:
each problem comes back with the line and column of the entry or field it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pybtex.plugin
from pybtex.database import BibliographyData, BibliographyDataError, Entry, parse_string
from pybtex.exceptions import PybtexError
from pybtex.scanner import PrematureEOF, PybtexSyntaxError
from pybtex.style.template import FieldIsMissing

from ..annotation.markup import link_is_safe
from ..core.safeyaml import REFUSED_CHARACTERS, character_message, place

URL_FIELDS = ("url",)
"""Fields the style makes into links (doi, eprint and pubmed are prefixed with an https address)."""


@dataclass(frozen=True)
class BibProblem:
    line: int
    column: int
    message: str
    type: str  # the warning subtype: bibliography or unsafe
    key: str = ""  # the entry it concerns, if one


@dataclass
class Bibliography:
    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[BibProblem] = field(default_factory=list)


@cache
def _style(name: str) -> Any:
    return pybtex.plugin.find_plugin("pybtex.style.formatting", name)()


def entry_types(style: str) -> list[str]:
    """The entry types ``style`` can format."""
    made = type(_style(style))
    return sorted(
        name[4:-9] for name in dir(made) if name.startswith("get_") and name.endswith("_template") and len(name) > 13
    )


class _Places:
    """Where each entry, and each field of it, begins in the text (pybtex keeps no places)."""

    _ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]+)\s*,")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: dict[str, int] = {}
        found = list(self._ENTRY.finditer(text))
        self.ends: dict[str, int] = {}
        for index, match in enumerate(found):
            key = match.group(2).lower()
            self.starts.setdefault(key, match.start())
            self.ends.setdefault(key, found[index + 1].start() if index + 1 < len(found) else len(text))

    def entry(self, key: str) -> tuple[int, int]:
        return place(self.text, self.starts.get(key.lower(), 0))

    def field(self, key: str, name: str) -> tuple[int, int]:
        start, end = self.starts.get(key.lower(), 0), self.ends.get(key.lower(), len(self.text))
        match = re.compile(rf"(?i)\b{re.escape(name)}\s*=").search(self.text, start, end)
        return place(self.text, match.start()) if match else self.entry(key)

    def words(self, words: str) -> tuple[int, int]:
        found = self.text.find(words)
        return place(self.text, found) if found != -1 else (1, 1)


def _parse(text: str, places: _Places) -> tuple[BibliographyData | None, list[BibProblem]]:
    try:
        return parse_string(text, "bibtex"), []
    except PrematureEOF as error:  # the file ends inside an entry: point at the entry
        start = error.error_context_info[0] if len(error.error_context_info) == 3 else 0
        message = "not valid BibTeX: the file ends inside this entry (a closing } is missing)"
        return None, [BibProblem(*place(text, start), message, "bibliography")]
    except PybtexSyntaxError as error:
        line, column = place(text, error.error_context_info[-1])
        return None, [BibProblem(line, column, f"not valid BibTeX: {error.args[0]}", "bibliography")]
    except BibliographyDataError as error:  # a key used twice
        message = str(error)
        key = message.rsplit(":", 1)[-1].strip()
        second = places.starts.get(key.lower())
        later = re.compile(rf"@\s*[A-Za-z]+\s*[{{(]\s*{re.escape(key)}\s*,", re.IGNORECASE)
        again = [m.start() for m in later.finditer(text)]
        offset = again[1] if len(again) > 1 else (second or 0)
        return None, [BibProblem(*place(text, offset), f"the key '{key}' is used by two entries", "bibliography")]
    except PybtexError as error:  # a name pybtex cannot read, among others
        words = re.findall(r"'([^']+)'", str(error))
        line, column = places.words(words[0]) if words else (1, 1)
        return None, [BibProblem(line, column, f"not valid BibTeX: {error}", "bibliography")]


def check_bibliography(text: str, style: str = "plain") -> Bibliography:
    """Parse ``text`` and format every entry with ``style``, as the build will."""
    places = _Places(text)
    refused = REFUSED_CHARACTERS.search(text)
    if refused:
        return Bibliography(
            {}, [BibProblem(*place(text, refused.start()), character_message(refused.group()), "unsafe")]
        )
    data, problems = _parse(text, places)
    if data is None:
        return Bibliography({}, problems)
    types = entry_types(style)
    formatter = _style(style)
    for key, entry in data.entries.items():
        if entry.type.lower() not in types:
            message = f"@{entry.type} is not an entry type the '{style}' style formats; use one of {', '.join(types)}"
            problems.append(BibProblem(*places.entry(key), f"{key}: {message}", "bibliography", key))
            continue
        for name in URL_FIELDS:
            value = entry.fields.get(name)
            if value is not None and not (link_is_safe(value) and _is_web_address(value)):
                message = f"{key}: the {name} must be an http or https address, not {value[:60]!r}"
                problems.append(BibProblem(*places.field(key, name), message, "unsafe", key))
        problems += _format_problems(formatter, key, entry, places)
    return Bibliography(dict(data.entries), problems)


def _is_web_address(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def _format_problems(formatter: Any, key: str, entry: Entry, places: _Places) -> list[BibProblem]:
    format_entry: Callable[..., Any] = formatter.format_entry
    try:
        format_entry(key, entry).text.render_as("text")
    except FieldIsMissing as missing:
        message = f"{key}: missing field '{missing.field_name}'"
        return [BibProblem(*places.entry(key), message, "bibliography", key)]
    except Exception as error:  # noqa: BLE001 - whatever pybtex raises would stop the build: say where
        return [BibProblem(*places.entry(key), f"{key}: the entry cannot be formatted: {error}", "bibliography", key)]
    return []
