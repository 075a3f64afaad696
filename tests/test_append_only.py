"""The issue's reproductions, on copies of the project: a ledger without p29, a deleted paragraph that
held a note, a revision without a new version; compared with git's main, with EDITION_BASE_REF, on a
branch, and without git."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NEXT_VERSION, VERSION, copy_project, raise_version

FIXTURE = Path(__file__).parent / "fixtures" / "revised" / "twiss-review-witness.txt"
IDENTITY = {"GIT_AUTHOR_NAME": "The editors", "GIT_AUTHOR_EMAIL": "editors@example.org"}
IDENTITY |= {"GIT_COMMITTER_NAME": "The editors", "GIT_COMMITTER_EMAIL": "editors@example.org"}


def run(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "EDITION_BASE_REF"} | env
    return subprocess.run(
        [sys.executable, "build_edition.py", *args], cwd=project, capture_output=True, text=True, env=environment
    )


def git(project: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, env=os.environ | IDENTITY)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def drop_p29(project: Path) -> None:
    """The ledger without p29's entry, every other line as it was."""
    path = project / "source_texts" / "anchors.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: p29\n")
    path.write_text(text[:start] + text[text.index("- id: p30\n") :], encoding="utf-8")


def sources(project: Path) -> dict[str, bytes]:
    folders = [project / "source_texts", project / "docs"]
    return {str(p): p.read_bytes() for folder in folders for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path, annotations=False)


@pytest.fixture
def repository(project: Path) -> Path:
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "The edition as published")
    return project


def test_a_ledger_without_p29_is_refused_everywhere(project: Path) -> None:
    drop_p29(project)
    before = sources(project)
    convert = run(project, "convert")
    assert convert.returncode == 1
    assert "compared with the snapshots in source_texts/versions/ (not a git checkout)" in convert.stdout
    # placed where p29 would stand in the ledger: at the entry of the next number, p30
    rows = (project / "source_texts" / "anchors.yaml").read_text(encoding="utf-8").splitlines()
    at = next(number for number, row in enumerate(rows, 1) if row == "- id: p30")
    missing = (
        f"source_texts/anchors.yaml:{at}:3: p29 was published and is missing from the ledger; its paragraph is now p39"
    )
    assert missing in convert.stderr
    # The text that would change is shown at its first changed paragraph, in the version's file.
    snapshot = f"source_texts/versions/{VERSION}.yaml"
    rows = (project / snapshot).read_text(encoding="utf-8").splitlines()
    line = next(number for number, row in enumerate(rows, 1) if row.startswith("p29:"))
    change = f"the text of version {VERSION}, which is published, would change (without p29; with new p39)"
    assert f"{snapshot}:{line}:6: {change}" in convert.stderr
    assert sources(project) == before  # nothing written: #p29 still in essay.md
    check = run(project, "check")
    assert check.returncode == 1 and f"{missing}: a published id is never dropped [edition.ledger]" in check.stdout
    github = run(project, "check", "--format", "github")
    assert (
        f"::error file=source_texts/anchors.yaml,line={at},col=3,title=edition.ledger::p29 was published"
        in github.stdout
    )
    build = run(project, "build", "--no-epub")
    assert build.returncode == 1 and missing in build.stderr
    assert not (project / "_build" / "html" / "essay.html").exists()


def test_a_deleted_paragraph_that_held_a_note_is_refused_with_its_place(project: Path) -> None:
    witness = project / "source_texts" / "twiss-review-witness.txt"
    raw = witness.read_text(encoding="utf-8")
    start = raw.index("'It is not surprising that some of Trotsky's comrades")
    witness.write_text(raw[:start] + raw[raw.index("Between 1936 and 1940 Trotsky changed") :], encoding="utf-8")
    before = sources(project)
    convert = run(project, "convert")
    assert convert.returncode == 1
    assert "note 17 is missing, yet note 18 follows note 16" in convert.stderr and "witness line 230" in convert.stderr
    assert "Traceback" not in convert.stderr
    assert sources(project) == before
    assert run(project, "check").returncode == 1


def test_a_revision_needs_a_new_version_and_keeps_the_published_one(project: Path) -> None:
    shutil.copy(FIXTURE, project / "source_texts" / "twiss-review-witness.txt")
    refused = run(project, "convert")
    assert refused.returncode == 1 and "raise `version` in source_texts/edition.yaml" in refused.stderr
    published = (project / "source_texts" / "versions" / "1.0.yaml").read_bytes()
    raise_version(project)
    done = run(project, "convert")
    assert done.returncode == 0, done.stderr
    assert (project / "source_texts" / "versions" / "1.0.yaml").read_bytes() == published
    assert "p29" not in (project / "source_texts" / "versions" / f"{NEXT_VERSION}.yaml").read_text(encoding="utf-8")
    assert f":since: {NEXT_VERSION}" in (project / "docs" / "essay.md").read_text(encoding="utf-8")
    assert run(project, "check").returncode == 0


def test_in_git_the_committed_main_is_what_was_published(repository: Path) -> None:
    commit = git(repository, "rev-parse", "HEAD")[:10]
    check = run(repository, "check")
    assert check.returncode == 0, check.stdout
    drop_p29(repository)
    convert = run(repository, "convert")
    assert convert.returncode == 1 and f"compared with main at {commit}" in convert.stdout
    # Committing the change does not publish it: a branch is compared with where it left main.
    git(repository, "checkout", "-q", "-b", "proposal")
    git(repository, "commit", "-q", "-am", "A ledger without p29")
    check = run(repository, "check")
    assert check.returncode == 1 and "p29 was published and is missing from the ledger" in check.stdout
    # A pull request's workflow names the base commit; a base this clone lacks is an error, not a pass.
    assert run(repository, "check", EDITION_BASE_REF=commit).returncode == 1
    unknown = run(repository, "check", EDITION_BASE_REF="0" * 40)
    assert unknown.returncode == 1 and f"EDITION_BASE_REF:1:1: '{'0' * 40}' is not a commit of this clone" in (
        unknown.stdout + unknown.stderr
    )
    # A published snapshot edited in the working tree is caught at its first changed paragraph.
    git(repository, "checkout", "-q", "main")
    published = repository / "source_texts" / "versions" / "1.0.yaml"
    rows = published.read_text(encoding="utf-8").splitlines()
    line = next(number for number, row in enumerate(rows, 1) if row.startswith("p3:"))
    published.write_text(published.read_text(encoding="utf-8").replace("continual process", "continuous process"))
    check = run(repository, "check")
    assert f"source_texts/versions/1.0.yaml:{line}:5: the text of version 1.0 was published (main at" in check.stdout
    assert "and this file differs from it: a published version's text never changes" in check.stdout
    git(repository, "checkout", "--", "source_texts/versions/1.0.yaml")
    # A published snapshot deleted in the working tree is caught too.
    (repository / "source_texts" / "versions" / "1.0.yaml").unlink()
    check = run(repository, "check")
    assert "source_texts/versions/1.0.yaml:1:1: the text of version 1.0 was published (main at" in check.stdout
    assert "and this file is missing" in check.stdout


def test_a_version_prepared_on_a_branch_may_be_converted_again_until_merged(repository: Path) -> None:
    git(repository, "checkout", "-q", "-b", f"version-{NEXT_VERSION}")
    shutil.copy(FIXTURE, repository / "source_texts" / "twiss-review-witness.txt")
    raise_version(repository)
    assert run(repository, "convert").returncode == 0
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", f"Version {NEXT_VERSION}")
    # A later correction on the branch rewrites the unpublished new version (not the current one).
    info = repository / "source_texts" / "edition.yaml"
    info.write_text(info.read_text(encoding="utf-8").replace("The revised witness.", "The revised text."))
    assert run(repository, "convert").returncode == 0
    git(repository, "commit", "-q", "-am", f"Version {NEXT_VERSION}, corrected")
    # Once merged into main, the new version is published: the same change must now raise the version again.
    git(repository, "checkout", "-q", "main")
    git(repository, "merge", "-q", "--ff-only", f"version-{NEXT_VERSION}")
    witness = repository / "source_texts" / "twiss-review-witness.txt"
    witness.write_text(witness.read_text(encoding="utf-8").replace("telescopes", "telescope"), encoding="utf-8")
    refused = run(repository, "convert")
    assert refused.returncode == 1
    assert f"the text of version {NEXT_VERSION}, which is published, would change" in refused.stderr
