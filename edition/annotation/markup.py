"""The safe MyST subset of annotation bodies, checked before anything is parsed for real.

Allowed: paragraphs, emphasis, strong, inline code, lists, block quotes, links with a
safe destination (a bare http or https address is a link too), and the roles ``{cite}``,
``{cite:p}``, ``{cite:t}``, ``{para}`` and ``{ann}``. Refused: raw HTML, directives
(``raw``, ``include``, ``eval-rst`` …), other roles, images, targets, headings, tables, and
links whose scheme is not http, https or mailto, however the scheme is disguised
(entities, percent-encoding, case, white space).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from myst_parser.config.main import MdParserConfig
from myst_parser.parsers.mdit import create_md_parser

ALLOWED_ROLES = {"cite", "cite:p", "cite:t", "para", "ann"}
SAFE_SCHEMES = {"http", "https", "mailto"}
_ALLOWED_TOKENS = {
    "paragraph_open", "paragraph_close", "inline", "text", "softbreak", "hardbreak",
    "em_open", "em_close", "strong_open", "strong_close", "code_inline",
    "bullet_list_open", "bullet_list_close", "ordered_list_open", "ordered_list_close",
    "list_item_open", "list_item_close", "blockquote_open", "blockquote_close",
    "link_open", "link_close", "myst_role",
}  # fmt: skip
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_PARSER = create_md_parser(MdParserConfig(), RendererHTML)
# A bare address becomes a link, so a basis that names its sources by URL can be followed;
# only a written-out http(s) address, nothing guessed from "www." or a domain name alone.
# Such an address holds "://", and a text without it gets the same tokens from the plain
# parser, a third faster.
_LINKING = create_md_parser(MdParserConfig(enable_extensions={"linkify"}), RendererHTML)
_LINKIFY = _LINKING.linkify
assert _LINKIFY is not None  # the "linkify" extension above made it
for _schema in ("ftp:", "//", "mailto:"):
    _LINKIFY.add(_schema, None)
_LINKIFY.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
# markdown-it quietly turns a javascript: link into text; we want to see it, and say so.
_PARSER.validateLink = _LINKING.validateLink = lambda url: True  # type: ignore[method-assign]


@dataclass(frozen=True)
class BodyProblem:
    line: int  # 0-based line within the body
    message: str
    snippet: str = ""  # the words at fault as written, to find their column in the file


@dataclass(frozen=True)
class BodyRef:
    line: int
    kind: str  # cite | para | ann
    target: str


_TAG_LIKE = re.compile(r"<\s*/?\s*[A-Za-z!?]")
_TAG_NAME = re.compile(r"<\s*([A-Za-z][A-Za-z0-9-]*)")


def looks_like_markup(text: str) -> bool:
    """True if ``text`` holds something shaped like an HTML tag (``<b``, ``</x``, ``<!--``)."""
    return bool(_TAG_LIKE.search(text))


def link_is_safe(href: str) -> bool:
    """True for http(s), mailto and relative links; false for any other scheme, disguised or not."""
    value = html.unescape(href)
    for _ in range(3):  # undo nested percent-encoding
        value = unquote(value)
    value = "".join(ch for ch in value if not unicodedata.category(ch).startswith(("C", "Z")))
    match = _SCHEME.match(value)
    if match is None:
        return not value.startswith("//") and not value.startswith("\\\\")
    return match.group(1).lower() in SAFE_SCHEMES


def unsafe_links(text: str) -> list[str]:
    """The destinations of links in ``text``, read as MyST, that :func:`link_is_safe` refuses:
    a plain-text field shows them as words, but an export written as Markdown would not."""
    found: list[str] = []

    def visit(tokens: tuple[Token, ...] | list[Token]) -> None:
        for token in tokens:
            if token.type in ("link_open", "image"):
                href = str(token.attrGet("href") or token.attrGet("src") or "")
                if not link_is_safe(href):
                    found.append(href)
            if token.children:
                visit(token.children)

    visit(parse_body(text))
    return found


# sphinxcontrib-bibtex's grammar of a {cite} role's content (citation_target.py, version 2.6 on):
# keys separated by commas, each with an optional {pre} and {post} text. Written out here, so
# that reading an annotation loads no Sphinx; tests/test_validation.py checks the two agree.
_CITATION_TARGET = re.compile(r"\s*([{](?P<pre>[^{}]+)[}])?\s*(?P<key>[^{}\s,]+)\s*([{](?P<post>[^{}]+)[}])?\s*")


def citation_keys(content: str) -> list[str]:
    """The keys of a ``{cite}`` role's content, as sphinxcontrib-bibtex reads them; ValueError
    for what it cannot parse (which would stop its build)."""
    keys, at = [], 0
    while True:
        match = _CITATION_TARGET.match(content, at)
        if match is None:
            raise ValueError(f"malformed citation target: {content}")
        keys.append(match.group("key"))
        at = match.end()
        if at == len(content):
            return keys
        if content[at] != ",":
            raise ValueError(f"malformed citation target: {content}")
        at += 1


def citation_problem(role: str, content: str) -> str:
    """Why the content of a ``{cite…}`` role is not a list of keys ("" if it is, or if the
    role cites nothing): sphinxcontrib-bibtex stops the build on what it cannot parse."""
    if role.split(":")[0] not in ("cite", "footcite"):
        return ""
    try:
        citation_keys(content)
    except ValueError:
        return f"{{{role}}}`{content[:40]}` is not a list of bibliography keys separated by commas"
    return ""


def cited_keys(role: str, content: str) -> list[str]:
    """The keys a role names: for ``{cite…}`` as sphinxcontrib-bibtex reads them, else the
    comma-separated words."""
    if role.split(":")[0] in ("cite", "footcite"):
        return citation_keys(content)
    return [key.strip() for key in content.split(",")]


LOCAL_PARAGRAPH = re.compile(r"^(?:[\w./-]*\.html)?#(p[1-9][0-9]*[a-z]?)$")


@lru_cache(maxsize=65536)  # parsed once: checked at load, by check and by the report, then rendered
def parse_body(text: str) -> tuple[Token, ...]:
    """The markdown-it block tokens of ``text`` (shared: never change them)."""
    return tuple((_LINKING if "://" in text else _PARSER).parse(text))


@lru_cache(maxsize=65536)
def check_body(text: str) -> tuple[tuple[BodyProblem, ...], tuple[BodyRef, ...]]:
    """Every construct in ``text`` outside the safe subset, and every reference it makes."""
    problems: list[BodyProblem] = []
    refs: list[BodyRef] = []
    opened: set[str] = set()  # the HTML elements already reported: their closing tags are not told again

    def visit(tokens: list[Token], line: int) -> None:
        for token in tokens:
            here = token.map[0] if token.map else line
            line = here
            if token.type in ("html_block", "html_inline"):
                problems.extend(html_problems(token.content, here, opened))
            elif token.type not in _ALLOWED_TOKENS:
                if not token.type.endswith("_close"):
                    problems.append(BodyProblem(here, _explain(token)))
            elif token.type == "myst_role" and token.meta.get("name") not in ALLOWED_ROLES:
                name = token.meta.get("name")
                problems.append(
                    BodyProblem(here, f"the role {{{name}}} is not allowed; use {', '.join(sorted(ALLOWED_ROLES))}")
                )
            elif token.type == "text" and (tag := _TAG_LIKE.search(token.content)):
                message = "text that looks like an HTML tag is not allowed; write it as words"
                opened.update(name.lower() for name in _TAG_NAME.findall(token.content))  # its closing tag is not told
                problems.append(BodyProblem(here, message, token.content[tag.start() : tag.end() + 12].split("\n")[0]))
            elif token.type == "myst_role" and (
                problem := citation_problem(str(token.meta.get("name")), token.content)
            ):
                problems.append(BodyProblem(here, problem))
            elif token.type == "myst_role":
                name = str(token.meta.get("name"))
                for key in cited_keys(name, token.content):
                    refs.append(BodyRef(here, name.split(":")[0], key))
            elif token.type == "link_open":
                href = str(token.attrGet("href") or "")
                local = LOCAL_PARAGRAPH.match(href)
                if not link_is_safe(href):
                    problems.append(
                        BodyProblem(here, "unsafe link: only http, https, mailto and #p12 links are allowed")
                    )
                elif not local and not _SCHEME.match(href.strip()):
                    problems.append(
                        BodyProblem(
                            here,
                            f"the link {href[:60]!r} leads nowhere in the edition: link a paragraph as #p12 "
                            "(or with {para}), anything else by its full http(s) address",
                        )
                    )
                if local:
                    refs.append(BodyRef(here, "para", local.group(1)))
            if token.type in ("softbreak", "hardbreak"):
                line += 1  # inline tokens carry no line of their own: count the breaks
            if token.children:
                visit(token.children, here)

    visit(list(parse_body(text)), 0)
    return tuple(problems), tuple(refs)


_HTML_TAG = re.compile(r"<!--|<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)[^>\n]*>?")


def html_problems(content: str, line: int, opened: set[str]) -> list[BodyProblem]:
    """One problem per HTML tag in ``content`` (raw HTML that starts on the body's 0-based
    ``line``), each on its own line with its words: an element is told once, at its opening
    tag (a closing tag only when its opening was not seen, in ``opened``)."""
    found: list[BodyProblem] = []
    tags = list(_HTML_TAG.finditer(content))
    for match in tags:
        closing, name = match.group(1), (match.group(2) or "").lower()
        if closing and name in opened:
            continue
        opened.add(name)
        shown = "an HTML comment" if not name else f"the HTML tag <{closing}{name}>"
        at = line + content.count("\n", 0, match.start())
        message = f"{shown} is not allowed in an annotation; use MyST emphasis and links"
        found.append(BodyProblem(at, message, match.group()))
    if not tags:  # "<?…", "<![CDATA[…": raw HTML all the same
        message = "raw HTML is not allowed in an annotation; use MyST emphasis and links"
        found.append(BodyProblem(line, message, content.strip().split("\n")[0][:10]))
    return found


def _explain(token: Token) -> str:
    kind = token.type
    if kind == "fence" and token.info.strip().startswith("{"):
        return f"the directive {token.info.strip().split()[0]} is not allowed in an annotation"
    if kind == "image":
        return "images are not allowed in an annotation"
    if kind == "heading_open":
        return "headings are not allowed in an annotation"
    return f"'{kind.replace('_open', '')}' is not allowed in an annotation body"
