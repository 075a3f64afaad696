"""What must hold before any source is read: the checks ``check``, ``build`` and ``serve``
share, and the extension repeats when Sphinx starts.

A pull request can add a symbolic link as easily as a file, and a link in ``docs/`` or
``source_texts/`` would put a file from outside the repository (``.git/config``,
``/etc/passwd``) on a page or into the text: every link is refused by name and never
followed. The bibliography and the pages are checked here too (:mod:`edition.checks.bibliography`,
:mod:`edition.checks.pages`), so that each problem is reported with its file, line and column
instead of stopping the build with a traceback. A ``docutils.conf`` would change how every
page is read (it can turn file insertion back on), so the settings stay in ``conf.py``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..annotation.model import Problem
from ..core.datafiles import SourceError, bib_size_error
from ..core.safeyaml import YamlProblem, decode
from ..core.walk import files_below
from .bibliography import Bibliography, check_bibliography
from .pages import check_page, page_name_problem

FOLDERS = ("annotations", "docs", "source_texts")
"""The folders a pull request changes; their links are refused (those in annotations/ by the loader)."""
BIBLIOGRAPHY = "bibliography.bib"
STYLE = "plain"  # conf.py's bibtex_default_style
PAGES_SKIPPED = ("_static", "_build")  # conf.py's exclude_patterns: not pages
LINK = "a symbolic link is not allowed here: commit the file itself (links are not followed)"


def links(root: Path) -> list[Problem]:
    """Every symbolic link among the folders a pull request changes (the folders themselves,
    what ``docs/`` and ``source_texts/`` hold, the bibliography), by name."""
    problems = [Problem(name, 1, 1, LINK, "unsafe") for name in (*FOLDERS, BIBLIOGRAPHY) if (root / name).is_symlink()]
    for name in ("docutils.conf", "docs/docutils.conf"):
        if (root / name).is_symlink() or (root / name).exists():
            problems.append(Problem(name, 1, 1, "docutils.conf is not allowed: conf.py holds the settings", "unsafe"))
    for folder in FOLDERS[1:]:
        path = root / folder
        if path.is_dir() and not path.is_symlink():
            for parts, entry in files_below(str(path)):
                if entry.is_symlink():
                    problems.append(Problem("/".join((folder, *parts)), 1, 1, LINK, "unsafe"))
    return problems


def bibliography(root: Path, name: str = BIBLIOGRAPHY, style: str = STYLE) -> tuple[Bibliography, list[Problem]]:
    """The parsed bibliography and its problems (a linked file is not read)."""
    path = root / name
    if not path.is_file() or path.is_symlink():
        return Bibliography(), []
    try:
        bib_size_error(path, root)  # before pybtex reads and formats it all
    except SourceError as error:
        return Bibliography(), [Problem(name, error.line, error.column, error.message, "bibliography")]
    stat = path.stat()
    return _bibliography(str(path), name, style, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)  # check reads it for the keys and for its problems: parse it once
def _bibliography(path: str, name: str, style: str, mtime: int, size: int) -> tuple[Bibliography, list[Problem]]:
    try:
        text = decode(Path(path).read_bytes(), None, "utf-8-sig")  # as sphinxcontrib-bibtex reads it
    except YamlProblem as problem:
        return Bibliography(), [Problem(name, problem.line, problem.column, problem.message, "unsafe")]
    checked = check_bibliography(text, style)
    return checked, [Problem(name, p.line, p.column, p.message, p.type) for p in checked.problems]


def pages(root: Path, folder: str = "docs") -> list[Problem]:
    """The problems of every page (``*.md``) in ``folder``; linked pages are not read."""
    problems: list[Problem] = []
    path = root / folder
    if not path.is_dir() or path.is_symlink():
        return problems
    for parts, entry in files_below(str(path), lambda name: name in PAGES_SKIPPED):
        if not entry.name.endswith(".md") or entry.is_symlink():
            continue
        shown = "/".join((folder, *parts))
        docname = "/".join(parts)[: -len(".md")]
        if why := page_name_problem(docname):
            problems.append(Problem(shown, 1, 1, why, "unsafe"))
        try:
            text = decode(Path(entry.path).read_bytes(), None)
        except YamlProblem as problem:
            problems.append(Problem(shown, problem.line, problem.column, problem.message, "unsafe"))
            continue
        problems += [Problem(shown, p.line, p.column, p.message, "unsafe") for p in check_page(text, docname)]
    return problems


def preflight(root: Path) -> list[Problem]:
    """Links, the bibliography and the pages: every problem, sorted by file and place."""
    return sorted([*links(root), *bibliography(root)[1], *pages(root)])


def blocks_the_text(problems: list[Problem]) -> bool:
    """True if a problem is a link in ``source_texts/``: the text must not be read then."""
    return any(p.path == "source_texts" or p.path.startswith("source_texts/") for p in problems)
