"""The last line of defence, run on what each builder wrote (:mod:`edition.checks.output`).

When a build has finished, every page, image and download it wrote (the EPUB: every
file inside it) is read back and checked. What counts as ours is derived from the build
itself, never from a list kept by hand: the script and stylesheet files are those in the
theme's, Sphinx's, the extensions' and the edition's static folders (the files in the
output's ``_static/``); the inline scripts are those of the templates Sphinx rendered the
pages with, those extensions and conf.py register for every page, and those the theme puts
on Sphinx's own pages (the index and the search page, whose names no pull request
chooses). A page with a finding is replaced by a notice that says it was withheld (and
stays refused until it is written again), an EPUB with one is deleted, and the build
fails with each finding's file, line and column (``[edition.unsafe]``), with or without
``-W``.
"""

from __future__ import annotations

import os
import re
import weakref
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..checks.output import Allowed, Finding, check_markup, check_search_index, skeleton, template_scripts
from .typed_warnings import Warn, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

MARKUP = (".html", ".htm", ".xhtml", ".svg", ".xml", ".opf", ".ncx", ".xsl", ".xslt", ".mml")
XML = (".xhtml", ".svg", ".xml", ".opf", ".ncx", ".xsl", ".xslt", ".mml")
EXPORTED = frozenset({"downloads", "p", "sitemap.xml"})
"""Where the exports write (and check) their files: not checked here, but for pages Sphinx wrote there."""
SPHINX_PAGES = frozenset({"genindex", "search", "py-modindex"})
"""Pages Sphinx makes and names itself: the scripts put on them are the theme's and the extensions'."""
WITHHELD = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Page withheld</title>\n</head>\n'
    "<body>\n<p>This page was not published: the build found something in it that could run script, "
    "load a file from another site or send the reader elsewhere. The build's log says what and where.</p>\n"
    "</body>\n</html>\n"
)


def allowed_for(app: Sphinx, static: set[str]) -> Allowed:
    """What the build's own templates and static files allow. ``static`` lists the files in
    the output's ``_static/``: only the theme, Sphinx, the extensions and the static folders
    of conf.py put files there (pages, images and downloads go elsewhere)."""
    remote = {
        str(name)
        for name in [getattr(app.config, "mathjax_path", ""), *_registered_files(app)]
        if name and "://" in str(name)
    }
    patterns = _template_patterns(app.builder)
    inline = _STATE.get(app, {}).get("inline", set()) | set(_registered_bodies(app))
    patterns += [re.compile(re.escape(code)) for code in sorted(inline)]
    return Allowed(frozenset(static | {"searchindex.js"}), frozenset(remote), tuple(patterns))


def _registered_bodies(app: Sphinx) -> list[str]:
    """The inline scripts extensions and conf.py register for every page (code, at setup)."""
    entries = [*getattr(app.registry, "js_files", []), *getattr(app.config, "html_js_files", [])]
    return [skeleton(str(e[1]["body"])) for e in entries if isinstance(e, tuple) and e[1].get("body")]


def _registered_files(app: Sphinx) -> list[str]:
    names = []
    for entry in getattr(app.registry, "js_files", []):
        names.append(entry[0] if isinstance(entry, tuple) else entry)
    return [str(n) for n in names if n]


def _template_patterns(builder: Any) -> list[re.Pattern[str]]:
    templates = getattr(builder, "templates", None)
    folders = list(getattr(templates, "pathchain", []))
    patterns: list[re.Pattern[str]] = []
    for folder in folders:
        for dirpath, _, filenames in os.walk(folder):
            for name in sorted(filenames):
                if name.endswith((".html", ".xml", ".jinja")):
                    text = Path(dirpath, name).read_text(encoding="utf-8", errors="replace")
                    patterns += template_scripts(text)
    return patterns


_STATE: weakref.WeakKeyDictionary[Any, dict[str, set[str]]] = weakref.WeakKeyDictionary()


def _record_sphinx_pages(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """The inline scripts the theme and the extensions register on Sphinx's own pages."""
    if pagename not in SPHINX_PAGES:
        return
    inline = _STATE.setdefault(app, {}).setdefault("inline", set())
    for script in context.get("script_files", []):
        body = getattr(script, "attributes", {}).get("body") if not isinstance(script, str) else None
        if body:
            inline.add(skeleton(body))


def _report(app: Sphinx, shown: str, findings: list[Finding]) -> None:
    for finding in findings:
        warn(
            f"{finding.message} (the build's output)", Warn.UNSAFE, location=f"{shown}:{finding.line}:{finding.column}"
        )
    app.statuscode = 1


def check_site(app: Sphinx, outdir: Path) -> int:
    """Check every page, image and download below ``outdir``; withhold the pages with findings."""
    static_folder = outdir / "_static"
    static = {"_static/" + p.relative_to(static_folder).as_posix() for p in static_folder.rglob("*") if p.is_file()}
    allowed = allowed_for(app, static)
    builder: Any = app.builder
    pages = {Path(builder.get_outfilename(name)).relative_to(outdir).as_posix() for name in app.env.found_docs}
    withheld = 0
    for dirpath, dirnames, filenames in os.walk(outdir):
        # _static holds the static folders' files (code, not content), dot folders the doctrees.
        top = dirpath == str(outdir)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (top and d == "_static"))
        for name in sorted(filenames):
            path = Path(dirpath, name)
            page = path.relative_to(outdir).as_posix()
            if page.split("/")[0] in EXPORTED and page not in pages:
                continue  # written, and checked, by the exports
            if page == "searchindex.js":
                text = path.read_text(encoding="utf-8", errors="replace")
                findings = check_search_index(text)
            elif name.lower().endswith(MARKUP):
                text = path.read_text(encoding="utf-8", errors="replace")
                findings = check_markup(text, page, allowed, xml=name.lower().endswith(XML))
                if text == WITHHELD:  # an incremental build did not write it again: still not published
                    message = "withheld by an earlier build: fix its source, then build again without --incremental"
                    findings = [Finding(1, 1, message)]
            else:
                continue
            if findings:
                _report(app, str(path), findings)
                if text != WITHHELD:
                    path.write_text(WITHHELD, encoding="utf-8")
                withheld += 1
    return withheld


def check_epub(app: Sphinx, epub: Path) -> int:
    """Check every page inside the EPUB; delete the EPUB if one has a finding."""
    bad = 0
    with zipfile.ZipFile(epub) as archive:
        allowed = allowed_for(app, {name for name in archive.namelist() if name.startswith("_static/")})
        for name in sorted(archive.namelist()):
            if name.lower().endswith(MARKUP):
                text = archive.read(name).decode("utf-8", errors="replace")
                findings = check_markup(text, name, allowed, xml=name.lower().endswith(XML))
                if findings:
                    _report(app, f"{epub}/{name}", findings)
                    bad += 1
    if bad:
        epub.unlink()
    return bad


def _finished(app: Sphinx, error: Exception | None) -> None:
    if error is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    if app.builder.name.startswith("epub"):
        for epub in sorted(outdir.glob("*.epub")):
            check_epub(app, epub)
    else:
        check_site(app, outdir)
    _STATE.pop(app, None)


def setup_output_check(app: Sphinx) -> None:
    app.connect("html-page-context", _record_sphinx_pages, priority=999)  # after the theme has added its scripts
    app.connect("build-finished", _finished, priority=900)
