"""The Nu HTML Checker on every page: no errors in the markup the edition emits (its own theme
included)."""

from __future__ import annotations

import json
import subprocess

from browser_support import NODE_MODULES, require_browser
from conftest import Built

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_no_html_errors_from_the_edition(edition_site: Built, published_site: Built) -> None:
    """Every page, as built without a site address and as published (with its link-preview tags)."""
    require_browser()
    pages = sorted(str(p) for site in (edition_site, published_site) for p in site.outdir.glob("*.html"))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr)["messages"]
    ours = [f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert ours == []
    assert len(pages) >= 30
