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

from ..core.misspelt import closest, unknown_field
from ..core.safeyaml import YamlProblem, load
from ..core.walk import files_below
from . import SCHEMA_DIR
from .migrate import CURRENT_VERSION, is_version, outdated, v2_only
from .model import NOT_BLOCKING, Annotation, Problem
from .skeleton import FOLDERS, NAMES, placeholders

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
        return f"{name}: missing required field '{_missing(error)}'"
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

    errors: list[ValidationError] = []
    for error in _validator().iter_errors(data):
        if error.validator in ("oneOf", "anyOf") and error.context:
            branch = _likeliest_branch(error)
            spelt = [e for e in branch if e.validator in ("additionalProperties", "required")]
            # a misspelt field and the missing field it stands for are told together; else the best error
            unknown = any(e.validator == "additionalProperties" for e in spelt)
            errors += spelt if unknown else [best_match(branch)]
        else:
            errors.append(error)
    missing = {(tuple(e.absolute_path), _missing(e)) for e in errors if e.validator == "required"}
    problems, told = [], set()
    for error in errors:
        where = tuple(error.absolute_path)
        if error.validator != "additionalProperties":
            continue
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        absent = [field for path, field in missing if path == where]
        for key in sorted(set(error.instance) - set(known)) if isinstance(error.instance, dict) else []:
            message = unknown_field(str(key), known, absent)
            if (meant := closest(str(key), known)) in absent:
                told.add((where, str(meant)))
            prefix = f"{'.'.join(str(p) for p in where)}: " if where else ""
            line, column = ann.located.where_key((*where, key))
            problems.append(Problem(ann.path, line, column, prefix + message, "schema"))
    for error in errors:
        if error.validator == "additionalProperties":
            continue
        if error.validator == "required" and (tuple(error.absolute_path), _missing(error)) in told:
            continue
        problems.append(ann.problem(tuple(error.absolute_path), _describe(error), "schema"))
    return problems


def _missing(error: ValidationError) -> str:
    """The field a ``required`` error says is missing."""
    return str(error.message).split("'")[1]


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
    sorted_by_kind = any((folder / name).is_dir() for name in FOLDERS.values())
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
            misplaced = wrong_folder(ann.kind, prefix, parts, sorted_by_kind)
            if misplaced:  # told, but still read: the rest of its checks are not held back
                problems.append(ann.problem(("kind",), misplaced, "schema"))
    seen: dict[str, Annotation] = {}
    for ann in annotations:
        if ann.id in seen:
            problems.append(ann.problem(("id",), f"id '{ann.id}' is also used by {seen[ann.id].path}", "schema"))
        seen.setdefault(ann.id, ann)
    return annotations, problems


def wrong_folder(kind: str, prefix: str, parts: tuple[str, ...], sorted_by_kind: bool) -> str:
    """Why an annotation of ``kind`` at ``parts`` below the folder ``prefix`` is in the wrong
    folder ("" if it is not): each kind has its folder (``FOLDERS``). A folder not sorted
    by kind (no kind's folder in it, as in small test projects) may hold its files anywhere."""
    expected = FOLDERS.get(kind)
    if expected is None or not sorted_by_kind or (len(parts) > 1 and parts[0] == expected):
        return ""
    top = () if prefix == "." else (prefix,)
    here, there = "/".join((*top, *parts[:-1])) or ".", "/".join((*top, expected))
    name = NAMES[kind].split(" ", 1)[1]
    return f"this file is a {name} (kind: {kind}), which belongs in {there}/, not {here}/: move it there"


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
