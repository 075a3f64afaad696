"""A revised witness, end to end: convert's decisions, every old anchor in the site, every annotation's fate."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NEXT_VERSION, ROOT, VERSION, Built, build, copy_project, raise_version
from edition.core.convert import Paths, read_ledger

FIXTURE = Path(__file__).parent / "fixtures" / "revised" / "twiss-review-witness.txt"


def convert(project: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "build_edition.py", "convert"], cwd=project, capture_output=True, text=True, check=check
    )


@pytest.fixture(scope="module")
def revised(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    project = copy_project(tmp_path_factory.mktemp("revised"))
    shutil.copy(FIXTURE, project / "source_texts" / "twiss-review-witness.txt")
    raise_version(project)
    return project, convert(project).stdout


def test_a_revision_without_a_new_version_is_refused_and_nothing_written(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    shutil.copy(FIXTURE, project / "source_texts" / "twiss-review-witness.txt")
    before = {p: p.read_bytes() for p in (project / "source_texts").rglob("*.yaml")}
    essay = (project / "docs" / "essay.md").read_bytes()
    result = convert(project, check=False)
    assert result.returncode == 1
    assert (
        f"p29 would be retired in version {VERSION}, but version {VERSION} is published with it: raise" in result.stderr
    )
    # placed at the first paragraph that would change (the revision merges p2 and p3)
    rows = (project / "source_texts" / "versions" / f"{VERSION}.yaml").read_text(encoding="utf-8").splitlines()
    line = next(number for number, row in enumerate(rows, 1) if row.startswith("p2:"))
    change = f"the text of version {VERSION}, which is published, would change (without p2, p29;"
    assert f"source_texts/versions/{VERSION}.yaml:{line}:5: {change}" in result.stderr
    assert "nothing written" in result.stderr
    assert {p: p.read_bytes() for p in (project / "source_texts").rglob("*.yaml")} == before
    assert (project / "docs" / "essay.md").read_bytes() == essay


@pytest.fixture(scope="module")
def site(revised: tuple[Path, str]) -> Built:
    project, _ = revised
    return build(project, project / "docs", project / "_build" / "html")


def decisions(stdout: str) -> dict[str, str]:
    out = {}
    for line in stdout.splitlines():
        match = re.match(r"\s*(p\d+)\s+(\w+)", line)
        if match:
            out[match.group(1)] = match.group(2)
    return out


def test_convert_reports_a_decision_for_every_paragraph(revised: tuple[Path, str]) -> None:
    _, stdout = revised
    got = decisions(stdout)
    assert got["p1"] == "kept"
    assert got["p2"] == "merged" and "now an alias of p3" in stdout
    assert got["p3"] == "merged"
    assert got["p4"] == "edited"
    assert got["p12"] == "edited" and "split from p12" in stdout  # the larger part keeps p12
    assert got["p39"] == "split"
    assert got["p40"] == "new"
    assert got["p29"] == "retired" and "nearest surviving: p28" in stdout
    assert got["p33"] == "moved"
    assert got["p23"] == "edited" and got["p28"] == "edited"


def test_the_ledger_keeps_every_id(revised: tuple[Path, str]) -> None:
    project, _ = revised
    ledger = read_ledger(Paths(project).ledger)
    assert {e.id for e in ledger.entries} >= {f"p{n}" for n in range(1, 39)}
    assert ledger.get("p2").status == "alias"  # type: ignore[union-attr]
    assert ledger.get("p29").status == "retired" and ledger.get("p29").since == NEXT_VERSION  # type: ignore[union-attr]
    assert ledger.next == 41
    # The published versions' texts are kept as published; the new version has its own.
    versions = project / "source_texts" / "versions"
    assert (versions / "1.0.yaml").read_bytes() == (Paths(ROOT).snapshot("1.0")).read_bytes()
    assert "p29" not in (versions / f"{NEXT_VERSION}.yaml").read_text(encoding="utf-8")


def test_every_old_anchor_still_resolves_in_the_site(site: Built) -> None:
    html = site.html("essay.html")
    for n in range(1, 41):
        assert html.count(f'id="p{n}"') == 1, f"p{n}"
    assert '<span class="alias-anchor" id="p2"></span>' in html
    notice = html[html.index('<div class="retired-anchor" id="p29"') :]
    notice = notice[: notice.index("</div>")]
    assert f"¶\u00a029 was removed in version {NEXT_VERSION} of the edition." in notice
    assert 'href="#p28">¶\u00a028</a>' in notice


def test_every_annotation_is_attached_or_reported_by_name(revised: tuple[Path, str], site: Built) -> None:
    project, _ = revised
    result = subprocess.run(
        [sys.executable, "build_edition.py", "check"], cwd=project, capture_output=True, text=True, check=False
    )
    on_p29 = [p.stem for p in (project / "annotations").rglob("*.yaml") if "paragraph: p29\n" in p.read_text()]
    for ident in on_p29:
        assert f"annotation {ident} is an orphan: paragraph p29 was retired" in result.stdout
    # Nothing else is lost: every other annotation attaches, exactly or with a named fuzzy warning.
    others = [line for line in result.stdout.splitlines() if "[edition.orphan]" not in line]
    assert all("[edition.fuzzy]" in line or "[edition.anchor]" in line for line in others)
    html = site.html("essay.html")
    attached = set(re.findall(r'data-annot="([^"]+)"', html))
    paragraph_annotations = {
        p.stem for p in (project / "annotations").rglob("*.yaml") if "paragraph: " in p.read_text()
    }
    missing = paragraph_annotations - attached - set(on_p29)
    reported = {ident for ident in missing if ident in result.stdout}
    assert missing == reported


def test_an_annotation_follows_its_words_into_the_part_split_off(revised: tuple[Path, str], site: Built) -> None:
    project, _ = revised
    ledger = read_ledger(Paths(project).ledger)
    assert ledger.get("p39").origin == "p12"  # type: ignore[union-attr]
    result = subprocess.run(
        [sys.executable, "build_edition.py", "check"], cwd=project, capture_output=True, text=True, check=False
    )
    assert (
        'annotations/glosses/gloss-war-communism.yaml:6:14: quote "war communist" now stands in ¶ p39, '
        "split from ¶ p12; update the target paragraph [edition.fuzzy]"
    ) in result.stdout
    html = site.html("essay.html")
    p39 = html[html.index('id="p39"') :]
    p39 = p39[: p39.index("</p>")]
    assert 'data-annot="gloss-war-communism"' in p39
