"""Load untrusted YAML safely, keeping the line and column of every value.

Refuses what a pull request could use to hurt the build or hide a mistake: files over a
size limit, bytes that are not UTF-8, anchors and aliases (alias bombs), nesting deeper
than a limit, duplicate keys, and any tag beyond plain strings, numbers, booleans, null,
lists and mappings. Dates stay strings, as the schema wants them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

MAX_BYTES = 64 * 1024
MAX_DEPTH = 8
# libyaml's parser where PyYAML has it (it does on every platform with wheels): the same
# events and nodes, many times faster than the pure-Python one.
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlProblem(Exception):
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


@dataclass
class Located:
    """Loaded data and where each value (and each mapping key) stands in the file."""

    data: Any
    marks: dict[Path_, tuple[int, int]]
    text: str = ""

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


def _decode(raw: bytes, limit: int = MAX_BYTES) -> str:
    if len(raw) > limit:
        raise YamlProblem(1, 1, f"file is {len(raw)} bytes; an annotation file may have at most {limit}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise YamlProblem(line, column, "the file is not valid UTF-8; save it as UTF-8") from None


def _scan_events(text: str) -> None:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            mark = event.start_mark
            assert mark is not None
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise YamlProblem(mark.line + 1, mark.column + 1, "anchors and aliases (& and *) are not allowed")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(mark.line + 1, mark.column + 1, f"nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        raise _invalid(error) from None


def _invalid(error: yaml.MarkedYAMLError) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return YamlProblem(line, column, f"not valid YAML: {error.problem or error.context}")


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


def _construct(node: yaml.Node, path: Path_, marks: dict[Path_, tuple[int, int]], depth: int = 0) -> Any:
    marks[path] = _mark(node)
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        marks[path] = (node.start_mark.line + 2, node.start_mark.column + 1)  # the text starts below
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        if node.tag not in _COLLECTIONS:
            raise YamlProblem(*_mark(node), f"the tag {node.tag} is not allowed")
        depth += 1
        if depth > MAX_DEPTH:
            raise YamlProblem(*_mark(node), f"nested deeper than {MAX_DEPTH} levels")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(*_mark(key_node), "a mapping key must be a plain word")
            key = str(key_node.value)
            if key in out:
                raise YamlProblem(*_mark(key_node), f"duplicate key '{key}'")
            out[key] = _construct(value_node, (*path, key), marks, depth)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, index), marks, depth) for index, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)
    if node.tag in _SCALARS:
        return node.value
    if node.tag == "tag:yaml.org,2002:int":
        return _CONSTRUCTOR.construct_yaml_int(node)
    if node.tag == "tag:yaml.org,2002:bool":
        return _CONSTRUCTOR.construct_yaml_bool(node)
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag == "tag:yaml.org,2002:float":
        return _CONSTRUCTOR.construct_yaml_float(node)
    raise YamlProblem(*_mark(node), f"the tag {node.tag} is not allowed")


def load_trusted(text: str) -> Any:
    """The project's own data files (ledger, decisions, versions), read with libyaml's speed."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python


def load(raw: bytes, limit: int = MAX_BYTES) -> Located:
    """Parse ``raw`` (at most ``limit`` bytes) or raise :class:`YamlProblem` with a line and column."""
    text = _decode(raw, limit)
    if _NEEDS_SCAN.search(text):  # an event scan first, so an alias never expands
        _scan_events(text)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        raise _invalid(error) from None
    marks: dict[Path_, tuple[int, int]] = {}
    if root is None:
        return Located(None, {(): (1, 1)}, text)
    return Located(_construct(root, (), marks), marks, text)
