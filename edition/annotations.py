"""Standoff annotations: loading, schema validation and checks against the text.

Every problem is located (file, line, column) and says what to fix; all problems of a
run are reported together. The JSON Schema in ``edition/schema/`` is the single
definition of the format; this module adds the checks a schema cannot make.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .bodies import BodyProblem, BodyRef, check_body, looks_like_markup, unsafe_links
from .core.anchoring import Quote, context_misses, locate, split_part_holding
from .core.safeyaml import Located, YamlProblem, load
from .core.textnorm import normalise
from .core.walk import files_below
from .migrate import CURRENT_VERSION, is_version, outdated, v2_only
from .skeleton import placeholders

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_PATH = Path(__file__).parent / "schema" / "annotation.schema.json"
SCHEMA_VERSION = CURRENT_VERSION
# Problems that leave the annotation in the edition: a version 1 file is read, and warned about.
NOT_BLOCKING = ("outdated",)
KINDS = ("gloss", "note", "crossref", "emendation", "variant", "commentary")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    type: str  # the warning subtype: schema, anchor, ref, unsafe, orphan, fuzzy, outdated

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message} [edition.{self.type}]"


@dataclass
class Annotation:
    path: str  # as shown in messages, relative to the project
    located: Located
    # check_body of each field, kept with the annotation: an incremental build keeps the
    # annotations of unchanged files (in the environment) and need not parse them again
    checked: dict[str, tuple[tuple[BodyProblem, ...], tuple[BodyRef, ...]]] = field(default_factory=dict, repr=False)

    def check_field(self, name: str) -> tuple[tuple[BodyProblem, ...], tuple[BodyRef, ...]]:
        """What :func:`check_body` finds in the body or basis ``name`` (empty if the field is absent)."""
        if name not in self.checked:
            self.checked[name] = check_body(str(self.data.get(name, "")))
        return self.checked[name]

    @property
    def data(self) -> dict[str, Any]:
        """The loaded mapping (shared, not copied: read it, do not change it)."""
        return self.located.data

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def target(self) -> dict[str, Any]:
        return self.data["target"]

    @property
    def paragraph(self) -> str | None:
        value = self.target.get("paragraph")
        return str(value) if value else None

    @property
    def note(self) -> int | None:
        value = self.target.get("note")
        return int(value) if value is not None else None

    @property
    def quote(self) -> Quote:
        target = self.target
        return Quote(str(target.get("quote", "")), str(target.get("prefix", "")), str(target.get("suffix", "")))

    def problem(self, where: tuple[str | int, ...], message: str, kind: str) -> Problem:
        line, column = self.located.where(where)
        return Problem(self.path, line, column, message, kind)


@dataclass
class TextModel:
    """What annotations may point at: paragraph texts by id, note numbers, other ids."""

    paragraphs: dict[str, str]
    notes: set[int] = field(default_factory=set)
    superseded: dict[str, str] = field(default_factory=dict)  # id -> "alias"/"retired"
    redirects: dict[str, str] = field(default_factory=dict)  # alias id -> the active id it resolves to
    parts: dict[str, list[str]] = field(default_factory=dict)  # split paragraph -> its other parts

    def resolve(self, paragraph: str) -> str | None:
        """The paragraph an annotation's target now stands in (an alias leads to its survivor)."""
        return paragraph if paragraph in self.paragraphs else self.redirects.get(paragraph)


@cache
def _schema() -> dict[str, Any]:
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@cache
def _validator() -> Draft7Validator:
    """jsonschema: slow, but it says what is wrong and where; used for files that fail
    (and imported only then)."""
    from jsonschema import Draft7Validator

    return Draft7Validator(_schema())


@cache
def _fast_check() -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema: the quick yes for valid files."""
    return fastjsonschema.compile(_schema())


def schema_valid(data: Any) -> bool:
    try:
        _fast_check()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _field(error: ValidationError) -> str:
    path = [str(p) for p in error.absolute_path]
    return ".".join(path) if path else "the file"


def _required(schema: Any) -> list[str]:
    """The fields a (``not``) subschema names as required, in its ``anyOf`` branches too."""
    if not isinstance(schema, dict):
        return []
    return [*schema.get("required", []), *(k for branch in schema.get("anyOf", []) for k in _required(branch))]


def _describe(error: ValidationError) -> str:
    name = _field(error)
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = f" ({schema['description']})" if "description" in schema else ""
    if error.validator == "required":
        missing = str(error.message).split("'")[1]
        return f"{name}: missing required field '{missing}'"
    if error.validator == "additionalProperties":
        allowed = ", ".join(sorted(schema.get("properties", {})))
        unknown = error.message.replace("Additional properties are not allowed", "unknown field")
        return f"{name}: {unknown}; allowed: {allowed}"
    if error.validator == "enum":
        choices = ", ".join(str(v) for v in list(error.validator_value))  # type: ignore[arg-type]
        return f"{name}: {error.instance!r} is not one of {choices}"
    if error.validator == "const":
        return f"{name} must be {error.validator_value!r}"
    if error.validator == "type":
        return f"{name} must be of type {error.validator_value}, not {type(error.instance).__name__}"
    if error.validator == "pattern":
        return f"{name}: {error.instance!r} is not of the expected form{hint}"
    if error.validator == "not":
        refused = _required(error.validator_value)  # the fields the rule forbids
        keys = [k for k in refused if isinstance(error.instance, dict) and k in error.instance]
        kind = error.instance.get("kind") if isinstance(error.instance, dict) else "?"
        return f"a {kind} annotation may not have {', '.join(repr(k) for k in keys) or 'these fields'}"
    return f"{name}: {error.message}{hint}"


def _schema_problems(ann: Annotation, data: Any) -> list[Problem]:
    if schema_valid(data):  # the common case, ten times faster than jsonschema
        return []
    from jsonschema.exceptions import best_match

    problems = []
    for error in _validator().iter_errors(data):
        if error.validator in ("oneOf", "anyOf") and error.context:
            error = best_match(_likeliest_branch(error))
        problems.append(ann.problem(tuple(error.absolute_path), _describe(error), "schema"))
    return problems


def _likeliest_branch(error: ValidationError) -> list[ValidationError]:
    """The errors of the alternative the writer meant: the one whose fields the value has
    most of (a target with ``paragraph`` and ``quote`` is about words, not a note)."""
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    keys = set(error.instance) if isinstance(error.instance, dict) else set()

    def shared(index: int) -> int:
        branch = branches[index] if index < len(branches) and isinstance(branches[index], dict) else {}
        return len(keys & set(branch.get("properties", {})))

    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        if sub.relative_schema_path and isinstance(sub.relative_schema_path[0], int):
            by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    if not by_branch:
        return list(error.context or [])
    return by_branch[max(sorted(by_branch), key=shared)]


def load_annotation(path: Path | str, shown: str) -> tuple[Annotation | None, list[Problem]]:
    """Load and schema-check one file; a file with problems yields no annotation."""
    with open(path, "rb") as file:
        raw = file.read()
    stem = os.path.splitext(os.path.basename(path))[0]
    try:
        located = load(raw)
    except YamlProblem as error:
        return None, [Problem(shown, error.line, error.column, error.message, "schema")]
    if not isinstance(located.data, dict):
        return None, [Problem(shown, 1, 1, "an annotation file holds one mapping (id: …, kind: …)", "schema")]
    ann = Annotation(shown, located)
    lines = located.text.splitlines()
    unfilled = [
        Problem(
            shown,
            line,
            located.indent(line),
            f"replace the FILL IN placeholder of '{lines[line - 1].split(':')[0].strip()}' with your text",
            "placeholder",
        )
        for line in placeholders(located.text)
    ]
    if unfilled:
        return None, unfilled
    if is_version(located.data, 1):  # read as the current version, in which it means the same
        problems = [ann.problem(where, message, "schema") for where, message in v2_only(located.data)]
        problems += _schema_problems(ann, {**located.data, "schema": SCHEMA_VERSION})
        problems.append(ann.problem(("schema",), outdated(shown), "outdated"))
    else:
        problems = _schema_problems(ann, located.data)
    if any(p.type not in NOT_BLOCKING for p in problems):
        return None, problems
    if ann.id != stem:
        problems.append(ann.problem(("id",), f"id '{ann.id}' must match the file name '{stem}'", "schema"))
    return (None if any(p.type not in NOT_BLOCKING for p in problems) else ann), problems


Cache = dict[str, tuple[tuple[int, int], "Annotation | None", list[Problem]]]


def load_annotations(folder: Path, root: Path, cache: Cache | None = None) -> tuple[list[Annotation], list[Problem]]:
    """Every ``*.yaml`` below ``folder``, in path order; ids must be unique. Every other
    file below it is reported, never skipped in silence; a symbolic link is reported by
    name and not followed.

    With ``cache`` (path -> (mtime, size), result), a file unchanged since it was cached is
    not read again; the cache is updated in place."""
    annotations: list[Annotation] = []
    problems: list[Problem] = []
    if not folder.is_dir() or folder.is_symlink():  # a linked folder is refused by the preflight
        return annotations, problems
    prefix = folder.relative_to(root).as_posix()
    for parts, entry in files_below(str(folder)):
        shown = "/".join((prefix, *parts)) if prefix != "." else "/".join(parts)
        refused = not_an_annotation_file(entry)
        if refused:
            problems.append(Problem(shown, 1, 1, refused, "unsafe" if entry.is_symlink() else "schema"))
            continue
        stat = entry.stat(follow_symlinks=False)
        stamp = (stat.st_mtime_ns, stat.st_size)
        if cache is not None and shown in cache and cache[shown][0] == stamp:
            _, ann, found = cache[shown]
        else:
            ann, found = load_annotation(entry.path, shown)
            if cache is not None:
                cache[shown] = (stamp, ann, found)
        problems += found
        if ann is not None:
            annotations.append(ann)
    seen: dict[str, Annotation] = {}
    for ann in annotations:
        if ann.id in seen:
            problems.append(ann.problem(("id",), f"id '{ann.id}' is also used by {seen[ann.id].path}", "schema"))
        seen.setdefault(ann.id, ann)
    return annotations, problems


def not_an_annotation_file(entry: os.DirEntry[str]) -> str:
    """Why ``entry`` is not loaded as an annotation ("" if it is)."""
    suffix = os.path.splitext(entry.name)[1]
    if entry.is_symlink():
        return "a symbolic link is not an annotation: commit the file itself (links are not followed)"
    if not entry.is_file(follow_symlinks=False):
        return "not a regular file: annotations/ holds only annotation files"
    if suffix == ".yaml":
        return ""
    if suffix.lower() in (".yaml", ".yml"):
        return f"name annotation files *.yaml, not *{suffix}"
    return f"annotations/ holds only annotation files (<id>.yaml): move or remove {entry.name}"


def check_target(ann: Annotation, text: TextModel) -> list[Problem]:
    """Does the target exist, and do the quoted words stand there exactly once?

    An exact match (narrowed by prefix and suffix) attaches; otherwise a single best match
    within the error bound attaches with a ``fuzzy`` warning that shows the words found;
    otherwise the annotation is an orphan, reported until fixed or acknowledged.
    """
    if ann.note is not None:
        if ann.note not in text.notes:
            return [ann.problem(("target", "note"), f"note {ann.note} does not exist in the text", "anchor")]
        return []
    para = ann.paragraph or ""
    acknowledged = bool(ann.data.get("orphan"))
    where = text.resolve(para)
    if where is None:
        if acknowledged:
            return []
        if text.superseded.get(para) == "retired":
            message = (
                f"annotation {ann.id} is an orphan: paragraph {para} was retired; "
                "retarget it, or acknowledge it with 'orphan: <reason>'"
            )
            return [ann.problem(("target", "paragraph"), message, "orphan")]
        return [ann.problem(("target", "paragraph"), f"paragraph {para} does not exist", "anchor")]
    # An acknowledged orphan is never attached: only its words standing there again exactly matter.
    matches = locate(text.paragraphs[where], ann.quote, fuzzy=not acknowledged)
    exact = ann.quote.exact
    shown = f"¶ {para}" if where == para else f"¶ {where} (formerly {para})"
    if len(matches) == 1 and acknowledged:
        message = f"annotation {ann.id} is marked as an orphan but attaches; remove 'orphan'"
        return [ann.problem(("orphan",), message, "anchor")]
    if len(matches) == 1 and not matches[0].exact:
        found = normalise(text.paragraphs[where][matches[0].start : matches[0].end])
        message = (
            f'quote "{exact}" attached to the nearest words "{found}" ({matches[0].errors} edit(s)) in {shown}; '
            "update the quote"
        )
        return [ann.problem(("target", "quote"), message, "fuzzy")]
    if len(matches) > 1:
        how = "occurs" if matches[0].exact else "nearly matches"
        message = f'quote "{exact}" {how} {len(matches)} times in {shown}; add a prefix or suffix to choose one'
        return [ann.problem(("target", "quote"), message, "anchor")]
    if not matches and (part := split_part_holding(ann.quote, where, text.paragraphs, text.parts)):
        message = f'quote "{exact}" now stands in ¶ {part}, split from {shown}; update the target paragraph'
        return [ann.problem(("target", "paragraph"), message, "fuzzy")]
    if not matches and not acknowledged and (places := context_misses(text.paragraphs[where], ann.quote)):
        which = " and ".join(name for name in ("prefix", "suffix") if ann.target.get(name))
        message = (
            f'the {which} of quote "{exact}" matches none of its {places} occurrence(s) in {shown}; '
            f"copy the words just before (prefix) or after (suffix) the one you mean"
        )
        return [ann.problem(("target", "prefix" if ann.target.get("prefix") else "suffix"), message, "anchor")]
    if not matches and not acknowledged:
        return [ann.problem(("target", "quote"), f'quote "{exact}" not found in {shown}', "anchor")]
    return []


_PLAIN_FIELDS: tuple[tuple[str, ...], ...] = (
    ("headword",),
    ("reading",),
    ("locator",),
    ("orphan",),
    ("author", "name"),
    ("target", "quote"),
    ("target", "prefix"),
    ("target", "suffix"),
)


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def check_references(ann: Annotation, text: TextModel, bib_keys: set[str] | None, ids: set[str]) -> list[Problem]:
    """Bibliography keys, cross-reference targets and body references all resolve; the body is safe.
    With ``bib_keys`` None (the bibliography cannot be read) keys are not checked."""
    data = ann.data
    problems: list[Problem] = []
    for index, key in enumerate(data.get("sources", [])):
        if bib_keys is not None and key not in bib_keys:
            problems.append(
                ann.problem(("sources", index), f"bibliography key '{key}' is not in bibliography.bib", "ref")
            )
    for index, item in enumerate(data.get("citations", [])):
        if bib_keys is not None and item["key"] not in bib_keys:
            problems.append(
                ann.problem(
                    ("citations", index, "key"),
                    f"bibliography key '{item['key']}' is not in bibliography.bib",
                    "ref",
                )
            )
    refers = data.get("refers_to", {})
    if "paragraph" in refers and refers["paragraph"] not in text.paragraphs:
        problems.append(
            ann.problem(("refers_to", "paragraph"), f"paragraph {refers['paragraph']} does not exist", "ref")
        )
    if "annotation" in refers and refers["annotation"] not in ids:
        problems.append(
            ann.problem(("refers_to", "annotation"), f"annotation '{refers['annotation']}' does not exist", "ref")
        )
    for where in _PLAIN_FIELDS:
        value = _get(data, where)
        if isinstance(value, str) and looks_like_markup(value):
            field = ".".join(str(w) for w in where)
            problems.append(ann.problem(where, f"{field}: markup is not allowed in a plain-text field", "unsafe"))
        elif isinstance(value, str) and "]" in value and unsafe_links(value):  # a link needs "]"
            field = ".".join(str(w) for w in where)
            message = f"{field}: unsafe link: only http, https and mailto addresses may appear, even as plain text"
            problems.append(ann.problem(where, message, "unsafe"))
    for name in ("body", "basis"):
        if name not in data:
            continue
        line, column = ann.located.where((name,))
        body_problems, refs = ann.check_field(name)
        for bp in body_problems:
            at = line + bp.line
            column = ann.located.indent(at) if bp.line else column
            problems.append(Problem(ann.path, at, column, f"{name}: {bp.message}", "unsafe"))
        for ref in refs:
            missing = (
                (ref.kind == "cite" and bib_keys is not None and ref.target not in bib_keys)
                or (ref.kind == "para" and ref.target not in text.paragraphs)
                or (ref.kind == "ann" and ref.target not in ids)
            )
            if missing:
                what = {"cite": "bibliography key", "para": "paragraph", "ann": "annotation"}[ref.kind]
                column = ann.located.indent(line + ref.line) if ref.line else column
                problems.append(
                    Problem(
                        ann.path,
                        line + ref.line,
                        column,
                        f"{name}: {what} '{ref.target}' does not exist",
                        "ref",
                    )
                )
    return problems


def check_all(annotations: list[Annotation], text: TextModel, bib_keys: set[str] | None) -> list[Problem]:
    ids = {a.id for a in annotations}
    problems: list[Problem] = []
    expanded: dict[int, Annotation] = {}
    for ann in annotations:
        problems += check_target(ann, text)
        problems += check_references(ann, text, bib_keys, ids)
        if ann.kind == "note" and ann.note is not None:
            if ann.note in expanded:
                problems.append(
                    ann.problem(
                        ("target", "note"),
                        f"note {ann.note} is already expanded by {expanded[ann.note].path}",
                        "ref",
                    )
                )
            expanded.setdefault(ann.note, ann)
    return problems
