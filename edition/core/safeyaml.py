"""Load untrusted YAML safely, keeping the line and column of every value.

Refuses what a pull request could use to hurt the build or hide a mistake: files over a
size limit, bytes that are not UTF-8, anchors and aliases (alias bombs), nesting deeper
than a limit, duplicate keys, numbers too long to be meant, control characters (raw or
written as escapes such as ``"\\0"``, which make XML exports unreadable), bidirectional
overrides (which make the text read otherwise than it is), and any tag beyond plain
strings, numbers, booleans, null, lists and mappings. Dates stay strings, as the schema
wants them. Every refusal is a :class:`YamlProblem` with a line and column; no YAML input
raises anything else. The project's data files (ledger, decisions, versions) are read
with the same guards by :func:`load_data`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .yamladvice import advise, tab_column

MAX_BYTES = 64 * 1024
MAX_DEPTH = 8
MAX_DATA_BYTES = 16 * 1024 * 1024  # the project's data files: the ledger grows with every version
MAX_DATA_DEPTH = 16
MAX_NUMBER_LENGTH = 40  # Python refuses integers of more than 4,300 digits; no field needs 40
# libyaml's parser where PyYAML has it (it does on every platform with wheels): the same
# events and nodes, many times faster than the pure-Python one.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlProblem(Exception):
    line: int
    column: int
    message: str
    path: str = ""  # the file, when the loader was told it

    def __str__(self) -> str:
        return f"{self.path + ':' if self.path else ''}{self.line}:{self.column}: {self.message}"


@dataclass
class Located:
    """Loaded data and where each value (and each mapping key) stands in the file."""

    data: Any
    marks: dict[Path_, tuple[int, int]]
    text: str = ""
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # where each mapping key is written

    def where_key(self, path: Path_) -> tuple[int, int]:
        """The position of the key that names ``path`` (for a field that should not be there),
        else that of its value."""
        return self.keys.get(tuple(path)) or self.where(path)

    def indent(self, line: int) -> int:
        """The column (1-based) where the text of ``line`` (1-based) begins."""
        lines = self.text.splitlines()
        if not 0 < line <= len(lines):
            return 1
        return len(lines[line - 1]) - len(lines[line - 1].lstrip()) + 1

    def where(self, path: Path_) -> tuple[int, int]:
        """The position of ``path``, or of its nearest ancestor that exists."""
        path = tuple(path)
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def decode(raw: bytes, limit: int | None = MAX_BYTES, encoding: str = "utf-8") -> str:
    """``raw`` as text, or a :class:`YamlProblem` at the first byte that is not UTF-8 (and
    for more than ``limit`` bytes)."""
    if limit is not None and len(raw) > limit:
        what = "an annotation file" if limit == MAX_BYTES else "a data file"
        raise YamlProblem(1, 1, f"file is {len(raw)} bytes; {what} may have at most {limit}")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlProblem(line, column, "the file is not valid UTF-8; save it as UTF-8") from None


def _scan_events(text: str, max_depth: int = MAX_DEPTH) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            mark = event.start_mark
            assert mark is not None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlProblem(mark.line + 1, mark.column + 1, "anchors and aliases (& and *) are not allowed")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > max_depth:
                    raise YamlProblem(mark.line + 1, mark.column + 1, f"nested deeper than {max_depth} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        raise _invalid(error, text) from None


def _invalid(error: yaml.YAMLError, text: str) -> YamlProblem:
    if isinstance(error, yaml.reader.ReaderError):  # a raw character YAML refuses, by its offset
        line, column = place(text, error.position)
        return YamlProblem(line, column, character_message(chr(error.character)))
    if not isinstance(error, yaml.MarkedYAMLError):
        return YamlProblem(1, 1, f"not valid YAML: {error}")
    said = str(error.problem or error.context)
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    row = lines[line - 1] if 0 < line <= len(lines) else ""
    advice = advise(said, row, column)
    if advice is None:
        return YamlProblem(line, column, f"not valid YAML: {said}")
    if advice.at_start and error.context_mark is not None:
        line, column = error.context_mark.line + 1, error.context_mark.column + 1
    elif advice.at_tab:
        column = tab_column(row, column)
    return YamlProblem(line, column, f"not valid YAML: {advice.text} (the parser: {said})")


def place(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of the character at ``offset``."""
    offset = max(0, min(offset, len(text)))
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# Characters no value may hold: controls other than tab and line feed (XML cannot carry
# them), surrogates and the two XML non-characters, and the bidirectional embeddings,
# overrides and isolates that make a text display otherwise than it reads.
REFUSED_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


def refused_character(text: str) -> str | None:
    """The first character of ``text`` that no value may hold, or None."""
    found = REFUSED_CHARACTERS.search(text)
    return found.group() if found else None


def character_message(char: str) -> str:
    name = unicodedata.name(char, "a control character")
    return f"the character U+{ord(char):04X} ({name}) is not allowed; remove it"


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "v": "\v", "f": "\f", "r": "\r", "e": "\x1b", "N": "\x85"}


def _where_character(text: str, node: yaml.ScalarNode, char: str) -> tuple[int, int]:
    """Where ``char`` stands in the scalar ``node``: as itself, or written as an escape."""
    start, end = node.start_mark.index, node.end_mark.index
    found = text.find(char, start, end)
    if found == -1 and node.style == '"':
        for match in _ESCAPE.finditer(text, start, end):
            code = match.group(1)
            value = chr(int(code[1:], 16)) if len(code) > 1 else _ESCAPED.get(code)
            if value == char:
                found = match.start()
                break
    return place(text, found) if found != -1 else _mark(node)


# Without these characters a file has no anchor (so no alias composes: "*name" alone is an
# error) and no flow collection; block nesting needs indentation that grows with depth, so
# within MAX_BYTES it stays a few hundred levels deep, harmless to compose, and _construct
# refuses more than MAX_DEPTH. "*", common in bodies as emphasis, needs no scan.
_NEEDS_SCAN = re.compile(r"[&\[{]")


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_SCALARS = {
    "tag:yaml.org,2002:str": str,
    "tag:yaml.org,2002:timestamp": str,
}


@dataclass
class _Reading:
    """What :func:`_construct` needs besides the node: the text (to place a refused
    character) and the nesting allowed."""

    text: str
    max_depth: int = MAX_DEPTH
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)


def _construct(
    node: yaml.Node, path: Path_, marks: dict[Path_, tuple[int, int]], reading: _Reading, depth: int = 0
) -> Any:
    marks[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        marks[path] = (node.start_mark.line + 2, node.start_mark.column + 1)  # the text starts below
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if node.tag not in _COLLECTIONS:
            raise YamlProblem(*_mark(node), f"the tag {node.tag} is not allowed")
        depth += 1
        if depth > reading.max_depth:
            raise YamlProblem(*_mark(node), f"nested deeper than {reading.max_depth} levels")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(*_mark(key_node), "a mapping key must be a plain word")
            key = str(key_node.value)
            if key in out:
                raise YamlProblem(*_mark(key_node), f"duplicate key '{key}'")
            _refuse_characters(key_node, reading)
            reading.keys[(*path, key)] = _mark(key_node)
            out[key] = _construct(value_node, (*path, key), marks, reading, depth)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, index), marks, reading, depth) for index, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    _refuse_characters(node, reading)
    if node.tag in _SCALARS:
        return node.value
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and len(node.value) > MAX_NUMBER_LENGTH:
        raise YamlProblem(*_mark(node), f"a number longer than {MAX_NUMBER_LENGTH} characters is not allowed")
    if node.tag == "tag:yaml.org,2002:int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    if node.tag == "tag:yaml.org,2002:bool":
        return _CONSTRUCTOR.construct_yaml_bool(node)
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag == "tag:yaml.org,2002:float":
        return _CONSTRUCTOR.construct_yaml_float(node)
    raise YamlProblem(*_mark(node), f"the tag {node.tag} is not allowed")


def _refuse_characters(node: yaml.ScalarNode, reading: _Reading) -> None:
    char = refused_character(node.value)
    if char is not None:
        raise YamlProblem(*_where_character(reading.text, node, char), character_message(char))


def _load_text(text: str, max_depth: int = MAX_DEPTH) -> Located:
    if _NEEDS_SCAN.search(text):  # an event scan first, so an alias never expands
        _scan_events(text, max_depth)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as error:
        raise _invalid(error, text) from None
    marks: dict[Path_, tuple[int, int]] = {}
    if root is None:
        return Located(None, {(): (1, 1)}, text)
    reading = _Reading(text, max_depth)
    return Located(_construct(root, (), marks, reading), marks, text, reading.keys)


def load_trusted(text: str) -> Any:
    """YAML text of the project's data, with the guards of :func:`load_data`."""
    return _load_text(text, MAX_DATA_DEPTH).data


def load_data(path: Path, shown: str = "") -> Any:
    """One of the project's data files (ledger, decisions, versions, edition facts): a pull
    request can change them too, so they get the same guards as annotations, with a larger
    size limit; a :class:`YamlProblem` names the file (``shown``, else its path)."""
    return load_located_data(path, shown).data


def load_located_data(path: Path, shown: str = "") -> Located:
    """:func:`load_data`, with the place of every value."""
    try:
        if path.is_symlink():  # it could lead anywhere: named, never read
            raise YamlProblem(1, 1, "a symbolic link is not read: commit the file itself")
        return _load_text(decode(path.read_bytes(), MAX_DATA_BYTES), MAX_DATA_DEPTH)
    except YamlProblem as problem:
        raise YamlProblem(problem.line, problem.column, problem.message, shown or shown_path(path)) from None


def shown_path(path: Path) -> str:
    """``path`` as messages show it: relative to the working directory when it is below it."""
    absolute = Path(os.path.abspath(path))  # not resolved: a link is named as itself, never followed
    try:
        return absolute.relative_to(os.path.abspath(os.getcwd())).as_posix()
    except ValueError:
        return str(path)


def load(raw: bytes) -> Located:
    """Parse ``raw`` or raise :class:`YamlProblem` with a line and column."""
    return _load_text(decode(raw))
