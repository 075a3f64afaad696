"""Every file a pull request can change is untrusted: a hostile corpus for the pages, the
bibliography, the decisions, the ledger and versions (the annotations have theirs in
test_hostile.py), each case with the exact error it must give; the same errors from check,
build and serve; what a direct Sphinx build does with the same attacks; and the last line
of defence on the written files (edition.checks.output)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from test_hostile import executable

from conftest import ROOT, ROOTS, Built, build, build_incremental, copy_project
from edition.checks.output import (
    Allowed,
    Finding,
    check_json,
    check_markdown,
    check_markup,
    check_search_index,
    skeleton,
    template_scripts,
)
from edition.checks.preflight import bibliography, links, pages
from edition.core.decisions import DecisionError, load_decisions
from edition.core.ledger import LedgerError
from edition.core.myst_writer import render_essay
from edition.core.safeyaml import YamlProblem, load_data
from edition.core.transcribe import TranscriptionError, transcribe

# ------------------------------------------------------------------------------- pages

PAGES = [
    ("include", "# T\n\n```{include} ../.git/config\n```\n",
     ["3:5: the directive {include} is not allowed in a page: pages insert no files and no raw markup"]),
    ("literalinclude", "# T\n\n```{literalinclude} ../../etc/passwd\n```\n",
     ["3:5: the directive {literalinclude} is not allowed in a page: pages insert no files and no raw markup"]),
    ("raw-directive", "# T\n\n```{raw} html\n<script>alert(1)</script>\n```\n",
     ["3:5: the directive {raw} is not allowed in a page: pages insert no files and no raw markup"]),
    ("raw-file", "# T\n\n```{raw} html\n:file: ../.git/config\n```\n",
     ["3:5: the directive {raw} is not allowed in a page: pages insert no files and no raw markup",
      "4:1: {raw} may not read a file or an address (:file:)"]),
    ("csv-file", "# T\n\n```{csv-table}\n:file: /etc/hostname\n```\n",
     ["4:1: {csv-table} may not read a file or an address (:file:)"]),
    ("csv-url", "# T\n\n```{csv-table}\n:url: https://example.org/data.csv\n```\n",
     ["4:1: {csv-table} may not read a file or an address (:url:)"]),
    ("rst-include", "# T\n\n```{eval-rst}\n.. include:: ../.git/config\n   :literal:\n```\n",
     ["4:4: the directive include is not allowed in a page: pages insert no files"]),
    ("rst-raw-role", "# T\n\n```{eval-rst}\n.. role:: raw-html(raw)\n   :format: html\n```\n",
     ["4:11: a role made from raw is not allowed in a page"]),
    ("rst-meta-refresh", "# T\n\n```{eval-rst}\n.. meta::\n   :http-equiv=refresh: 0; url=https://example.org/\n```\n",
     ["5:5: a page may not set http-equiv meta tags (a refresh sends readers elsewhere)"]),
    ("meta-refresh", "# T\n\n```{meta}\n:http-equiv=refresh: 0; url=https://example.org/\n```\n",
     ["4:2: a page may not set http-equiv meta tags (a refresh sends readers elsewhere)"]),
    ("html-meta-refresh", "---\nhtml_meta:\n  http-equiv=refresh: 0; url=https://example.org/\n---\n# T\n",
     ["3:3: html_meta may not set 'http-equiv=refresh': a page sets no http-equiv meta (refresh, cookies)"]),
    ("myst-settings", "---\nmyst:\n  url_schemes: [javascript]\n---\n# T\n",
     ["2:1: a page may not change MyST's settings (conf.py sets them for every page)"]),
    ("raw-html-block", "# T\n\n<script>alert(1)</script>\n", ["3:1: raw HTML is not allowed in a page; write MyST"]),
    ("raw-html-inline", "# T\n\nA <img src=x onerror=alert(1)> here.\n",
     ["3:3: raw HTML is not allowed in a page; write MyST"]),
    ("js-link", "# T\n\nA [link](javascript:alert(1)) here.\n",
     ["3:10: unsafe link 'javascript:alert(1)': only http, https, mailto and the site's own pages"]),
    ("js-toctree", "# T\n\n```{toctree}\nessay\nClick <javascript://%0aalert(1)>\n```\n",
     ["5:8: a table of contents lists pages or http(s) addresses, not 'javascript://%0aalert(1)'"]),
    ("data-toctree", "# T\n\n```{toctree}\ndata://text/html,x\n```\n",
     ["4:1: a table of contents lists pages or http(s) addresses, not 'data://text/html,x'"]),
    ("anchor-role", '# T\n\nA {anchor}`x"><img src=x onerror=alert(1)>` here.\n',
     ["3:12: {anchor} 'x\"><img src=x onerror=alert(1)>' is not a paragraph id (p7, p7a)"]),
    ("retired-anchor", '# T\n\n```{retired-anchor} p9"><script>alert(1)</script>\n:successor: p1\n```\n',
     ["3:21: {retired-anchor} 'p9\"><script>alert(1)</script>' is not a paragraph id (p7, p7a)"]),
    ("retired-successor", '# T\n\n```{retired-anchor} p9\n:successor: p1" onmouseover="alert(1)\n```\n',
     ["4:13: {retired-anchor} :successor: 'p1\" onmouseover=\"alert(1)' is not a paragraph id"]),
    ("image-outside", "# T\n\n![secret](../.git/config)\n",
     ["3:11: image '../.git/config': a page shows and offers only files in docs/"]),
    ("image-remote", "# T\n\n![pixel](https://example.org/pixel.png)\n",
     ["3:10: image 'https://example.org/pixel.png': a page shows and offers only files in docs/, "
      "not from another site or a data: address"]),
    ("image-data", "# T\n\n![x](data:image/svg+xml;base64,PHN2Zz4=)\n",
     ["3:6: image 'data:image/svg+xml;base64,PHN2Zz4=': a page shows and offers only files in docs/, "
      "not from another site or a data: address"]),
    ("figure-outside", "# T\n\n```{figure} ../../etc/hostname\n```\n",
     ["3:13: figure '../../etc/hostname': a page shows and offers only files in docs/"]),
    ("download-outside", "# T\n\nGet {download}`the settings <../conf.py>`.\n",
     ["3:30: download '../conf.py': a page shows and offers only files in docs/"]),
    ("control", "# T\n\nA bell \x07 here.\n",
     ["3:8: the character U+0007 (a control character) is not allowed; remove it"]),
    ("bidi", "# T\n\nReads \u202eesrever.\n",
     ["3:7: the character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed; remove it"]),
    ("cite-malformed", "# T\n\nSee {cite:p}`two words`.\n",
     ["3:14: {cite:p}`two words` is not a list of bibliography keys separated by commas"]),
    ("fine", "# T\n\nA [link](https://example.org/) and ![a picture](pictures/a.png) of `<b>`.\n", []),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), PAGES, ids=[case[0] for case in PAGES])
def test_each_hostile_page_gets_its_exact_located_error(
    tmp_path: Path, name: str, text: str, expected: list[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / f"{name}.md").write_text(text, encoding="utf-8")
    found = [str(p) for p in pages(tmp_path)]
    assert found == [f"docs/{name}.md:{e} [edition.unsafe]" for e in expected]


def test_a_page_name_that_a_theme_would_write_into_script_is_refused(tmp_path: Path) -> None:
    (tmp_path / "docs" / "p").mkdir(parents=True)
    (tmp_path / "docs" / "x';alert(1);'.md").write_text("# T\n", encoding="utf-8")
    (tmp_path / "docs" / "p" / "p1.md").write_text("# T\n", encoding="utf-8")
    (tmp_path / "docs" / "bad.md").write_bytes(b"# T\n\n\xff\n")
    assert [str(p) for p in pages(tmp_path)] == [
        "docs/bad.md:3:1: the file is not valid UTF-8; save it as UTF-8 [edition.unsafe]",
        "docs/p/p1.md:1:1: the page name 'p/p1' is taken: the site's share pages and downloads are written there "
        "[edition.unsafe]",
        "docs/x';alert(1);'.md:1:1: the page name \"x';alert(1);'\" may hold only letters, digits, '-' and '_' "
        "(themes write it into script) [edition.unsafe]",
    ]


# ------------------------------------------------------------------------------- bibliography

GOOD_BIB = (
    "@book{good,\n  author = {Trotsky, Leon},\n  title = {The Revolution Betrayed},\n"
    "  publisher = {Doubleday, Doran},\n  year = {1937},\n}\n"
)
BIB = [
    ("js-url", "@misc{evil,\n  title = {Evil},\n  year = {1937},\n  url = {javascript:alert(document.domain)},\n}\n",
     ["11:3: evil: the url must be an http or https address, not 'javascript:alert(document.domain)' [edition.unsafe]"]),
    ("js-url-disguised", "@misc{evil,\n  title = {Evil},\n  year = {1937},\n  url = {java\tscript:alert(1)},\n}\n",
     ["11:3: evil: the url must be an http or https address, not 'java script:alert(1)' [edition.unsafe]"]),
    ("data-url", "@misc{evil,\n  title = {Evil},\n  year = {1937},\n  url = {data:text/html,<script>alert(1)</script>},\n}\n",
     ["11:3: evil: the url must be an http or https address, not 'data:text/html,<script>alert(1)</script>' "
      "[edition.unsafe]"]),
    ("relative-url", "@misc{evil,\n  title = {Evil},\n  year = {1937},\n  url = {../.git/config},\n}\n",
     ["11:3: evil: the url must be an http or https address, not '../.git/config' [edition.unsafe]"]),
    ("unclosed", "@book{broken,\n  title = {Unclosed,\n  year = 1937\n",
     ["8:1: not valid BibTeX: the file ends inside this entry (a closing } is missing) [edition.bibliography]"]),
    ("syntax", "@book{broken,\n  title = {T},\n  year = 1937 1938\n}\n",
     ["10:15: not valid BibTeX: '}' expected [edition.bibliography]"]),
    ("unknown-type", "@weird{odd,\n  title = {Odd},\n  year = {1937},\n}\n",
     ["8:1: odd: @weird is not an entry type the 'plain' style formats; use one of article, book, booklet, dataset, "
      "inbook, incollection, inproceedings, manual, mastersthesis, misc, online, patent, phdthesis, proceedings, "
      "software, techreport, unpublished [edition.bibliography]"]),
    ("missing-field", "@book{nopublisher,\n  author = {A, B},\n  title = {T},\n  year = {1937},\n}\n",
     ["8:1: nopublisher: missing field 'publisher' [edition.bibliography]"]),
    ("duplicate-key", "@misc{good,\n  title = {Again},\n  year = {1938},\n}\n",
     ["8:1: the key 'good' is used by two entries [edition.bibliography]"]),
    ("bad-name", "@misc{names,\n  author = {A, B, C, D},\n  title = {T},\n  year = {1937},\n}\n",
     ["9:13: not valid BibTeX: Too many commas in 'A, B, C, D' [edition.bibliography]"]),
    ("control", "@misc{ctl,\n  title = {A bell\x07},\n  year = {1937},\n}\n",
     ["9:18: the character U+0007 (a control character) is not allowed; remove it [edition.unsafe]"]),
    ("bidi", "@misc{bidi,\n  title = {\u202eesrever},\n  year = {1937},\n}\n",
     ["9:12: the character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed; remove it [edition.unsafe]"]),
    ("fine", "@misc{web,\n  title = {A page},\n  year = {1937},\n  url = {https://example.org/},\n}\n", []),
]  # fmt: skip


@pytest.mark.parametrize(("name", "extra", "expected"), BIB, ids=[case[0] for case in BIB])
def test_each_hostile_bibliography_gets_its_exact_located_error(
    tmp_path: Path, name: str, extra: str, expected: list[str]
) -> None:
    (tmp_path / "bibliography.bib").write_text(GOOD_BIB + "\n" + extra, encoding="utf-8")
    _, problems = bibliography(tmp_path)
    assert [str(p) for p in problems] == [f"bibliography.bib:{e}" for e in expected]


def test_a_bibliography_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    (tmp_path / "bibliography.bib").write_bytes(GOOD_BIB.encode() + b"@misc{x, title={\xff}}\n")
    assert [str(p) for p in bibliography(tmp_path)[1]] == [
        "bibliography.bib:7:17: the file is not valid UTF-8; save it as UTF-8 [edition.unsafe]"
    ]


# ------------------------------------------------------------------------------- decisions, ledger, versions

HEAD = "version: 1\ndecisions:\n"
DECISIONS = [
    ("unknown-kind", HEAD + "  - id: a\n    kind: guess\n    reason: r\n",
     "editorial_decisions.yaml:4:11: decision 1: kind must be one of break, continue, furniture, hyphen, join, page, "
     "split"),
    ("page-not-number", HEAD + "  - id: a\n    kind: page\n    page: two\n    start: x\n    reason: r\n",
     "editorial_decisions.yaml:5:11: decision 1 (a): 'page' must be a page number (1, 2, …)"),
    ("space-not-bool", HEAD + "  - id: a\n    kind: join\n    end: x\n    start: y\n    space: 'no'\n    reason: r\n",
     "editorial_decisions.yaml:7:12: decision 1 (a): 'space' is true or false"),
    ("duplicate-id", HEAD + "  - id: a\n    kind: page\n    page: 1\n    start: x\n    reason: r\n"
     "  - id: a\n    kind: page\n    page: 2\n    start: y\n    reason: r\n",
     "editorial_decisions.yaml:8:9: decision 2: id 'a' is used twice"),
    ("unknown-field", HEAD + "  - id: a\n    kind: page\n    page: 1\n    start: x\n    reason: r\n    note: n\n",
     "editorial_decisions.yaml:8:11: decision 1 (a): unknown field 'note'; allowed: id, kind, page, reason, space, "
     "start"),
    ("misspelt-field", HEAD + "  - id: a\n    kind: page\n    page: 1\n    start: x\n    reson: r\n",
     "editorial_decisions.yaml:7:12: decision 1 (a): unknown field 'reson': did you mean 'reason'? ('reason' is "
     "required and missing)"),
    ("control-raw", HEAD + '  - id: a\n    kind: page\n    page: 1\n    start: "x\x07"\n    reason: r\n',
     "editorial_decisions.yaml:6:14: the character U+0007 (a control character) is not allowed; remove it"),
    ("control-escaped", HEAD + '  - id: a\n    kind: page\n    page: 1\n    start: "x\\a"\n    reason: r\n',
     "editorial_decisions.yaml:6:14: the character U+0007 (a control character) is not allowed; remove it"),
    ("huge-number", HEAD + "  - id: a\n    kind: page\n    page: " + "9" * 5000 + "\n    start: x\n    reason: r\n",
     "editorial_decisions.yaml:5:11: a number longer than 40 characters is not allowed"),
    ("not-a-list", "version: 1\ndecisions: none\n",
     "editorial_decisions.yaml:1:1: expected a mapping with a 'decisions' list"),
    ("alias", HEAD + "  - &a {id: a, kind: page, page: 1, start: x, reason: r}\n  - *a\n",
     "editorial_decisions.yaml:3:5: anchors and aliases (& and *) are not allowed"),
]  # fmt: skip


@pytest.fixture
def in_tmp(tmp_path: Path) -> Path:
    """Messages name files from the working directory: work in ``tmp_path``."""
    here = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path  # type: ignore[misc]
    os.chdir(here)


@pytest.mark.parametrize(("name", "text", "expected"), DECISIONS, ids=[case[0] for case in DECISIONS])
def test_each_hostile_decisions_file_gets_its_exact_located_error(
    in_tmp: Path, name: str, text: str, expected: str
) -> None:
    path = in_tmp / "editorial_decisions.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises((DecisionError, YamlProblem)) as caught:
        load_decisions(path)
    assert str(caught.value) == expected


def test_a_decision_that_matches_nothing_is_placed_in_its_file(in_tmp: Path) -> None:
    real = (ROOT / "source_texts" / "editorial_decisions.yaml").read_text(encoding="utf-8")
    path = in_tmp / "editorial_decisions.yaml"
    path.write_text(real.replace("start: \"summed up a 'theoretical revolution'\"", 'start: "words not there"'))
    witness = (ROOT / "source_texts" / "twiss-review-witness.txt").read_text(encoding="utf-8")
    with pytest.raises(TranscriptionError) as caught:
        transcribe(witness, load_decisions(path))
    assert str(caught.value) == (
        "editorial_decisions.yaml:20:5: decision page-2: the words 'words not there' are not in the witness"
    )


DATA = [
    ("control-raw", 'version: 1\nnext: 2\nparagraphs:\n- id: p1\n  status: active\n  text: "a\x07"\n',
     "anchors.yaml:6:11: the character U+0007 (a control character) is not allowed; remove it"),
    ("control-escaped", 'version: 1\nnext: 2\nparagraphs:\n- id: p1\n  status: active\n  text: "a\\0"\n',
     "anchors.yaml:6:11: the character U+0000 (a control character) is not allowed; remove it"),
    ("huge-number", "version: 1\nnext: " + "9" * 5000 + "\n",
     "anchors.yaml:2:7: a number longer than 40 characters is not allowed"),
    ("duplicate-key", "version: 1\nnext: 2\nnext: 3\n", "anchors.yaml:3:1: duplicate key 'next'"),
    ("python-tag", "version: !!python/object/apply:os.system ['echo pwned']\n",
     "anchors.yaml:1:10: the tag tag:yaml.org,2002:python/object/apply:os.system is not allowed"),
    ("not-utf8", b"version: 1\nnext: \xff\n", "anchors.yaml:2:7: the file is not valid UTF-8; save it as UTF-8"),
    ("syntax", "version: [1\n", "anchors.yaml:2:1: not valid YAML: a value that begins with '[' is read as a list, and this one is not "
     "closed: put the whole value in quotes, as in  quote: \"…\" (the parser: did not find expected ',' or ']')"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), DATA, ids=[case[0] for case in DATA])
def test_each_hostile_data_file_gets_its_exact_located_error(
    in_tmp: Path, name: str, text: str | bytes, expected: str
) -> None:
    """The ledger, the version snapshots and the edition's facts are read by one loader."""
    path = in_tmp / "anchors.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(YamlProblem) as caught:
        load_data(path)
    assert str(caught.value) == expected


def test_a_linked_data_file_is_named_and_never_read(in_tmp: Path) -> None:
    secret = in_tmp / "secret.yaml"
    secret.write_text("token: SECRET\n")
    (in_tmp / "anchors.yaml").symlink_to(secret)
    (in_tmp / "1.0.yaml").symlink_to(in_tmp / "1.0.yaml")  # a loop
    for name in ("anchors.yaml", "1.0.yaml"):
        with pytest.raises(YamlProblem) as caught:
            load_data(in_tmp / name)
        assert str(caught.value) == f"{name}:1:1: a symbolic link is not read: commit the file itself"


def test_a_ledger_value_cannot_become_markup_in_the_essay() -> None:
    """The 'since' of a retired id is written into a directive's options: only a version may stand there."""
    with pytest.raises(LedgerError) as caught:
        render_essay(
            "T", "H", [], [], [], retired={"": [("p9", "1.1\n```\n\n```{raw} html\n<script>alert(1)</script>")]}
        )
    assert str(caught.value).startswith("anchors.yaml:1:1: p9: 'since' must be a version such as 1.1, not '1.1\\n```")


# ------------------------------------------------------------------------------- links


def test_links_in_the_folders_a_pull_request_changes_are_named_not_followed(tmp_path: Path) -> None:
    for folder in ("docs", "source_texts", "annotations"):
        (tmp_path / folder).mkdir()
    (tmp_path / "docs" / "passwd.md").symlink_to("/etc/passwd")
    (tmp_path / "docs" / "loop").symlink_to(tmp_path / "docs" / "loop")
    (tmp_path / "docs" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "source_texts" / "anchors.yaml").symlink_to(tmp_path / ".git-config")
    (tmp_path / "bibliography.bib").symlink_to("/etc/hostname")
    (tmp_path / "docutils.conf").write_text("[general]\nfile_insertion_enabled: yes\n")
    assert [str(p) for p in sorted(links(tmp_path))] == [
        "bibliography.bib:1:1: a symbolic link is not allowed here: commit the file itself (links are not followed) "
        "[edition.unsafe]",
        "docs/loop:1:1: a symbolic link is not allowed here: commit the file itself (links are not followed) "
        "[edition.unsafe]",
        "docs/passwd.md:1:1: a symbolic link is not allowed here: commit the file itself (links are not followed) "
        "[edition.unsafe]",
        "docs/up:1:1: a symbolic link is not allowed here: commit the file itself (links are not followed) "
        "[edition.unsafe]",
        "docutils.conf:1:1: docutils.conf is not allowed: conf.py holds the settings [edition.unsafe]",
        "source_texts/anchors.yaml:1:1: a symbolic link is not allowed here: commit the file itself (links are not "
        "followed) [edition.unsafe]",
    ]


# ------------------------------------------------------------------------------- check, build and serve alike


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(project / "build_edition.py"), *args], cwd=project, capture_output=True, text=True
    )


ALIKE = [
    # (file, text to add after the first line holding the marker, or at the end; the marker of
    #  the line the error is on; the located error check and build must both give)
    ("bibliography.bib", ("", "\n@book{broken,\n  title = {Unclosed,\n"), "@book{broken",
     "bibliography.bib:{n}:1: not valid BibTeX: the file ends inside this entry (a closing }} is missing) "
     "[edition.bibliography]"),
    ("docs/introduction.md", ("", "\n```{include} ../.git/config\n```\n"), "{include}",
     "docs/introduction.md:{n}:5: the directive {{include}} is not allowed in a page: pages insert no files and no "
     "raw markup [edition.unsafe]"),
    ("source_texts/editorial_decisions.yaml", ("kind: page\n", "kind: guess\n"), "kind: guess",
     "the text cannot be built: source_texts/editorial_decisions.yaml:{n}:11: decision 1: kind must be one of "
     "break, continue, furniture, hyphen, join, page, split"),
    ("source_texts/anchors.yaml", ("next: 39\n", "next: 39\nnext: 40\n"), "next: 40",
     "source_texts/anchors.yaml:{n}:1: duplicate key 'next'"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "change", "marker", "expected"), ALIKE, ids=[case[0] for case in ALIKE])
def test_check_and_build_give_the_same_located_error_and_no_traceback(
    tmp_path: Path, name: str, change: tuple[str, str], marker: str, expected: str
) -> None:
    project = copy_project(tmp_path)
    path = project / name
    text = path.read_text(encoding="utf-8")
    old, new = change
    path.write_text(text.replace(old, new, 1) if old else text + new, encoding="utf-8")
    line = next(i for i, words in enumerate(path.read_text().splitlines(), 1) if marker in words)
    wanted = expected.format(n=line)
    checked, built = _run(project, "check"), _run(project, "build", "--no-epub")
    assert checked.returncode == built.returncode == 1
    assert wanted in checked.stdout + checked.stderr
    assert wanted.replace("check:", "build:") in built.stdout + built.stderr
    assert "Traceback" not in checked.stderr + built.stderr


def test_an_annotation_and_a_link_loop_give_the_same_located_errors_in_check_and_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    gloss = project / "annotations" / "glosses" / "gloss-nep.yaml"
    gloss.write_bytes(gloss.read_bytes().replace(b"allowed private trade", b"allowed\x07 private trade"))
    (project / "docs" / "loop.md").symlink_to(project / "docs" / "loop.md")
    checked = _run(project, "check")
    for message in (
        "annotations/glosses/gloss-nep.yaml:12:56: the character U+0007 (a control character) is not allowed; "
        "remove it [edition.schema]",
        "docs/loop.md:1:1: a symbolic link is not allowed here: commit the file itself (links are not followed) "
        "[edition.unsafe]",
    ):
        assert message in checked.stdout
    built = _run(project, "build", "--no-epub")
    assert "docs/loop.md:1:1: a symbolic link is not allowed here" in built.stderr  # refused before Sphinx starts
    (project / "docs" / "loop.md").unlink()
    built = _run(project, "build", "--no-epub")
    assert (
        "annotations/glosses/gloss-nep.yaml:12:56: WARNING: the character U+0007 (a control character) is not "
        "allowed; remove it [edition.schema]"
    ) in built.stderr
    assert checked.returncode == built.returncode == 1
    assert "Traceback" not in checked.stderr + built.stderr


def test_serve_gives_the_same_located_error_and_keeps_serving(tmp_path: Path) -> None:
    from test_watching import Served

    served = Served(tmp_path)
    try:
        served.wait_for("the pages and the downloads are rebuilt when a source changes")
        bib = served.project / "bibliography.bib"
        lines = len(bib.read_text(encoding="utf-8").splitlines())
        bib.write_text(bib.read_text(encoding="utf-8") + "\n@book{broken,\n  title = {Unclosed,\n", encoding="utf-8")
        served.wait_for("not clean: fix the problems above and save again")
        assert (
            f"bibliography.bib:{lines + 2}:1: not valid BibTeX: the file ends inside this entry (a closing }} is "
            "missing) [edition.bibliography]"
        ) in served.text()
        assert "Traceback" not in served.text()
        assert "essay" in served.html()  # the pages built before are still served
    finally:
        status = served.stop()
    assert status == 0, served.text()


def test_two_hundred_annotations_on_the_same_words_build_and_each_keeps_its_note(tmp_path: Path) -> None:
    """They nested two hundred marks deep and the page could not be saved (RecursionError)."""
    from edition.sphinxext.marking import MAX_NESTED_MARKS

    root = tmp_path / "stacked"
    shutil.copytree(ROOTS / "test-annotations", root)
    for number in range(200):
        (root / "annotations" / f"commentary-stacked-{number}.yaml").write_text(
            f"schema: 2\nid: commentary-stacked-{number}\nkind: commentary\ntarget:\n  paragraph: p2\n"
            f"  quote: the bureaucracy\nbody: Stacked {number}.\nauthor:\n  name: A. Reader\ndate: 2026-11-25\n",
            encoding="utf-8",
        )
    built = build(root, root / "docs", root / "_build" / "html")
    page = built.html("index.html")
    assert all(
        f'id="a-commentary-stacked-{n}"' in page and f'id="m-commentary-stacked-{n}"' in page for n in range(200)
    )
    depth = deepest = 0
    for tag in re.findall(r'<span class="annot-mark|<span|</span>', page):
        depth += -1 if tag == "</span>" else 1
        deepest = max(deepest, len(re.findall("annot-mark", tag)) and depth)
    assert deepest == MAX_NESTED_MARKS
    assert "[edition." not in built.warnings


def test_new_refuses_an_id_that_is_not_one_before_any_path_is_made(tmp_path: Path) -> None:
    project = copy_project(tmp_path, annotations=False)
    result = _run(project, "new", "gloss", "--paragraph", "p15", "--quote", "the Soviet Thermidor", "--id", "../../x")
    assert result.returncode == 1
    assert result.stderr == (
        "new: --id '../../x' is not an annotation id: use lowercase letters, digits and single hyphens\n"
    )
    assert not list(tmp_path.rglob("x.yaml"))


# ------------------------------------------------------------------------------- a direct Sphinx build


NAME_ATTACK = 'x";alert("name");"'


def _hostile_pages(tmp_path: Path, builder: str, name_attack: bool = True) -> tuple[Built, Path]:
    root = tmp_path / "pages"
    shutil.copytree(ROOTS / "test-hostile-pages", root)
    (root / "docs" / "linked.md").symlink_to(root / "secret.txt")
    (root / "docs" / "linked.png").symlink_to(root / "secret.txt")
    (root / "docs" / "loop").symlink_to(root / "docs" / "loop")
    if name_attack:
        (root / "docs" / f"{NAME_ATTACK}.md").write_text("# A page whose name breaks out of a script\n")
        (root / "docs" / "p").mkdir()  # where the share pages go: Sphinx's pages there are checked all the same
        (root / "docs" / "p" / f"{NAME_ATTACK}.md").write_text("# The same, among the share pages\n")
    out = root / "_build" / builder
    return build(root, root / "docs", out, builder), root


PAGE_WARNINGS = [
    "docs/linked.md:1:1: WARNING: a symbolic link is not allowed here: commit the file itself (links are not "
    "followed) [edition.unsafe]",
    "docs/loop:1:1: WARNING: a symbolic link is not allowed here",
    "bibliography.bib:13:3: WARNING: evil: the url must be an http or https address, not 'javascript:alert(\"bib\")' "
    "[edition.unsafe]",
    "bibliography.bib:16:1: WARNING: odd: @weird is not an entry type the 'plain' style formats",
    "docs/attacks.md:1: WARNING: a meta tag with http-equiv removed: pages set none [edition.unsafe]",
    "docs/attacks.md:7: WARNING: raw markup removed: it is not allowed in the edition [edition.unsafe]",
    'docs/attacks.md:9: WARNING: {anchor} \'x"><img src=x onerror=alert("anchor")>\' is not a paragraph id',
    'docs/attacks.md:11: WARNING: {retired-anchor} \'p9"><script>alert("retired")</script>\' is not a paragraph id',
    "docs/attacks.md:15: WARNING: the directive include is not allowed in a page",
    "docs/attacks.md:18: WARNING: the directive literalinclude is not allowed in a page",
    "docs/attacks.md:21: WARNING: {csv-table} may not read a file or an address (:file:) [edition.unsafe]",
    "docs/attacks.md:25: WARNING: the directive raw is not allowed in a page",
    "docs/attacks.md:30: WARNING: the directive include is not allowed in a page",
    "docs/attacks.md:34: WARNING: image '../secret.txt': a page shows and offers only files in docs/",
    "docs/attacks.md:36: WARNING: download '../secret.txt': a page shows and offers only files in docs/",
    "docs/attacks.md:44: WARNING: image 'linked.png': a symbolic link is not followed [edition.unsafe]",
    "docs/attacks.md:46: WARNING: raw markup removed: it is not allowed in the edition [edition.unsafe]",
    "docs/attacks.md:48: WARNING: ':cite:p:`two words`' is not a list of bibliography keys separated by commas "
    "[edition.ref]",
    "docs/index.md:3: WARNING: table-of-contents entry removed: 'javascript://%0aalert(\"toc\")' is not a page",
]


def _published(out: Path, builder: str) -> dict[str, str]:
    """Every file a reader could open, by name: the site's files, or the files inside the EPUB."""
    files: dict[str, str] = {}
    every = sorted(p for p in out.rglob("*") if p.is_file() and ".doctrees" not in p.parts)
    for path in list(out.glob("*.epub")) if builder == "epub" else every:
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as archive:
                files |= {f"{path.name}/{n}": archive.read(n).decode("utf-8", "replace") for n in archive.namelist()}
        else:
            files[path.relative_to(out).as_posix()] = path.read_bytes().decode("utf-8", "replace")
    return files


@pytest.mark.parametrize(("builder", "name_attack"), [("html", True), ("epub", False), ("epub", True)])
def test_a_direct_sphinx_build_refuses_every_hostile_page_and_publishes_nothing_unsafe(
    tmp_path: Path, builder: str, name_attack: bool
) -> None:
    """The same attacks, built by Sphinx itself (build_edition.py would refuse them before):
    each is reported where it stands, no file from outside docs/ is published, nothing in any
    written file would run, and the page whose name broke out of a template's script is
    withheld by the last line of defence (an EPUB with it is not published at all)."""
    built, root = _hostile_pages(tmp_path, builder, name_attack)
    warnings = built.warnings.replace(f"{root}/", "")
    for expected in PAGE_WARNINGS:
        assert expected in warnings
    published = _published(built.outdir, builder)
    assert [name for name, text in published.items() if "SECRET-TOKEN" in text] == []
    assert [name for name in published if "_downloads" in name or "_images" in name] == []
    for name, text in published.items():
        if name.endswith((".html", ".xhtml")):
            assert executable(text) == [], name
            assert not re.search(r'="\s*javascript', text, re.IGNORECASE), name  # as words, never an address
    if not name_attack:
        assert any(name.endswith("attacks.xhtml") for name in published)
        assert "an inline script that is not one of ours" not in warnings
        return
    page = f"{NAME_ATTACK}." + ("html" if builder == "html" else "xhtml")
    assert re.search(
        rf"{re.escape(page)}:\d+:\d+: WARNING: an inline script that is not one of ours: "
        r"'var edition_page = \"x\";alert\(\"name\"\);\"\";' \(the build's output\) \[edition.unsafe\]",
        warnings,
    ), warnings
    if builder == "html":
        assert "Page withheld" in published[page] and "Page withheld" in published[f"p/{page}"]
        assert 'var edition_page = "attacks";' in published["attacks.html"]  # the template's own script passes
        again = build_incremental(root, root / "docs", built.outdir)  # nothing changed: the page is not rewritten
        assert f"{page}:1:1: WARNING: withheld by an earlier build: fix its source, then build again without " in (
            again.warnings
        )
    else:
        assert not list(built.outdir.glob("*.epub"))  # refused whole


# ------------------------------------------------------------------------------- the last line of defence

OURS = Allowed(
    files=frozenset({"_static/edition.js", "_static/theme.css", "searchindex.js"}),
    inline=tuple(template_scripts('<script>var page = "{{ pagename }}";</script>')),
)
GUARD = [
    ('<script src="_static/edition.js?v=1"></script>', []),
    ('<script src="../_static/edition.js"></script>', ["1:1: <script src='../_static/edition.js'> is not one of our scripts"]),
    ('<script src="https://evil.example/x.js"></script>',
     ["1:1: <script src='https://evil.example/x.js'> is not one of our scripts"]),
    ('<script src="_static/edition.js">alert(1)</script>', ["1:1: a <script> with a src may hold no code"]),
    ('<script>var page = "essay";</script>', []),
    ('<script>var page = "a\\";x();//";</script>', []),  # an escaped quote stays inside the string
    ('<script>var page = "x";alert(1);"";</script>',
     ["1:1: an inline script that is not one of ours: 'var page = \"x\";alert(1);\"\";'"]),
    ('<script type="module">var page = "x";</script>', []),
    ('<script type="application/ld+json">{"a": "<\\/script>"}</script>', []),
    ('<script type="application/json">{not json</script>', ["1:1: a JSON data block that is not valid JSON"]),
    ("<p>\n  <script>alert(1)", ["2:3: a <script> that is never closed"]),
    ('<a href="javascript:alert(1)">x</a>',
     ["1:1: <a href='javascript:alert(1)'>: only http, https, mailto and relative addresses"]),
    ('<a href="jav&#x09;ascript:alert(1)">x</a>',
     ["1:1: <a href='jav\\tascript:alert(1)'>: only http, https, mailto and relative addresses"]),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>',
     ["1:1: <a href=' JaVaScRiPt:alert(1)'>: only http, https, mailto and relative addresses"]),
    ('<a href="%6Aavascript:alert(1)">x</a>',
     ["1:1: <a href='%6Aavascript:alert(1)'>: only http, https, mailto and relative addresses"]),
    ('<a href="&#106;avascript&colon;alert(1)">x</a>',
     ["1:1: <a href='javascript:alert(1)'>: only http, https, mailto and relative addresses"]),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">',
     ["1:1: <img src='data:image/svg+xml,<svg onload=alert(1)>'>: only http, https, mailto and relative addresses"]),
    ('<a href="vbscript:msgbox(1)">x</a>',
     ["1:1: <a href='vbscript:msgbox(1)'>: only http, https, mailto and relative addresses"]),
    ('<form action="javascript:alert(1)"><button formaction="data:,x">b</button></form>',
     ["1:1: <form action='javascript:alert(1)'>: only http, https, mailto and relative addresses",
      "1:36: <button formaction='data:,x'>: only http, https, mailto and relative addresses"]),
    ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
     ["1:6: <a xlink:href='javascript:alert(1)'>: only http, https, mailto and relative addresses"]),
    ('<svg><animate attributeName="href" to="javascript:alert(1)"/></svg>',
     ["1:6: the element <animate> is not allowed: it runs or embeds another document"]),
    ('<img srcset="a.png 1x, javascript:alert(1) 2x">', ["1:1: <img srcset=…>: only http, https and relative addresses"]),
    ('<p onclick="alert(1)">x</p>', ["1:1: the event-handler attribute onclick= is not allowed on <p>"]),
    ('<svg onload="alert(1)"></svg>', ["1:1: the event-handler attribute onload= is not allowed on <svg>"]),
    ('<iframe src="https://example.org/"></iframe>',
     ["1:1: the element <iframe> is not allowed: it runs or embeds another document"]),
    ('<object data="x.swf"></object>', ["1:1: the element <object> is not allowed: it runs or embeds another document"]),
    ('<base href="https://evil.example/">', ["1:1: the element <base> is not allowed: it runs or embeds another document"]),
    ('<meta http-equiv="refresh" content="0; url=https://evil.example/">',
     ["1:1: a meta refresh (to 'https://evil.example/') is not allowed: it sends the reader elsewhere"]),
    ('<meta http-equiv="Set-Cookie" content="a=b">', ["1:1: <meta http-equiv='set-cookie'> is not allowed"]),
    ('<meta http-equiv="content-type" content="text/html; charset=utf-8">', []),
    ('<link rel="stylesheet" href="_static/theme.css?digest=1">', []),
    ('<link rel="stylesheet" href="https://evil.example/x.css">',
     ["1:1: <link rel='stylesheet'> loads 'https://evil.example/x.css' from another site"]),
    ('<link rel="preload" as="script" href="_images/x.js">',
     ["1:1: <link rel='preload'> loads '_images/x.js', which is not one of our files"]),
    ('<p style="background: url(&#106;avascript:alert(1))">x</p>',
     ["1:1: <p style=…> holds CSS that runs script or loads a file"]),
    ("<style>@import 'https://evil.example/x.css';</style>", ["1:1: a <style> that runs script or loads a file"]),
    ("<p>alert(1) as text &lt;script&gt; javascript: as words</p>", []),
    ("<p>a bell \x07</p>", ["1:11: the control character U+0007"]),
]  # fmt: skip


@pytest.mark.parametrize(("html", "expected"), GUARD, ids=[case[0][:50] for case in GUARD])
def test_the_last_line_of_defence_refuses_whatever_could_run(html: str, expected: list[str]) -> None:
    assert [f"{f.line}:{f.column}: {f.message}" for f in check_markup(html, "index.html", OURS)] == expected


def test_the_independent_checker_agrees_on_what_would_run() -> None:
    for html, expected in GUARD:
        if executable(html):
            assert expected, html


def test_our_scripts_are_derived_from_templates_not_listed_by_hash() -> None:
    """A template's script stays ours whatever value its Jinja expression takes, as long
    as the value stays inside its quotes; a tag or a comment of the template is nothing."""
    template = (
        '{% if x %}<script data-cfasync="false">\n  document.documentElement.dataset.mode = '
        'localStorage.getItem("mode") || "{{ default_mode }}";{# a comment #}\n</script>{% endif %}'
        '<script src="{{ pathto("_static/x.js", 1) }}"></script>'
    )
    [pattern] = template_scripts(template)
    written = 'document.documentElement.dataset.mode = localStorage.getItem("mode") || "dark";'
    assert pattern.fullmatch(skeleton(written))
    assert not pattern.fullmatch(skeleton(written.replace('"dark"', '"";alert(1);""')))
    assert skeleton("var a = 'x' +\n  \"y\";") == "var a = '' + '';"


def test_the_search_index_must_be_data() -> None:
    assert check_search_index('Search.setIndex({"a": [1]})') == []
    assert check_search_index('Search.setIndex({"a": 1}); alert(1)') == [
        Finding(1, 1, "the search index is not one Search.setIndex call with JSON")
    ]


def test_the_exports_are_checked_for_what_a_client_would_follow() -> None:
    assert check_markdown('<a id="p1"></a>**¶ 1** Words, [a link](https://example.org/).\n') == []
    assert [f.message for f in check_markdown("[x](javascript:alert(1)) and <script>x</script>\n")] == [
        "a link with an unsafe address: 'javascript:alert(1)'",
        "raw HTML in Markdown: '</script>'",
        "raw HTML in Markdown: '<script>'",
    ]
    assert check_json('{"id": "essay.html#p1", "body": {"value": "See [x](https://example.org/)."}}') == []
    assert [f.message for f in check_json('{"body": [{"value": "[x](javascript:alert(1))"}], "id": "data:,x"}')] == [
        ".body[0].value holds a unsafe link",
        ".id holds a data: address",
    ]
