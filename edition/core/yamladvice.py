"""Plain advice for the YAML parser's errors, for every YAML file a pull request can change.

The parser says what it could not read ("mapping values are not allowed in this context");
a contributor needs to know what they wrote and how to write it. :func:`advise` maps the
parser's words (libyaml's, and the pure-Python parser's where they differ) to a sentence
that says what to fix, and says which of the parser's two places to show: where the
problem was found, or where the construct it broke began (an unclosed quote is shown
where it opens, a line without a colon where that line starts).
"""

from __future__ import annotations

from typing import NamedTuple


class Advice(NamedTuple):
    text: str
    at_start: bool = False  # show the place where the broken construct began (the parser's context mark)
    at_tab: bool = False  # show the tab that breaks the line (see tab_column)


QUOTE_HOW = 'put the whole value in quotes, as in  quote: "…"'
MISALIGNED = Advice(
    "a line is indented otherwise than the fields beside it (align it with them), "
    "or text follows a closing quotation mark: put the whole value in the quotes",
)

# (words of the parser's problem, advice); the first that the problem contains applies.
ADVICE: tuple[tuple[str, Advice], ...] = (
    (
        "could not find expected ':'",
        Advice(
            "this line is not 'field: value': add the colon, or, if it continues the value above, "
            "indent it under that value (or quote the value)",
            at_start=True,
        ),
    ),
    ("did not find expected key", MISALIGNED),
    ("expected <block end>", MISALIGNED),
    (
        "found unexpected end of stream",
        Advice("a quotation mark opens here and is never closed: close it at the end of the value", at_start=True),
    ),
    (
        "unknown escape character",
        Advice(
            "a backslash inside double quotes starts an escape: write \\\\ for a backslash, or use single quotes ('…')"
        ),
    ),
    (
        "block sequence entries are not allowed",
        Advice("a list cannot begin on its field's line: put each '- item' on a line of its own below, indented"),
    ),
    ("expected '-' indicator", Advice("the items of a list must line up: start each with '- ' at the same column")),
    (
        "expected ',' or '}'",
        Advice("a value that begins with '{' is read as a mapping, and this one is not closed: " + QUOTE_HOW),
    ),
    (
        "expected ',' or ']'",
        Advice("a value that begins with '[' is read as a list, and this one is not closed: " + QUOTE_HOW),
    ),
    ("found undefined alias", Advice("a value that begins with '*' is read as an alias: " + QUOTE_HOW)),
    (
        "non-alphabetical character",
        Advice("a line may not begin with '%' (YAML reads it as a directive): remove it, or " + QUOTE_HOW),
    ),
    (
        "expected comment or line break",
        Advice("nothing may follow '|' or '>' on its line: begin the text on the next line, indented"),
    ),
    (
        "expected node content",
        Advice("a value is missing here, or begins with a character YAML reserves: " + QUOTE_HOW),
    ),
)


def advise(problem: str, line: str, column: int) -> Advice | None:
    """What to fix, for the parser's ``problem`` found at ``column`` (1-based) of ``line``
    (None if the problem is not one the table knows)."""
    char = line[column - 1] if 0 < column <= len(line) else ""
    if char == "\t" or "tab character" in problem:
        return Advice(
            "a tab was found here: indent with spaces only (YAML does not allow tabs in indentation)", at_tab=True
        )
    if "cannot start any token" in problem:
        shown = f"'{char}'" if char.strip() else "this character"
        return Advice(f"a value cannot begin with {shown}: {QUOTE_HOW}")
    if "mapping values are not allowed" in problem:
        if ": " in line[: column - 1] or line[: column - 1].rstrip().endswith(":"):  # a field already began here
            return Advice(f"this value holds ': ', which YAML reads as a new field: {QUOTE_HOW}")
        return Advice("this line is indented more than the line before it: align it with the fields beside it")
    for words, advice in ADVICE:
        if words in problem:
            return advice
    return None


def tab_column(line: str, column: int) -> int:
    """The column (1-based) of the tab that breaks ``line``: the first in its indentation,
    else the first at or after ``column``, else ``column``."""
    indentation = line[: len(line) - len(line.lstrip(" \t"))]
    if "\t" in indentation:
        return indentation.index("\t") + 1
    found = line.find("\t", max(column - 1, 0))
    return found + 1 if found != -1 else column
