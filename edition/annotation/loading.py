"""Loading annotation files: every file below ``annotations/``, each read as untrusted YAML and
validated against the JSON Schema in ``edition/schema/`` (the single definition of the format),
with problems that say file, line, column and what to fix; all problems of a run together."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from ..core.safeyaml import YamlProblem, load
from ..core.walk import files_below
from . import SCHEMA_DIR
from .migrate import CURRENT_VERSION, is_version, outdated, v2_only
from .model import NOT_BLOCKING, Annotation, Problem
from .skeleton import placeholders

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_PATH = SCHEMA_DIR / "annotation.schema.json"
SCHEMA_VERSION = CURRENT_VERSION


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
