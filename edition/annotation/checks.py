"""The checks against the text a schema cannot make: does each target exist and do its words
stand there once (exactly, or nearly with a ``fuzzy`` warning), do its references resolve, is
every field safe, and does no annotation duplicate another (:func:`duplicates`)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from ..core.anchoring import context_misses, locate, split_part_holding
from ..core.textnorm import normalise
from .markup import looks_like_markup, unsafe_links
from .model import Annotation, Problem
from .targets import TextModel


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
        lines = ann.located.text.splitlines()
        last: dict[str, tuple[int, int]] = {}  # where each snippet was last found: the next is after it
        for bp in body_problems:
            at = line + bp.line
            place = (at, ann.located.indent(at) if bp.line else column)
            if bp.snippet and (found := find_words(lines, bp.snippet, at, last.get(bp.snippet))):
                place = last[bp.snippet] = found
            problems.append(Problem(ann.path, *place, f"{name}: {bp.message}", "unsafe"))
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


def find_words(lines: list[str], words: str, line: int, after: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """Where ``words`` are written (1-based line and column) at or below ``line`` of ``lines``
    and past ``after`` (the place of the same words found before); None if not within a few
    lines (a folded value does not keep its lines)."""
    start_line, start_column = max((line, 0), (after or (0, 0)))
    for number in range(start_line, min(start_line + 20, len(lines) + 1)):
        found = lines[number - 1].find(words, start_column if number == start_line else 0)
        if found != -1:
            return number, found + 1
    return None


Span = tuple[str, int, int]  # paragraph, start, end: the words an annotation marks


def marked_words(ann: Annotation, text: TextModel) -> Span | None:
    """Where the words ``ann`` marks stand, if it attaches to one place (exactly or nearly)."""
    where = text.resolve(ann.paragraph or "")
    if where is None or ann.data.get("orphan"):
        return None
    hits = locate(text.paragraphs[where], ann.quote)
    return (where, hits[0].start, hits[0].end) if len(hits) == 1 else None


def _plain(value: Any) -> str:
    return normalise(str(value or "")).casefold()


def says_the_same(kind: str, one: dict[str, Any], other: dict[str, Any], same_words: bool) -> bool:
    """Two annotations of ``kind`` on the same or overlapping words say the same: a gloss or an
    emendation on exactly the same words (the page would show two marks for one thing), or a
    gloss with the same headword, an emendation or a variant with the same reading, a
    cross-reference to the same place, a commentary with the same words. Commentaries and
    variants on the same words may differ (two readers' remarks, two sources' readings)."""
    if kind in ("gloss", "emendation") and same_words:
        return True
    field = {"gloss": "headword", "emendation": "reading", "variant": "reading", "commentary": "body"}.get(kind)
    if field:
        return field in one and field in other and _plain(one[field]) == _plain(other[field])
    if kind == "crossref":
        return bool(one.get("refers_to")) and one.get("refers_to") == other.get("refers_to")
    return False


SAID_BY = {  # what two annotations of a kind say the same by, for the message
    "gloss": "headword",
    "emendation": "reading",
    "variant": "reading",
    "crossref": "target",
    "commentary": "text",
}


def duplicate_message(kind: str, existing: Annotation, same_words: bool, published: bool = False) -> str:
    """What a duplicate of ``existing`` is told (by ``check`` and by ``new``); ``published``
    if ``existing`` is in the published edition."""
    said = f" ('{existing.data['headword']}')" if kind == "gloss" and existing.data.get("headword") else ""
    if same_words and kind in ("gloss", "emendation"):
        what = f"{kind} of the same words"
    else:
        what = f"{kind} on {'the same' if same_words else 'overlapping'} words with the same {SAID_BY[kind]}"
    which = "the published " if published else ""
    return f"duplicates {which}{existing.path}{said}, a {what}: add to that annotation, or annotate other words"


def on_the_same_words(
    kind: str, data: dict[str, Any], span: Span, annotations: list[Annotation], text: TextModel
) -> list[tuple[Annotation, bool, bool]]:
    """The annotations of ``kind`` on words overlapping ``span``, each with whether it is on the
    same words and whether it says the same as ``data`` (what ``new`` tells a contributor)."""
    found = []
    paragraph, start, end = span
    for ann in annotations:
        if ann.kind != kind or not ann.paragraph or text.resolve(ann.paragraph) != paragraph:
            continue
        other = marked_words(ann, text)
        if other is not None and start < other[2] and other[1] < end:
            same = (start, end) == other[1:]
            found.append((ann, same, says_the_same(kind, data, ann.data, same)))
    return found


def established_first(annotations: list[Annotation], published: Collection[str] | None) -> list[Annotation]:
    """``annotations`` with the established before the newcomers: the files in the published
    edition (``published``, their paths; None where git cannot say) first, then by id, word
    by word (``gloss-mises`` before ``gloss-mises-b`` and ``gloss-zz-mises``): never by the
    sorting of file names, where ``-`` comes before ``.``."""
    shipped = published or set()
    return sorted(annotations, key=lambda ann: (ann.path not in shipped, ann.id.split("-"), ann.path))


Published = Callable[[], Collection[str] | None]
"""Asked only when two annotations may be duplicates: the files of the published edition (their
paths; None where git cannot say), so that git runs only then, not at every check and build."""


def duplicates(annotations: list[Annotation], text: TextModel, published: Published | None = None) -> list[Problem]:
    """Every annotation that duplicates an established one (:func:`established_first`): the
    same kind on the same or overlapping words of a paragraph saying the same
    (:func:`says_the_same`), or a second expansion of the same note. The message is the
    newcomer's and names the established file. Words are found only where two annotations of
    a kind share a paragraph, so the cost stays that of the annotations that do."""
    expansions: dict[int, list[Annotation]] = {}
    groups: dict[tuple[str, str], list[Annotation]] = {}
    for ann in annotations:
        if ann.kind == "note" and ann.note is not None:
            expansions.setdefault(ann.note, []).append(ann)
        elif ann.paragraph and (where := text.resolve(ann.paragraph)) is not None:
            groups.setdefault((ann.kind, where), []).append(ann)
    shared = [group for group in (*expansions.values(), *groups.values()) if len(group) > 1]
    if not shared:
        return []
    shipped = (published() if published else None) or set()
    problems: list[Problem] = []
    for unordered in shared:
        group = established_first(unordered, shipped)
        first, others = group[0], group[1:]
        if first.kind == "note":
            which = "the published " if first.path in shipped else ""
            for ann in others:
                message = f"note {ann.note} is already expanded by {which}{first.path}"
                problems.append(ann.problem(("target", "note"), message, "duplicate"))
            continue
        placed = [(ann, span) for ann in group if (span := marked_words(ann, text)) is not None]
        for index, (ann, (_, start, end)) in enumerate(placed):
            for earlier, (_, other_start, other_end) in placed[:index]:
                same = (start, end) == (other_start, other_end)
                if start < other_end and other_start < end and says_the_same(first.kind, ann.data, earlier.data, same):
                    message = duplicate_message(first.kind, earlier, same, earlier.path in shipped)
                    problems.append(ann.problem(("target", "quote"), message, "duplicate"))
                    break
    return problems


def check_all(
    annotations: list[Annotation],
    text: TextModel,
    bib_keys: set[str] | None,
    published: Published | None = None,
) -> list[Problem]:
    """Every check of this module; ``published`` (:data:`Published`) decides which of two
    duplicates is told."""
    ids = {a.id for a in annotations}
    problems: list[Problem] = []
    for ann in annotations:
        problems += check_target(ann, text)
        problems += check_references(ann, text, bib_keys, ids)
    return problems + duplicates(annotations, text, published)
