"""The site's pages (``docs/*.md``) as untrusted input: what a page may not do.

A pull request can change a page as easily as an annotation. A page may not read a file
(``include``, ``literalinclude``, ``raw``, ``csv-table`` with ``:file:`` or ``:url:``, the
same in ``{eval-rst}``), show an image or offer a download from outside ``docs/`` or from
another site, hold raw HTML, link or list in its table of contents anything but http(s),
mailto and the site's own pages, set ``http-equiv`` meta tags (a refresh sends the reader
elsewhere) or MyST settings of its own, give ``{anchor}`` or ``{retired-anchor}`` anything
but a paragraph id, or hold control characters. Its file name is plain (letters, digits,
``-`` and ``_``), because themes write it into script. Each problem has a line and column;
the Sphinx glue refuses the same things while building (:mod:`edition.sphinxext.confine`,
:mod:`edition.sphinxext.sanitise`), and the final pages are checked again (:mod:`edition.checks.output`).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

from ..annotation.markup import citation_problem, link_is_safe
from ..core.ledger import ID_SHAPE
from ..core.safeyaml import REFUSED_CHARACTERS, YamlProblem, character_message, load_trusted, place

_NO_HTTP_EQUIV = "a page may not set http-equiv meta tags (a refresh sends readers elsewhere)"
REFUSED_DIRECTIVES = {"include", "literalinclude", "raw"}
"""Directives that put a file (or raw markup) on the page: refused in every page."""
FILE_OPTIONS = {"file", "url"}
"""Options by which ``csv-table`` (and ``raw``) read a file or fetch an address."""
PAGE_NAME = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")
_RST_DIRECTIVE = re.compile(r"^\s*\.\.\s+([A-Za-z][\w:-]*)::(.*)$")
_OPTION = re.compile(r"^\s*:([\w-]+)(?:[^:]*)?:\s*(.*)$")
_TOCTREE_ENTRY = re.compile(r"^(?:.*?<(?P<target>[^<>]+)>|(?P<bare>\S+))\s*$")
_ROLE_TARGET = re.compile(r"^(?:.*?<(?P<target>[^<>]+)>|(?P<bare>.+))$", re.DOTALL)


Report = Callable[..., None]
"""Record a problem: (0-based line, words to find its column by, message[, its column if known])."""


@dataclass(frozen=True)
class PageProblem:
    line: int
    column: int
    message: str


@cache
def _parser() -> MarkdownIt:
    parser = create_md_parser(MdParserConfig(), RendererHTML)
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link, to judge it
    return parser


RESERVED = ("p/", "downloads/")
"""Folders of the site the exports write into (share pages, downloads)."""


def page_name_problem(docname: str) -> str:
    """Why ``docname`` (the path below docs/ without ``.md``) cannot be a page's name ("" if it can)."""
    if not PAGE_NAME.match(docname):
        return f"the page name {docname!r} may hold only letters, digits, '-' and '_' (themes write it into script)"
    if docname.startswith(RESERVED):
        return f"the page name {docname!r} is taken: the site's share pages and downloads are written there"
    return ""


def check_page(text: str, docname: str) -> list[PageProblem]:
    """Every problem of the page ``docname`` (its path below docs/, without ``.md``)."""
    lines = text.splitlines()
    problems: list[PageProblem] = []

    def at(line: int, needle: str, message: str, column: int = 0) -> None:
        found = _find(lines, line, needle)
        problems.append(PageProblem(found[0], column or found[1], message))

    refused = REFUSED_CHARACTERS.search(text)
    if refused:
        return [PageProblem(*place(text, refused.start()), character_message(refused.group()))]
    for token, line in _tokens(_parser().parse(text)):
        if token.type == "front_matter":
            _front_matter(token.content, line, at)
        elif token.type == "fence" and token.info.strip().startswith("{"):
            _directive(token, line, docname, at)
        elif token.type in ("html_block", "html_inline"):
            at(line, token.content.strip()[:10], "raw HTML is not allowed in a page; write MyST")
        elif token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not link_is_safe(href):
                at(line, href, f"unsafe link {href[:60]!r}: only http, https, mailto and the site's own pages")
        elif token.type == "image":
            _file(str(token.attrGet("src") or ""), "image", line, docname, at)
        elif token.type == "myst_role":
            _role(str(token.meta.get("name", "")), token.content, line, docname, at)
    return sorted(problems, key=lambda p: (p.line, p.column))


def _tokens(tokens: list[Token], line: int = 0) -> Iterator[tuple[Token, int]]:
    for token in tokens:
        here = token.map[0] if token.map else line
        yield token, here
        if token.children:
            yield from _tokens(token.children, here)


def _find(lines: list[str], line: int, needle: str) -> tuple[int, int]:
    """The 1-based line and column of ``needle`` at or just below the 0-based ``line``
    (tokens know their lines, not their columns)."""
    for index in range(line, min(line + 50, len(lines))):
        found = lines[index].find(needle) if needle else -1
        if found != -1:
            return index + 1, found + 1
    return line + 1, 1


def _front_matter(content: str, line: int, at: Report) -> None:
    try:
        data = load_trusted(content)
    except YamlProblem as problem:  # its line counts from the first line after "---"
        at(line + problem.line, "", f"front matter: {problem.message}", problem.column)
        return
    if not isinstance(data, dict):
        return
    if "myst" in data:
        at(line, "myst", "a page may not change MyST's settings (conf.py sets them for every page)")
    meta = data.get("html_meta")
    if isinstance(meta, dict):
        for key in meta:
            if "http-equiv" in str(key).lower():
                at(line, str(key), f"html_meta may not set {key!r}: a page sets no http-equiv meta (refresh, cookies)")


def _options(body: str) -> Iterator[tuple[int, str, str]]:
    for offset, text in enumerate(body.splitlines()):
        match = _OPTION.match(text)
        if match:
            yield offset, match.group(1), match.group(2).strip()
        elif text.strip():
            return


def _directive(token: Token, line: int, docname: str, at: Report) -> None:
    info = token.info.strip()
    name = info[1:].split("}", 1)[0].strip()
    argument = info.split("}", 1)[1].strip() if "}" in info else ""
    body = token.content
    if name in REFUSED_DIRECTIVES:
        at(line, name, f"the directive {{{name}}} is not allowed in a page: pages insert no files and no raw markup")
    for offset, option, value in _options(body):
        if option in FILE_OPTIONS:
            at(line + 1 + offset, f":{option}:", f"{{{name}}} may not read a file or an address (:{option}:)")
        if name == "meta" and option.lower().startswith("http-equiv"):
            at(line + 1 + offset, option, _NO_HTTP_EQUIV)
        if name == "retired-anchor" and option == "successor" and not ID_SHAPE.match(value):
            at(line + 1 + offset, value, f"{{retired-anchor}} :successor: {value[:40]!r} is not a paragraph id")
    if name == "retired-anchor" and not ID_SHAPE.match(argument):
        at(line, argument, f"{{retired-anchor}} {argument[:40]!r} is not a paragraph id (p7, p7a)")
    if name in ("image", "figure"):
        _file(argument, name, line, docname, at)
    if name == "toctree":
        for offset, entry in enumerate(body.splitlines()):
            match = _TOCTREE_ENTRY.match(entry.strip())
            if entry.strip() and not entry.strip().startswith(":") and match:
                target = match.group("target") or match.group("bare") or ""
                if ":" in target and not (link_is_safe(target) and _is_web_address(target)):
                    at(
                        line + 1 + offset,
                        target,
                        f"a table of contents lists pages or http(s) addresses, not {target[:60]!r}",
                    )
    if name == "eval-rst":
        for offset, text in enumerate(body.splitlines()):
            match = _RST_DIRECTIVE.match(text)
            rst = match.group(1) if match else ""
            if rst in REFUSED_DIRECTIVES:
                at(line + 1 + offset, rst, f"the directive {rst} is not allowed in a page: pages insert no files")
            elif "http-equiv" in text.lower():
                at(
                    line + 1 + offset,
                    "http-equiv",
                    _NO_HTTP_EQUIV,
                )
            elif match and rst in ("image", "figure"):
                _file(match.group(2).strip(), rst, line + 1 + offset, docname, at)
            given = _OPTION.match(text)
            if given and given.group(1) in FILE_OPTIONS:
                name = given.group(1)
                at(line + 1 + offset, name, f"a directive may not read a file or an address (:{name}:)")
            if re.search(r"role::.*\(raw\)", text):
                at(line + 1 + offset, "raw", "a role made from raw is not allowed in a page")


def _role(name: str, content: str, line: int, docname: str, at: Report) -> None:
    if problem := citation_problem(name, content):
        at(line, content, problem)
    if name == "anchor" and not ID_SHAPE.match(content.strip()):
        at(line, content, f"{{anchor}} {content[:40]!r} is not a paragraph id (p7, p7a)")
    if name == "download":
        match = _ROLE_TARGET.match(content.strip())
        target = (match.group("target") or match.group("bare") or "") if match else content
        if not _is_web_address(target):
            _file(target, "download", line, docname, at)
    if name in ("raw", "raw-html", "raw-latex"):
        at(line, name, f"the role {{{name}}} is not allowed in a page")


def _is_web_address(value: str) -> bool:
    return value.strip().lower().startswith(("http://", "https://"))


def outside_docs(target: str, docname: str) -> str:
    """Why a page may not show or offer the file ``target`` ("" if it may): it must be a
    file in docs/, named relative to the page (or to docs/ with a leading ``/``)."""
    target = target.strip()
    if not target:
        return ""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("//"):
        return "a page shows and offers only files in docs/, not from another site or a data: address"
    folder = posixpath.dirname(docname)
    joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    normal = posixpath.normpath(joined)
    if normal == ".." or normal.startswith("../") or "\\" in target:
        return "a page shows and offers only files in docs/"
    return ""


def _file(target: str, what: str, line: int, docname: str, at: Report) -> None:
    why = outside_docs(target, docname)
    if why:
        at(line, target, f"{what} {target[:60]!r}: {why}")
