"""The Nu HTML Checker on every page: no errors in the markup the edition emits.

The one error it reports comes from the theme, not from us, and is listed here with its
reason; anything else fails.
"""

from __future__ import annotations

import json
import subprocess

from browser_support import NODE_MODULES, require_browser
from conftest import Built

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEME_ERRORS = {
    # pydata-sphinx-theme puts Safari's non-standard autocorrect attribute on its search input.
    "Attribute “autocorrect” not allowed on element “input” at this point.",
}


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
    ours = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["message"] not in THEME_ERRORS
    ]
    assert ours == []
    assert len(pages) >= 30
