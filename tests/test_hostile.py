"""Hostile inputs from a pull request: each gets a clear located error, and no script reaches the site."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOTS, build_root
from edition.annotations import TextModel, check_all, load_annotations

HOSTILE = ROOTS / "test-hostile"
TEXT = TextModel(
    {
        "p1": "An essay paragraph.",
        "p2": "A paragraph that hostile annotations point at, with a bad link.",
    }
)

EXPECTED = {
    # file: (warning subtype, words the message must contain)
    "script-block": ("unsafe", "raw HTML is not allowed"),
    "event-handler": ("unsafe", "raw HTML is not allowed"),
    "js-link": ("unsafe", "unsafe link"),
    "js-link-case": ("unsafe", "unsafe link"),
    "js-link-entity": ("unsafe", "unsafe link"),
    "js-link-percent": ("unsafe", "unsafe link"),
    "js-autolink": ("unsafe", "unsafe link"),
    "js-reference-link": ("unsafe", "unsafe link"),
    "data-link": ("unsafe", "unsafe link"),
    "vbscript-link": ("unsafe", "unsafe link"),
    "raw-directive": ("unsafe", "the directive {raw} is not allowed"),
    "include-directive": ("unsafe", "the directive {include} is not allowed"),
    "eval-rst": ("unsafe", "the directive {eval-rst} is not allowed"),
    "raw-role": ("unsafe", "the role {raw-html} is not allowed"),
    "image": ("unsafe", "images are not allowed"),
    "script-in-headword": ("unsafe", "headword: markup is not allowed"),
    "alias-bomb": ("schema", "anchors and aliases"),
    "deep-nesting": ("schema", "nested deeper than"),
    "huge-file": ("schema", "an annotation file may have at most"),
    "wrong-types": ("schema", "must be"),
    "invalid-utf8": ("schema", "not valid UTF-8"),
    "duplicate-keys": ("schema", "duplicate key 'body'"),
    "python-tag": ("schema", "is not allowed"),
}


@pytest.fixture(scope="module")
def problems() -> dict[str, list[str]]:
    annotations, found = load_annotations(HOSTILE / "annotations", HOSTILE)
    found += check_all(annotations, TEXT, set())
    out: dict[str, list[str]] = {}
    for problem in found:
        out.setdefault(Path(problem.path).stem, []).append(str(problem))
    return out


def test_the_corpus_is_complete() -> None:
    assert sorted(p.stem for p in (HOSTILE / "annotations").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_gets_a_located_error(problems: dict[str, list[str]], name: str) -> None:
    subtype, words = EXPECTED[name]
    assert name in problems, f"{name} passed the checks"
    located = re.compile(rf"^annotations/{re.escape(name)}\.yaml:\d+:\d+: .+ \[edition\.{subtype}\]$")
    assert any(located.match(p) and words in p for p in problems[name]), problems[name]


class _Executable(HTMLParser):
    """Collects what a browser would run: script bodies, event handlers, script-bearing URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and value:
                squashed = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.found.append(f"<{tag} {name}={value}>")
        if tag == "script":
            self._in_script = not any(name == "src" for name, _ in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and ("alert" in data or "pwned" in data):
            self.found.append(f"<script>{data[:40]}")


def executable(page: str) -> list[str]:
    parser = _Executable()
    parser.feed(page)
    return parser.found


def test_no_script_reaches_the_site(tmp_path: Path) -> None:
    site = build_root("hostile", tmp_path)
    pages = {p.name: p.read_text(encoding="utf-8") for p in site.outdir.glob("*.html")}
    for name, page in pages.items():
        assert executable(page) == [], name
    # The build said why, with typed warnings.
    assert "raw markup removed" in site.warnings and "[edition.unsafe]" in site.warnings
    assert "[edition.schema]" in site.warnings
    # Nothing is lost: an unsafe body is shown as plain, escaped text.
    index = pages["index.html"]
    assert "annot-withheld" in index
    assert "&lt;b onmouseover=" in index


def test_raw_and_include_directives_never_run(tmp_path: Path) -> None:
    site = build_root("hostile", tmp_path)
    index = site.html("index.html")
    assert "extensions = " not in index  # conf.py was not included
    assert "bibtex_cite_id" not in index


def test_the_checker_sees_what_a_browser_would_run() -> None:
    assert executable('<a href="jav&#x09;ascript:alert(1)">x</a>') != []
    assert executable("<p onclick=x>y</p>") != []
    assert executable("<script>alert(1)</script>") != []
    assert executable("<p>alert(1) as text &lt;script&gt;</p>") == []


def test_the_sanitiser_removes_raw_nodes_and_unsafe_links() -> None:
    from docutils import nodes
    from docutils.utils import new_document

    from edition.sanitise import sanitise

    doc = new_document("test")
    para = nodes.paragraph()
    para += nodes.raw("", "<script>alert(1)</script>", format="html")
    para += nodes.reference("", "bad", refuri="java\tscript:alert(1)")
    para += nodes.reference("", "good", refuri="https://example.org/")
    doc += para
    sanitise(None, doc)  # type: ignore[arg-type]
    assert not list(doc.findall(nodes.raw))
    assert [r["refuri"] for r in doc.findall(nodes.reference)] == ["https://example.org/"]
    assert "bad" in doc.astext()
