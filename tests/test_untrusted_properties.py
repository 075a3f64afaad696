"""Property tests for untrusted input: Hypothesis makes up YAML, BibTeX and MyST from the
pieces attackers and slips are made of (control characters raw and escaped, long numbers,
tags, anchors, unbalanced braces, file-inserting directives, addresses with every scheme),
and no input may raise anything but a located problem, nor put anything that runs into
what a builder writes. Example counts are kept small so the suite stays fast."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile import executable
from test_untrusted import _published

from conftest import ROOT, ROOTS, build, examples
from edition.annotation.checks import check_all
from edition.annotation.loading import load_annotation
from edition.annotation.targets import TextModel
from edition.checks.bibliography import check_bibliography
from edition.checks.output import check_markdown, check_markup, check_text
from edition.checks.pages import check_page
from edition.core.safeyaml import YamlProblem, load_data
from edition.exports.model import EditionData, load_edition
from edition.exports.tei import ExportError, tei_document
from edition.exports.text import markdown_text, plain_text

# ------------------------------------------------------------------------------- pieces

SCHEMES = ["javascript:", "JaVaScRiPt:", "java\tscript:", "&#106;avascript:", "%6Aavascript:", "data:text/html,",
           "vbscript:", "http://", "https://", "mailto:", "ftp://", "//", "#p1", "../", "/etc/", ""]  # fmt: skip
ADDRESS = st.builds(lambda s, rest: s + rest, st.sampled_from(SCHEMES), st.sampled_from(["alert(1)", "x", "p1", ""]))
NASTY_CHARS = st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u2066", "\ufeff", "\ufffe", "é"])
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.lists(st.one_of(st.text(max_size=5), NASTY_CHARS), max_size=6).map("".join),
    st.sampled_from(["<script>alert(1)</script>", "<b onmouseover=alert(1)>x</b>", "{raw}", "`x`", "*a*", "]("]),
)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


YAML_VALUE = st.one_of(
    TEXT.map(_quoted),
    st.sampled_from(['"\\0"', '"\\a"', '"\\e"', '"\\x85"', '"\\u202e"', '"\\ud800"', '"\\U0001F600"', "'\\0'"]),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.sampled_from(["9" * 5000, "1e99999", ".nan", "0x1F", "true", "~", "2026-11-25", "[1, [2, [3]]]", "{a: b}"]),
    st.sampled_from(["&a x", "*a", "!!python/object/apply:os.system ['x']", "!!binary aGk=", "!!set {a}"]),
    st.sampled_from(["|\n  a block\n  of text", ">-\n  folded\n   deeper", "[", "]", ": :", "- - -"]),
    ADDRESS.map(lambda a: _quoted(f"[x]({a})")),
)
KEYS = st.sampled_from(
    [
        "schema",
        "id",
        "kind",
        "target",
        "paragraph",
        "quote",
        "prefix",
        "note",
        "body",
        "basis",
        "reading",
        "headword",
        "author",
        "name",
        "date",
        "orphan",
        "sources",
        "citations",
        "x",
    ]
)


@st.composite
def yaml_files(draw: st.DrawFn) -> bytes:
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4]))
        lines.append(f"{indent}{draw(KEYS)}: {draw(YAML_VALUE)}")
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw += draw(st.binary(max_size=8))
    return raw


@st.composite
def annotations(draw: st.DrawFn) -> str:
    """Annotations that pass the schema, with made-up words wherever words may go."""
    kind = draw(st.sampled_from(["gloss", "commentary", "emendation"]))
    fields = {
        "quote": draw(st.sampled_from(["the bureaucracy", "Thermidor", "hostile"])),
        "prefix": draw(st.sampled_from(["", "of", "Soviet", "nowhere"])),
        "body": draw(TEXT.filter(str.strip)) + draw(st.sampled_from(["", " [a](https://example.org/)", " [b](#p1)"])),
        "reading": draw(TEXT),
        "headword": draw(TEXT.filter(str.strip)),
        "basis": draw(TEXT.filter(str.strip)),
        "name": draw(TEXT.filter(str.strip)),
    }
    value = {k: _quoted(v) for k, v in fields.items()}
    text = f"schema: 2\nid: generated\nkind: {kind}\ntarget:\n  paragraph: p1\n  quote: {value['quote']}\n"
    text += f"  prefix: {value['prefix']}\n" if fields["prefix"] else ""
    text += f"body: {value['body']}\nauthor:\n  name: {value['name']}\ndate: 2026-11-25\n"
    if kind == "gloss":
        text += f"category: term\nheadword: {value['headword']}\nbasis: {value['basis']}\nconfidence: inferred\n"
    if kind == "emendation":
        text += f"reading: {value['reading']}\n"
    return text


BIB_VALUE = st.one_of(
    TEXT.map(lambda t: "{" + t + "}"),
    TEXT.map(lambda t: '"' + t + '"'),
    st.sampled_from(["{unclosed", "{a}b}", "{A, B, C, D}", "{Trotsky, Leon and Shachtman, Max}", "1937", "{{P}}"]),
    ADDRESS.map(lambda a: "{" + a + "}"),
)


@st.composite
def bib_files(draw: st.DrawFn) -> str:
    entries = []
    for number in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["book", "misc", "article", "online", "weird", "comment", "string", "preamble"]))
        key = draw(st.sampled_from([f"k{number}", "k0", "", "a b", "é"]))
        fields = [f"  {draw(st.sampled_from(['author', 'title', 'year', 'url', 'publisher', 'note', 'x']))} = "
                  f"{draw(BIB_VALUE)}" for _ in range(draw(st.integers(0, 5)))]  # fmt: skip
        entries.append(f"@{kind}{{{key},\n" + ",\n".join(fields) + draw(st.sampled_from(["\n}", "\n", "}}", ")"])))
    return "\n\n".join(entries) + "\n"


DIRECTIVES = st.sampled_from(
    [
        "include",
        "literalinclude",
        "raw",
        "csv-table",
        "toctree",
        "image",
        "figure",
        "meta",
        "eval-rst",
        "retired-anchor",
        "note",
        "bibliography",
        "code-block",
        "unknown",
    ]
)
RST_LINES = st.sampled_from([".. include:: ../secret.txt", ".. raw:: html", "   <script>alert(1)</script>",
                             ".. meta::", "   :http-equiv=refresh: 0; url=https://example.org/",
                             ".. role:: r(raw)", ".. image:: ../secret.txt", "text"])  # fmt: skip


@st.composite
def pages(draw: st.DrawFn) -> str:
    blocks = ["# A page"]
    for _ in range(draw(st.integers(1, 6))):
        choice = draw(st.integers(0, 5))
        if choice == 0:
            blocks.append(draw(TEXT).replace("\n", " ") or "words")
        elif choice == 1:
            name = draw(DIRECTIVES)
            argument = draw(st.one_of(ADDRESS, st.sampled_from(["", "html", "p9", "../secret.txt", 'p1"><x'])))
            options = draw(st.lists(st.sampled_from([":file: ../secret.txt", ":url: https://example.org/",
                                                     ":successor: p1", ":alt: x", ":http-equiv=refresh: 0"]),
                                    max_size=2))  # fmt: skip
            body = draw(st.lists(st.one_of(RST_LINES, ADDRESS, TEXT.map(lambda t: t.replace("\n", " "))), max_size=3))
            blocks.append("\n".join([f"```{{{name}}} {argument}", *options, "", *body, "```"]))
        elif choice == 2:
            role = draw(st.sampled_from(["anchor", "download", "raw-html", "para", "cite:p", "pb"]))
            blocks.append(f"A {{{role}}}`{draw(st.one_of(ADDRESS, TEXT)).replace('`', '')}` role.")
        elif choice == 3:
            blocks.append(f"A [link]({draw(ADDRESS)}) and ![image]({draw(ADDRESS)}).")
        elif choice == 4:
            blocks.append(
                draw(
                    st.sampled_from(
                        [
                            "<script>alert(1)</script>",
                            "<img src=x onerror=alert(1)>",
                            '<meta http-equiv="refresh" content="0; url=https://e.org/">',
                        ]
                    )
                )
            )
        else:
            blocks.insert(
                0, f"---\n{draw(st.sampled_from(['html_meta', 'myst', 'orphan', 'x']))}: {draw(YAML_VALUE)}\n---"
            )
    return "\n\n".join(blocks) + "\n"


def _within(text: str, line: int, column: int) -> bool:
    lines = text.splitlines() or [""]
    return 1 <= line <= len(lines) + 1 and column >= 1


# ------------------------------------------------------------------------------- no traceback, always a place

TEXT_MODEL = TextModel({"p1": "A paragraph of the bureaucracy, hostile to Thermidor.", "p2": "Another."}, {1})


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=yaml_files())
def test_no_yaml_raises_anything_but_a_located_problem(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "generated.yaml"
    path.write_bytes(raw)
    ann, problems = load_annotation(path, "annotations/generated.yaml")
    text = raw.decode("utf-8", "replace")
    for problem in problems:
        assert _within(text, problem.line, problem.column), problem
    if ann is not None:
        check_all([ann], TEXT_MODEL, set())
    try:
        load_data(path)
    except YamlProblem as problem:
        assert _within(text, problem.line, problem.column), problem


@settings(max_examples=examples(150), deadline=None)
@given(text=bib_files())
def test_no_bibtex_raises_anything_but_a_located_problem(text: str) -> None:
    checked = check_bibliography(text)
    for problem in checked.problems:
        assert _within(text, problem.line, problem.column), problem


@settings(max_examples=examples(150), deadline=None)
@given(text=pages())
def test_no_page_raises_anything_but_a_located_problem(text: str) -> None:
    for problem in check_page(text, "generated"):
        assert _within(text, problem.line, problem.column), problem


@settings(max_examples=examples(150), deadline=None)
@given(
    html=st.lists(
        st.one_of(
            TEXT,
            st.builds(
                lambda tag, name, value: f"<{tag} {name}={value!r}>",
                st.sampled_from(["a", "img", "script", "svg", "meta", "link", "style", "iframe", "form", "p"]),
                st.sampled_from(["href", "src", "onclick", "style", "http-equiv", "rel", "type", "xlink:href"]),
                st.one_of(ADDRESS, TEXT),
            ),
            st.sampled_from(["</script>", "</style>", "<!--", "-->", "<![CDATA[", "</", "<"]),
        ),
        max_size=8,
    ).map("".join)
)
def test_the_last_line_of_defence_reads_any_markup(html: str) -> None:
    for finding in check_markup(html, "index.html") + check_markup(html, "index.xhtml", xml=True):
        assert finding.line >= 1 and finding.column >= 1


# ------------------------------------------------------------------------------- nothing unsafe in what is written


@cache
def _edition() -> EditionData:
    return load_edition(ROOT)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=annotations())
def test_no_annotation_puts_anything_unsafe_into_the_exports(tmp_path: Path, text: str) -> None:
    """Whatever words an annotation that loads holds, the Markdown and text exports hold no
    live link or raw HTML from it, and the TEI stays well-formed (or, where its words cannot be
    placed, is refused with a located error)."""
    path = tmp_path / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    ann, _ = load_annotation(path, "annotations/generated.yaml")
    if ann is None:
        return
    ann.located.data["target"]["paragraph"] = "p23"  # a real paragraph; the words need not match
    data = _edition()
    generated = EditionData(**{**vars(data), "annotations": [*data.annotations, ann]})
    assert check_markdown(markdown_text(generated)) == []
    assert check_text(plain_text(generated)) == []
    try:
        tei = tei_document(generated)
    except ExportError as error:  # words it cannot place (check refuses them first): located, never a traceback
        assert str(error).startswith("annotations/generated.yaml:"), str(error)
        return
    assert check_markup(tei, "edition.tei.xml", xml=True) == []


@settings(max_examples=examples(10), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=pages(), bib=bib_files(), annotation=annotations())
def test_no_generated_sources_make_a_builder_write_anything_that_runs(
    tmp_path_factory: pytest.TempPathFactory, page: str, bib: str, annotation: str
) -> None:
    """A page, a bibliography and an annotation made up together, built by Sphinx itself
    (HTML and EPUB), never raise, and nothing in any written file would run."""
    import tempfile

    root = Path(tempfile.mkdtemp(dir=str(tmp_path_factory.getbasetemp()))) / "generated"
    shutil.copytree(ROOTS / "test-hostile-pages", root)
    (root / "docs" / "attacks.md").write_text(page + "\n(p1)=\nA paragraph of the bureaucracy.\n", encoding="utf-8")
    (root / "bibliography.bib").write_text(bib, encoding="utf-8")
    (root / "annotations").mkdir()
    (root / "annotations" / "generated.yaml").write_text(annotation, encoding="utf-8")
    for builder in ("html", "epub"):
        built = build(root, root / "docs", root / "_build" / builder, builder)
        assert (built.outdir / ("index.html" if builder == "html" else "index.xhtml")).exists()
        for name, text in _published(built.outdir, builder).items():
            if name.endswith((".html", ".xhtml")):
                assert executable(text) == [], name
