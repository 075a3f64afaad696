"""What a published file may contain: the last line of defence, on the bytes written.

Every file the site publishes is read back after the builders and the exports have
written it, and refused (each finding with its line and column) if it holds anything a
browser or an annotation client would run, or anything that would send the reader
elsewhere or load a file from another site:

- a ``<script>`` that is not one of ours: a script file is ours when it is one of the
  static files the build copied (the theme's, Sphinx's, the extensions', the edition's),
  and an inline script when its code, string literals aside, is a script of the
  templates or of Sphinx's own pages (:class:`Allowed` is derived from them by
  :mod:`edition.sphinxext.output_check`, so an edited template or script needs no list to be kept);
  data blocks (JSON, JSON-LD) must be valid JSON;
- an event-handler attribute (``on…``), an element that runs or embeds another document
  (``iframe``, ``object``, ``embed``, ``base``, SVG animation of links …), CSS that runs
  script, a link, source or form address whose scheme is not http, https or mailto
  (``javascript:``, ``data:``, ``vbscript:``, however disguised), a stylesheet or script
  from another site;
- a ``meta`` refresh, unless the page is a share page that leads to the essay;
- in an XML file (EPUB pages, TEI), anything that is not well-formed;
- in Markdown, raw HTML other than our paragraph anchors, or a link with an unsafe scheme;
  in JSON, an address with an unsafe scheme, or such a link in a Markdown value;
- in any text, a control character.

The module is pure (no Sphinx): it reads strings and returns findings.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree import ElementTree

from markdown_it.token import Token

from ..annotation.markup import link_is_safe, parse_body, unsafe_links
from ..core.safeyaml import REFUSED_CHARACTERS, place


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Allowed:
    """Our own scripts and stylesheets, as the build derives them."""

    files: frozenset[str] = frozenset()
    """Paths (from the site's root, without query) of the static files the build copied."""
    remote: frozenset[str] = frozenset()
    """Addresses of scripts on other sites that the configuration names (MathJax's, say)."""
    inline: tuple[re.Pattern[str], ...] = ()
    """The inline scripts of the templates and of Sphinx's own pages, as :func:`skeleton_pattern`."""
    refresh: Callable[[str], bool] | None = None
    """Where a ``meta`` refresh may lead (share pages only)."""
    json_data: bool = True
    """Inline data blocks (JSON, JSON-LD) allowed, if they are valid JSON."""


NOTHING = Allowed()

# Elements that run or embed another document, or animate an attribute into a link.
FORBIDDEN_ELEMENTS = frozenset(
    [
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "portal",
        "fencedframe",
        "animate",
        "set",
        "animatemotion",
        "animatetransform",
        "handler",
        "listener",
        "foreignobject",
        "import",
    ]
)
URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "background",
        "cite",
        "data",
        "codebase",
        "longdesc",
        "usemap",
        "manifest",
        "ping",
        "lowsrc",
        "dynsrc",
        "icon",
        "xlink:href",
        "archive",
        "profile",
    ]
)
XML_URL_ATTRIBUTES = URL_ATTRIBUTES | {"target", "ref", "facs", "corresp", "url"}
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
DATA_TYPES = frozenset({"application/json", "application/ld+json"})
HARMLESS_HTTP_EQUIV = frozenset({"content-type", "x-ua-compatible", "content-language"})
DANGEROUS_SCHEMES = frozenset({"javascript", "vbscript", "data", "livescript", "jscript", "mocha"})
_CSS_SCRIPT = re.compile(r"javascript:|vbscript:|expression\(|-moz-binding|behavior\s*:|@import", re.IGNORECASE)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


# ---------------------------------------------------------------------------- inline scripts

_JS_STRING = re.compile(r"""'(?:[^'\\\n\r]|\\[^\n\r])*'|"(?:[^"\\\n\r]|\\[^\n\r])*\"""")
_HOLE = "\x00"  # where a template writes a value


def skeleton(code: str) -> str:
    """An inline script's code with every string literal emptied and white space folded:
    what is left is code, which must be ours; what was in the literals is data. The
    literals are found as JavaScript finds them (escapes included), so a value that
    breaks out of its quotes changes the skeleton."""
    return " ".join(_JS_STRING.sub("''", code).split())


def skeleton_pattern(code: str) -> re.Pattern[str]:
    """The skeletons a script of a template can have: its Jinja expressions stand for
    values (inside quotes they are data; outside, a name or a number, never a call), its
    Jinja tags for nothing."""
    code = re.sub(r"\{#.*?#\}|\{%-?.*?-?%\}", "", code, flags=re.DOTALL)
    code = re.sub(r"\{\{.*?\}\}", _HOLE, code, flags=re.DOTALL)
    shape = skeleton(code)
    return re.compile(re.escape(shape).replace(re.escape(_HOLE), r"[\w.$-]*").replace(_HOLE, r"[\w.$-]*"))


_TEMPLATE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)


def template_scripts(template: str) -> list[re.Pattern[str]]:
    """The patterns of the inline scripts in a template's source."""
    return [
        skeleton_pattern(body)
        for attrs, body in _TEMPLATE_SCRIPT.findall(template)
        if "src=" not in attrs.replace(" ", "") and body.strip()
    ]


# ---------------------------------------------------------------------------- addresses


def _squashed(value: str) -> str:
    return "".join(ch for ch in value if ch > " " and ch != "\x7f")


def scheme_danger(value: str) -> str | None:
    """The dangerous scheme ``value`` begins with, however disguised (None if none)."""
    if link_is_safe(value):
        return None
    match = _SCHEME.match(_squashed(value))
    scheme = match.group(1).lower() if match else ""
    return scheme if scheme in DANGEROUS_SCHEMES else None


def _local(url: str) -> bool:
    return not _SCHEME.match(_squashed(url)) and not _squashed(url).startswith(("//", "\\\\", "/\\"))


def site_path(url: str, page: str) -> str:
    """The file (from the site's root) a local ``url`` on ``page`` names, without query or fragment."""
    bare = re.split(r"[?#]", url.strip(), maxsplit=1)[0]
    joined = bare.lstrip("/") if bare.startswith("/") else posixpath.join(posixpath.dirname(page), bare)
    return posixpath.normpath(joined)


# ---------------------------------------------------------------------------- markup


@dataclass
class _Script:
    line: int
    column: int
    kind: str  # data | code
    src: str | None
    text: list[str] = field(default_factory=list)


class _Markup(HTMLParser):
    def __init__(self, page: str, allowed: Allowed, xml: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.allowed, self.xml = page, allowed, xml
        self.findings: list[Finding] = []
        self.script: _Script | None = None
        self.style: tuple[int, int] | None = None
        self.style_text: list[str] = []

    def found(self, message: str, where: tuple[int, int] | None = None) -> None:
        line, column = where or self.getpos()
        self.findings.append(Finding(line, column + 1, message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag.lower(), {name.lower(): value or "" for name, value in attrs})

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag.lower(), {name.lower(): value or "" for name, value in attrs}, empty=True)

    def _element(self, tag: str, attrs: dict[str, str], empty: bool = False) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local in FORBIDDEN_ELEMENTS:
            self.found(f"the element <{tag}> is not allowed: it runs or embeds another document")
        urls = XML_URL_ATTRIBUTES if self.xml else URL_ATTRIBUTES
        for name, value in attrs.items():
            bare = name.rsplit(":", 1)[-1] if name != "xlink:href" else name
            if bare.startswith("on"):
                self.found(f"the event-handler attribute {name}= is not allowed on <{tag}>")
            elif (name in urls or bare in urls) and not link_is_safe(value):
                self.found(f"<{tag} {name}={value[:60]!r}>: only http, https, mailto and relative addresses")
            elif name in SRCSET_ATTRIBUTES and any(
                not link_is_safe(p.split()[0]) for p in value.split(",") if p.split()
            ):
                self.found(f"<{tag} {name}=…>: only http, https and relative addresses")
            elif name == "style" and _CSS_SCRIPT.search(_squashed(value)):
                self.found(f"<{tag} style=…> holds CSS that runs script or loads a file")
        if local == "meta":
            self._meta(attrs)
        elif local == "link":
            self._link(attrs)
        elif local == "script":
            self._script_start(tag, attrs, empty)
        elif local == "style" and not empty:
            self.style, self.style_text = self.getpos(), []

    def _meta(self, attrs: dict[str, str]) -> None:
        equiv = attrs.get("http-equiv", "").strip().lower()
        if equiv == "refresh":
            target = re.sub(r"^\s*\d*\s*;?\s*(url\s*=\s*)?", "", attrs.get("content", ""), flags=re.IGNORECASE)
            target = target.strip().strip("'\"")
            if self.allowed.refresh is None or not self.allowed.refresh(target):
                self.found(f"a meta refresh (to {target[:60]!r}) is not allowed: it sends the reader elsewhere")
        elif equiv and equiv not in HARMLESS_HTTP_EQUIV:
            self.found(f"<meta http-equiv={equiv!r}> is not allowed")

    def _link(self, attrs: dict[str, str]) -> None:
        rel = set(attrs.get("rel", "").lower().split())
        href = attrs.get("href", "")
        if rel & {"stylesheet", "preload", "modulepreload", "prefetch", "import", "manifest"}:
            if not _local(href):
                self.found(f"<link rel={' '.join(sorted(rel))!r}> loads {href[:60]!r} from another site")
            elif site_path(href, self.page) not in self.allowed.files:
                self.found(f"<link rel={' '.join(sorted(rel))!r}> loads {href[:60]!r}, which is not one of our files")

    def _script_start(self, tag: str, attrs: dict[str, str], empty: bool) -> None:
        kind_of = attrs.get("type", "").split(";")[0].strip().lower()
        kind = "data" if kind_of in DATA_TYPES and self.allowed.json_data else "code"
        line, column = self.getpos()
        script = _Script(line, column, kind, attrs.get("src"))
        if script.src is not None:
            src = script.src
            ours = src in self.allowed.remote or (_local(src) and site_path(src, self.page) in self.allowed.files)
            if not ours:
                self.found(f"<script src={src[:60]!r}> is not one of our scripts")
        if empty:
            self._script_end(script)
        else:
            self.script = script

    def _script_end(self, script: _Script) -> None:
        text = "".join(script.text)
        where = (script.line, script.column)
        if script.src is not None:
            if text.strip():
                self.found("a <script> with a src may hold no code", where)
        elif script.kind == "data":
            try:
                json.loads(text)
            except ValueError:
                self.found("a JSON data block that is not valid JSON", where)
        elif not any(pattern.fullmatch(skeleton(text)) for pattern in self.allowed.inline):
            self.found(f"an inline script that is not one of ours: {' '.join(text.split())[:80]!r}", where)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.text.append(data)
        elif self.style is not None:
            self.style_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        local = tag.lower().rsplit(":", 1)[-1]
        if local == "script" and self.script is not None:
            self._script_end(self.script)
            self.script = None
        elif local == "style" and self.style is not None:
            if _CSS_SCRIPT.search(_squashed("".join(self.style_text))):
                self.found("a <style> that runs script or loads a file", self.style)
            self.style = None

    def close(self) -> None:
        super().close()
        if self.script is not None:  # never closed: everything after it would be script
            self.found("a <script> that is never closed", (self.script.line, self.script.column))


def _characters(text: str) -> list[Finding]:
    found = REFUSED_CHARACTERS.search(text)
    if not found:
        return []
    return [Finding(*place(text, found.start()), f"the control character U+{ord(found.group()):04X}")]


def check_markup(text: str, page: str = "", allowed: Allowed = NOTHING, xml: bool = False) -> list[Finding]:
    """Every finding in an HTML, XHTML, SVG or XML file at ``page`` (its path from the site's root)."""
    findings = _characters(text)
    if xml:
        try:
            ElementTree.fromstring(text.encode("utf-8"))
        except ElementTree.ParseError as error:
            line, column = error.position
            findings.append(Finding(line, column + 1, f"not well-formed XML: {error}"))
    parser = _Markup(page, allowed, xml)
    parser.feed(text)
    parser.close()
    return sorted(findings + parser.findings)


def check_search_index(text: str) -> list[Finding]:
    """Sphinx's ``searchindex.js`` is a script: it must be one call with JSON, nothing else."""
    match = re.fullmatch(r"\s*Search\.setIndex\((.*)\)\s*;?\s*", text, flags=re.DOTALL)
    try:
        if match is None:
            raise ValueError
        json.loads(match.group(1))
    except ValueError:
        return [Finding(1, 1, "the search index is not one Search.setIndex call with JSON")]
    return []


def check_markdown(text: str) -> list[Finding]:
    """A Markdown export: no raw HTML but our paragraph anchors, no link with an unsafe scheme."""
    findings = _characters(text)
    anchor = re.compile(r'^(<a id="p[1-9][0-9]*[a-z]?">|</a>|<a id="p[1-9][0-9]*[a-z]?"></a>)$')

    def visit(tokens: Iterable[Token], line: int) -> None:
        for token in tokens:
            here = token.map[0] + 1 if token.map else line
            if token.type in ("html_inline", "html_block") and not anchor.match(token.content.strip()):
                findings.append(Finding(here, 1, f"raw HTML in Markdown: {token.content.strip()[:40]!r}"))
            if token.type in ("link_open", "image"):
                href = str(token.attrGet("href") or token.attrGet("src") or "")
                if not link_is_safe(href):
                    findings.append(Finding(here, 1, f"a link with an unsafe address: {href[:60]!r}"))
            if token.children:
                visit(token.children, here)

    visit(parse_body(text), 1)
    return sorted(findings)


def check_json(text: str) -> list[Finding]:
    """A JSON export: valid, and no string that is (or holds a Markdown link to) an unsafe address."""
    try:
        data = json.loads(text)
    except ValueError as error:
        return [Finding(getattr(error, "lineno", 1), getattr(error, "colno", 1), f"not valid JSON: {error}")]
    findings: list[Finding] = []

    def visit(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                visit(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, f"{path}[{index}]")
        elif isinstance(value, str):
            danger = scheme_danger(value)
            bad_links = unsafe_links(value) if "](" in value else []
            if danger or bad_links or REFUSED_CHARACTERS.search(value):
                what = f"{danger}: address" if danger else "unsafe link" if bad_links else "control character"
                findings.append(Finding(1, 1, f"{path or 'the value'} holds a {what}"))

    visit(data, "")
    return findings


def check_text(text: str) -> list[Finding]:
    """A plain-text export: no control characters."""
    return _characters(text)
