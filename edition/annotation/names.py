"""Nothing named goes unexplained: the essay's named entities, as reviewable data, and a scan
for names not yet in that list.

``source_texts/names.yaml`` lists every person, organisation, work, event, place and term
the essay names: the words as they stand in the reading text, a category, and either the
glosses that explain it or ``left: <reason>``. Checked against the text (the words must
occur) and the annotations (a gloss listed must exist); the scan of the text (capitalised
word runs, capitalised titles in double quotes, words in -ism) reports what the list does
not hold, so a revised text cannot slip a new name past it. What no gloss explains yet is
the report's to-do list, with the paragraphs where each name stands.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..core.safeyaml import Located, YamlProblem, load
from ..core.textnorm import normalise
from . import SCHEMA_DIR
from .model import Annotation, Problem

SCHEMA_PATH = SCHEMA_DIR / "names.schema.json"
LIST_NAME = "names.yaml"  # in the folder of the witness (edition_source_dir)


@dataclass(frozen=True)
class Name:
    words: tuple[str, ...]  # as they stand in the reading text; the first is the name shown
    category: str
    glosses: tuple[str, ...] = ()
    left: str = ""
    index: int = 0  # its place in the list, for locating messages

    @property
    def shown(self) -> str:
        return self.words[0]


@dataclass
class NameList:
    path: str
    located: Located | None
    names: list[Name] = field(default_factory=list)
    not_names: tuple[str, ...] = ()

    def where(self, *path: str | int) -> tuple[int, int]:
        return self.located.where(path) if self.located else (1, 1)

    def problem(self, path: tuple[str | int, ...], message: str, kind: str) -> Problem:
        return Problem(self.path, *self.where(*path), message, kind)


@dataclass
class Explained:
    """How far the list is explained: what the report shows."""

    names: list[Name]
    glossed: list[Name]
    left: list[Name]
    unexplained: list[tuple[Name, list[str], list[str]]]  # name, its paragraphs, glosses that quote its words
    unlisted: list[tuple[str, list[str]]]  # what the scan found that the list does not hold, with paragraphs


@cache
def _validator() -> Any:
    from jsonschema import Draft7Validator

    return Draft7Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def load_names(raw: bytes, shown: str) -> tuple[NameList, list[Problem]]:
    """The list, or its problems (as located as the annotations' are)."""
    try:
        located = load(raw)
    except YamlProblem as error:
        return NameList(shown, None), [Problem(shown, error.line, error.column, error.message, "schema")]
    problems = []
    for invalid in sorted(_validator().iter_errors(located.data), key=lambda e: list(map(str, e.absolute_path))):
        where = tuple(invalid.absolute_path)
        name = ".".join(str(p) for p in where) or "the file"
        message = "give either 'glosses' or 'left', not both" if invalid.validator == "not" else invalid.message
        problems.append(Problem(shown, *located.where(where), f"{name}: {message}", "schema"))
    if problems:
        return NameList(shown, located), problems
    data = located.data
    names = [
        Name(tuple(entry["words"]), entry["category"], tuple(entry.get("glosses", ())), entry.get("left", ""), index)
        for index, entry in enumerate(data.get("names", []))
    ]
    return NameList(shown, located, names, tuple(data.get("not_names", ()))), []


def _whole(words: Iterable[str]) -> str:
    """Any of ``words`` as whole words (a possessive 's may follow), the longest first."""
    alternatives = "|".join(re.escape(normalise(w)) for w in sorted(set(words), key=len, reverse=True))
    return rf"(?<![\w-])(?:{alternatives})(?!\w)"


@cache
def _literal(words: str) -> re.Pattern[str]:
    # Without a lookbehind in front, the search can skip ahead to the first letter; stands_in
    # then checks the character before.
    return re.compile(rf"{re.escape(normalise(words))}(?!\w)")


def stands_in(words: str, text: str) -> bool:
    """True if ``words`` stand in ``text`` (normalised) as whole words."""
    return any(
        m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_-")
        for m in _literal(words).finditer(text)
    )


def occurrences(words: str, paragraphs: dict[str, str]) -> list[str]:
    """The paragraphs where ``words`` stand, in reading order."""
    return [ident for ident, text in _normalised(paragraphs).items() if stands_in(words, text)]


_LAST: list[tuple[dict[str, str], dict[str, str]]] = []  # the paragraphs last normalised, and the result


def _normalised(paragraphs: dict[str, str]) -> dict[str, str]:
    """The paragraphs normalised, once for the many look-ups of one check."""
    if not _LAST or _LAST[0][0] is not paragraphs:
        _LAST[:] = [(paragraphs, {ident: normalise(text) for ident, text in paragraphs.items()})]
    return _LAST[0][1]


# --- the scan ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_JOINERS = {"von", "van", "der", "de", "of", "the", "in"}  # inside a name: Ludwig von Mises, Garden of Eden
_QUOTES = "'\"‘“"
# Words that open sentences and name nothing, dropped there even where the text has them in
# lower case nowhere else.
_OPENING_WORDS = frozenset(
    re.findall(
        r"\w+",
        "A An The In On As At By For From If It Of To But And Or So Yet When While This That These Those There "
        "Here He She They We His Her Its Their Our After Before Even Then Over Up Since Until With",
    )
)
_ISM = re.compile(r"\b[A-Za-z-]*isms?\b")
_QUOTED = re.compile(r"""["“]([A-Z][^"”\n]*?)["”]""")
_MASK = "\u00a7"  # what a listed name is replaced by before the scan: no letter, no sentence end


def _title_like(phrase: str) -> bool:
    """Three to eight words, every word of four letters or more capitalised: "The USSR in War"."""
    words = phrase.split()
    return 3 <= len(words) <= 8 and all(w[0].isupper() for w in words if len(w) >= 4 and w[0].isalpha())


def _bare(word: str) -> str:
    return re.sub(r"['’]s?$", "", word)


def _opens(before: str) -> bool:
    """True if a word after ``before`` begins a paragraph, sentence, bracket or quotation."""
    before = before.rstrip()
    if before and before[-1] in _QUOTES:
        if len(before) == 1 or before[-2].isspace() or before[-2] in "([":
            return True  # an opening quotation mark: a quotation may begin with a capital
        before = before[:-1]  # a closing one: what ends before it decides
    return not before or before[-1] in ".?!:;([…"


def _runs(text: str) -> list[tuple[list[str], bool]]:
    """Runs of capitalised words (joined by name particles), each with whether it opens a
    sentence, a bracket or a quotation (where any word is capitalised)."""
    runs: list[tuple[list[str], bool]] = []
    tokens = list(_TOKEN.finditer(text))

    def adjacent(a: int, b: int) -> bool:  # only white space between, and no possessive ends a
        return not text[tokens[a].end() : tokens[b].start()].strip() and not tokens[a].group().endswith(("'s", "’s"))

    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not token.group()[0].isupper():
            index += 1
            continue
        run, end, opens = [token.group()], index, _opens(text[: token.start()])
        while True:
            after = end + 1  # particles (von, van der, of the) may stand between two capitalised words
            while after < len(tokens) and tokens[after].group() in _JOINERS and adjacent(after - 1, after):
                after += 1
            if after < len(tokens) and tokens[after].group()[0].isupper() and adjacent(after - 1, after):
                if not all(adjacent(i, i + 1) for i in range(end, after)):
                    break
                run += [t.group() for t in tokens[end + 1 : after + 1]]
                end = after
            else:
                break
        runs.append((run, opens))
        index = end + 1
    return runs


def scan(paragraphs: dict[str, str], known: Iterable[str] = ()) -> dict[str, list[str]]:
    """Name-like words in the text that ``known`` does not cover, each with its paragraphs.

    Every word run of ``known`` is masked first, so a listed name hides no other. A run that
    opens a sentence loses its first word when that word also stands in lower case in the
    essay, or is a common opening word ("In", "The"); a single capitalised word that opens a
    sentence counts only if it is capitalised elsewhere too, or is an acronym."""
    known = [w for w in known if w.strip()]
    mask = re.compile(_whole(known)) if known else None
    texts = {ident: mask.sub(_MASK, text) if mask else text for ident, text in _normalised(paragraphs).items()}
    whole = " ".join(texts.values())
    lower = {t.lower() for t in _TOKEN.findall(whole) if t[0].islower()}
    runs = {ident: _runs(text) for ident, text in texts.items()}
    inside = {_bare(word) for found in runs.values() for run, opens in found for word in run[1 if opens else 0 :]}
    found: dict[str, list[str]] = {}

    def add(name: str, ident: str) -> None:
        if ident not in found.setdefault(name, []):
            found[name].append(ident)

    for ident, paragraph_runs in runs.items():
        for run, opens in paragraph_runs:
            words = list(run)
            if opens and (words[0].lower() in lower or words[0] in _OPENING_WORDS):
                words = words[1:]
                while words and words[0] in _JOINERS:
                    words = words[1:]
            if not words:
                continue
            name = _bare(" ".join(words))
            if len(name) == 1:  # "I", "A": a letter alone names nothing
                continue
            single_opening = opens and len(words) == len(run) == 1
            if single_opening and name not in inside and not name.isupper():
                continue
            add(name, ident)
        for match in _QUOTED.finditer(texts[ident]):
            if _MASK not in match.group(1) and _title_like(match.group(1)):
                add(match.group(1).strip(), ident)
        for match in _ISM.finditer(texts[ident]):
            add(match.group(), ident)
    return found


# --- the checks and the report -------------------------------------------------------------------


def check_names(
    names: NameList, paragraphs: dict[str, str], annotations: list[Annotation], scanned: bool = True
) -> list[Problem]:
    """Every listed word stands in the text, every gloss named exists, no words are listed
    twice; with ``scanned``, nothing the scan finds is missing from the list."""
    problems: list[Problem] = []
    kinds = {a.id: a.kind for a in annotations}
    whole = "\n".join(_normalised(paragraphs).values())
    seen: dict[str, int] = {}
    for name in names.names:
        for position, words in enumerate(name.words):
            at = ("names", name.index, "words", position)
            if words in seen:
                message = f"'{words}' is listed twice (also in entry {seen[words] + 1})"
                problems.append(names.problem(at, message, "names"))
            seen.setdefault(words, name.index)
            if not stands_in(words, whole):
                message = f"'{words}' no longer stands in the essay: correct the words, or remove them from the list"
                problems.append(names.problem(at, message, "names"))
        for position, ident in enumerate(name.glosses):
            at = ("names", name.index, "glosses", position)
            if ident not in kinds:
                problems.append(names.problem(at, f"annotation '{ident}' does not exist", "ref"))
            elif kinds[ident] != "gloss":
                problems.append(names.problem(at, f"'{ident}' is a {kinds[ident]}, not a gloss", "ref"))
    for position, word in enumerate(names.not_names):
        if not stands_in(word, whole):
            message = f"'{word}' no longer stands in the essay: remove it from not_names"
            problems.append(names.problem(("not_names", position), message, "names"))
    if scanned:
        known = [*seen, *names.not_names]
        for found, where in sorted(scan(paragraphs, known).items()):
            shown = ", ".join(where)
            message = (
                f"the essay names '{found}' (¶ {shown}), which {names.path} does not list: add it with its "
                "glosses or 'left: <reason>', or under not_names if it names nothing"
            )
            problems.append(names.problem(("names",), message, "names"))
    return problems


def explained(names: NameList, paragraphs: dict[str, str], annotations: list[Annotation]) -> Explained:
    glosses = [a for a in annotations if a.kind == "gloss"]
    unexplained = []
    for name in names.names:
        if name.glosses or name.left:
            continue
        where = sorted({p for words in name.words for p in occurrences(words, paragraphs)}, key=_order)
        quoting = sorted(
            a.id for a in glosses if any(stands_in(words, normalise(a.quote.exact)) for words in name.words)
        )
        unexplained.append((name, where, quoting))
    known = [w for name in names.names for w in name.words] + list(names.not_names)
    return Explained(
        names=names.names,
        glossed=[n for n in names.names if n.glosses],
        left=[n for n in names.names if n.left and not n.glosses],
        unexplained=unexplained,
        unlisted=sorted(scan(paragraphs, known).items()),
    )


def _order(ident: str) -> tuple[int, str]:
    digits = "".join(ch for ch in ident if ch.isdigit())
    return (int(digits) if digits else 0, ident)


def list_path(source_dir: str = "source_texts") -> str:
    """Where the list is, relative to the project root."""
    return f"{source_dir}/{LIST_NAME}"


def read_names(root: Path, source_dir: str = "source_texts") -> tuple[NameList | None, list[Problem]]:
    """The project's list, if it has one (test projects may not)."""
    shown = list_path(source_dir)
    if (root / shown).is_symlink():  # it could lead anywhere: named, never read
        return None, [Problem(shown, 1, 1, "a symbolic link is not read: commit the file itself", "unsafe")]
    if not (root / shown).exists():
        return None, []
    names, problems = load_names((root / shown).read_bytes(), shown)
    return (None if problems else names), problems
