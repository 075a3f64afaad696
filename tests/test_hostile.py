"""Hostile inputs from a pull request: each gets a clear located error, and no script reaches the site."""

from __future__ import annotations

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOTS, build_root
from edition.annotation.checks import check_all
from edition.annotation.loading import load_annotations
from edition.annotation.targets import TextModel

HOSTILE = ROOTS / "test-hostile"
TEXT = TextModel(
    {
        "p1": "An essay paragraph.",
        "p2": "A paragraph that hostile annotations point at, with a bad link.",
    }
)

UNSAFE_LINK = "body: unsafe link: only http, https, mailto and #p12 links are allowed [edition.unsafe]"
RAW_HTML = "body: the HTML tag {tag} is not allowed in an annotation; use MyST emphasis and links [edition.unsafe]"
NOT_ANNOTATION = "annotations/ holds only annotation files (<id>.yaml): move or remove"
EXPECTED = {
    # file: every problem it must give, exactly (file:line:column: message [edition.subtype])
    "alias-bomb.yaml": ["1:4: anchors and aliases (& and *) are not allowed [edition.schema]"],
    "bad-paragraph-id.yaml": [
        "5:14: target.paragraph: 'p2 ' is not of the expected form (A paragraph id such as p12.) [edition.schema]"
    ],
    "bidi-override.yaml": [
        "10:14: the character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed; remove it [edition.schema]"
    ],
    "cite-malformed.yaml": [
        "10:7: body: {cite:p}`two words` is not a list of bibliography keys separated by commas [edition.unsafe]"
    ],
    "control-escaped.yaml": [
        "10:14: the character U+0000 (a control character) is not allowed; remove it [edition.schema]"
    ],
    "control-raw.yaml": [
        "10:14: the character U+0007 (a control character) is not allowed; remove it [edition.schema]"
    ],
    "data-link.yaml": [f"10:7: {UNSAFE_LINK}"],
    "deep-nesting.yaml": ["1:11: nested deeper than 8 levels [edition.schema]"],
    "duplicate-keys.yaml": ["11:1: duplicate key 'body' [edition.schema]"],
    "eval-rst.yaml": ["11:7: body: the directive {eval-rst} is not allowed in an annotation [edition.unsafe]"],
    "event-handler.yaml": [  # one message for the element, at its tag
        "10:12: body: text that looks like an HTML tag is not allowed; write it as words [edition.unsafe]",
    ],
    "huge-file.yaml": ["1:1: file is 70009 bytes; an annotation file may have at most 65536 [edition.schema]"],
    "huge-number.yaml": ["5:9: a number longer than 40 characters is not allowed [edition.schema]"],
    "image.yaml": ["10:7: body: images are not allowed in an annotation [edition.unsafe]"],
    "include-directive.yaml": ["11:7: body: the directive {include} is not allowed in an annotation [edition.unsafe]"],
    "invalid-utf8.yaml": ["3:10: the file is not valid UTF-8; save it as UTF-8 [edition.schema]"],
    "js-autolink.yaml": [f"10:7: {UNSAFE_LINK}"],
    "js-link-case.yaml": [f"10:7: {UNSAFE_LINK}"],
    "js-link-entity.yaml": [f"10:7: {UNSAFE_LINK}"],
    "js-link-percent.yaml": [f"10:7: {UNSAFE_LINK}"],
    "js-link.yaml": [f"10:7: {UNSAFE_LINK}"],
    "js-reference-link.yaml": [f"11:7: {UNSAFE_LINK}"],
    "prefix-mismatch.yaml": [
        '7:11: the prefix of quote "hostile annotations" matches none of its 1 occurrence(s) in ¶ p2; '
        "copy the words just before (prefix) or after (suffix) the one you mean [edition.anchor]"
    ],
    "python-tag.yaml": ["2:5: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed [edition.schema]"],
    "raw-directive.yaml": ["11:7: body: the directive {raw} is not allowed in an annotation [edition.unsafe]"],
    "raw-role.yaml": [
        "10:7: body: the role {raw-html} is not allowed; use ann, cite, cite:p, cite:t, para [edition.unsafe]"
    ],
    "reading-js-link.yaml": [
        "7:10: reading: unsafe link: only http, https and mailto addresses may appear, even as plain text "
        "[edition.unsafe]"
    ],
    "script-block.yaml": [f"11:3: {RAW_HTML.format(tag='<script>')}"],
    "script-in-headword.yaml": [
        "8:11: headword: markup is not allowed in a plain-text field [edition.unsafe]",
        "10:8: basis: text that looks like an HTML tag is not allowed; write it as words [edition.unsafe]",
        "13:9: author.name: markup is not allowed in a plain-text field [edition.unsafe]",
    ],
    "stray.txt": [f"1:1: {NOT_ANNOTATION} stray.txt [edition.schema]"],
    "upper-case.YAML": ["1:1: name annotation files *.yaml, not *.YAML [edition.schema]"],
    "vbscript-link.yaml": [f"10:7: {UNSAFE_LINK}"],
    "wrong-extension.yml": ["1:1: name annotation files *.yaml, not *.yml [edition.schema]"],
    "wrong-types.yaml": [
        "1:9: schema must be 2 [edition.schema]",
        "2:5: id must be of type string, not int [edition.schema]",
        "3:7: kind: ['gloss'] is not one of gloss, note, crossref, emendation, variant, commentary [edition.schema]",
        "4:9: target must be of type object, not str [edition.schema]",
        "5:9: author must be of type object, not str [edition.schema]",
        "6:7: date: 'yesterday' is not of the expected form (The day the annotation was written or last revised, "
        "YYYY-MM-DD.) [edition.schema]",
        "7:7: body must be of type string, not dict [edition.schema]",
    ],
}
LINK = "a symbolic link is not an annotation: commit the file itself (links are not followed) [edition.unsafe]"
LINKS = {
    # made when the test runs (a link in the repository would lead wherever it is checked out)
    "link-outside.yaml": [f"1:1: {LINK}"],
    "link-loop.yaml": [f"1:1: {LINK}"],
    "linked-folder": [f"1:1: {LINK}"],
}


@pytest.fixture(scope="module")
def problems(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(HOSTILE / "annotations", root / "annotations")
    outside = root / "outside.yaml"
    outside.write_text((HOSTILE / "annotations" / "js-link.yaml").read_text().replace("js-link", "link-outside"))
    (root / "annotations" / "link-outside.yaml").symlink_to(outside)
    (root / "annotations" / "link-loop.yaml").symlink_to(root / "annotations" / "link-loop.yaml")
    (root / "annotations" / "linked-folder").symlink_to(root, target_is_directory=True)
    annotations, found = load_annotations(root / "annotations", root)
    found += check_all(annotations, TEXT, set())
    out: dict[str, list[str]] = {}
    for problem in sorted(found):
        name = problem.path.removeprefix("annotations/")
        out.setdefault(name, []).append(f"{problem.line}:{problem.column}: {problem.message} [edition.{problem.type}]")
    return out


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in (HOSTILE / "annotations").iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED | LINKS))
def test_each_hostile_file_gets_its_exact_located_error(problems: dict[str, list[str]], name: str) -> None:
    assert problems.get(name) == (EXPECTED | LINKS)[name]


def test_nothing_but_the_corpus_is_reported(problems: dict[str, list[str]]) -> None:
    assert sorted(problems) == sorted(EXPECTED | LINKS)


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

    from edition.sphinxext.sanitise import sanitise

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
