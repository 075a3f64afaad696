"""The package's layers hold: import-linter's contracts (pyproject.toml) are kept, and they do
break when a module crosses a layer or two modules import each other; importing the text core
or the annotation format loads no Sphinx (and the core no docutils), as the command line needs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True, check=False, timeout=120
    )


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("core/textnorm.py", "import sphinx", "The text core imports no Sphinx"),
        ("core/textnorm.py", "from ..annotation import model", "Layers"),
        ("annotation/markup.py", "from docutils import nodes", "The annotation format imports no Sphinx"),
        ("commands/report.py", "from ..sphinxext import loaded", "Layers"),
        ("exports/text.py", "import sphinx.util", "Only the Sphinx glue imports"),
        ("sphinxext/links.py", "from . import rendering", "No import cycle"),  # rendering imports links
    ],
)
def test_a_module_that_crosses_its_layer_breaks_a_contract(tmp_path: Path, module: str, line: str, broken: str) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copytree(ROOT / "edition", project / "edition", ignore=shutil.ignore_patterns("__pycache__", "static"))
    path = project / "edition" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n\ndef _crossing() -> None:\n    {line}\n", encoding="utf-8")
    result = lint_imports(project)
    assert result.returncode == 1
    assert broken in result.stdout.split("Broken contracts")[-1]


def loaded_by(modules: list[str]) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after importing ``modules``."""
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(' '.join(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def package_modules(package: str) -> list[str]:
    folder = ROOT / package.replace(".", "/")
    return sorted(f"{package}.{path.stem}" for path in folder.glob("*.py") if path.stem != "__init__")


def test_importing_the_core_loads_neither_sphinx_nor_docutils() -> None:
    loaded = loaded_by(package_modules("edition.core"))
    assert {"edition", "yaml"} <= loaded
    assert not loaded & {"sphinx", "sphinxcontrib", "docutils", "myst_parser", "markdown_it", "pybtex"}


def test_importing_the_annotation_format_and_the_commands_loads_no_sphinx() -> None:
    loaded = loaded_by([*package_modules("edition.annotation"), *package_modules("edition.commands")])
    assert {"markdown_it", "myst_parser"} <= loaded
    assert not loaded & {"sphinx", "sphinxcontrib"}


def test_architecture_maps_every_module_and_folder() -> None:
    """ARCHITECTURE.md follows the tree: a new module or folder is described where a
    contributor looks for it, and a described one that is gone is no longer named."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    modules = sorted(
        path.relative_to(ROOT)
        for folder in ("edition", "benchmarks")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "__init__.py" and "__pycache__" not in path.parts
    )
    assert modules
    unnamed = [str(path) for path in modules if f"`{path.name}`" not in text]
    assert not unnamed, f"ARCHITECTURE.md does not describe {unnamed}"
    packages = sorted(p.name for p in (ROOT / "edition").iterdir() if p.is_dir() and p.name != "__pycache__")
    unmapped = [name for name in packages if f"`edition/{name}/`" not in text]
    assert not unmapped, f"ARCHITECTURE.md's folder table lacks {unmapped}"
    named = set(re.findall(r"`([a-z_]+\.py)`", text))
    existing = {path.name for path in ROOT.glob("*.py")} | {
        path.name for folder in ("edition", "benchmarks", "tests") for path in (ROOT / folder).rglob("*.py")
    }
    gone = sorted(named - existing)
    assert not gone, f"ARCHITECTURE.md names modules that no longer exist: {gone}"
