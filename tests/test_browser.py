"""The edition in a real browser (Debian's Chromium, driven by Playwright): notes, citing,
layers, phones, wide screens, dark mode, and axe-core on every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import CHROMIUM, FLAGS, NODE_MODULES, require_browser, serve
from conftest import Built

AXE = NODE_MODULES / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def base(edition_site: Built) -> Iterator[str]:
    require_browser()
    with serve(edition_site.outdir) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, base: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 800}, base_url=base)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], errors


def test_a_note_opens_by_click_and_closes_with_escape(page: Any) -> None:
    page.goto("essay.html")
    ref = page.locator("#m-gloss-thermidor")
    note = page.locator("#a-gloss-thermidor")
    assert not note.is_visible()
    ref.click()
    assert note.is_visible()
    assert ref.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "a-gloss-thermidor"
    page.keyboard.press("Escape")
    assert not note.is_visible()
    assert page.evaluate("document.activeElement.id") == "m-gloss-thermidor"


def test_a_note_opens_by_keyboard_alone(page: Any) -> None:
    page.goto("essay.html")
    page.locator("#m-gloss-thermidor").focus()
    page.keyboard.press("Enter")
    assert page.locator("#a-gloss-thermidor").is_visible()
    page.keyboard.press("Escape")
    page.keyboard.press(" ")
    assert page.locator("#a-gloss-thermidor").is_visible()


def test_copying_a_paragraph_citation_gives_its_permalink(page: Any, base: str) -> None:
    page.goto("essay.html")
    page.locator("button[aria-controls='cite-p7']").click()
    panel = page.locator("#cite-p7")
    assert panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "cite-p7"
    panel.get_by_role("button", name="Copy Chicago for paragraph 7").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Thomas, Martin. (2018) 2026. “Four Missing Years")
    assert f"{base}essay.html#p7" in copied
    assert "(Thomas [2018] 2026, para. 7)" in copied
    panel.get_by_role("button", name="Copy RIS for paragraph 7").click()
    assert "UR  - " + f"{base}essay.html#p7" in page.evaluate("navigator.clipboard.readText()")
    page.keyboard.press("Escape")
    assert page.locator("#cite-p7").count() == 0
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "cite-p7"


def test_the_permalink_leads_to_the_paragraph(page: Any) -> None:
    page.goto("essay.html#p12")
    background = page.evaluate("getComputedStyle(document.getElementById('p12')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.evaluate("document.getElementById('p12').getBoundingClientRect().top") < 200


def test_a_link_to_an_annotation_opens_it(page: Any) -> None:
    page.goto("essay.html#a-gloss-nep")
    assert page.locator("#a-gloss-nep").is_visible()


def test_a_layer_switched_off_stays_off_after_reload(page: Any) -> None:
    page.goto("essay.html")
    page.get_by_label("Glosses").uncheck()
    assert not page.locator("#m-gloss-thermidor").is_visible()
    page.reload()
    assert page.get_by_label("Glosses").is_checked() is False
    assert not page.locator("#m-gloss-thermidor").is_visible()
    assert page.locator("#m-emendation-been-been").is_visible()
    page.get_by_role("button", name="Reading text only").click()
    assert not page.locator("#m-emendation-been-been").is_visible()
    assert not page.locator(".page-break").first.is_visible()


PAGES = [
    "index.html", "introduction.html", "essay.html", "timeline.html", "persons.html", "terms.html", "works.html",
    "bibliography.html", "about.html", "changes.html", "annotating.html", "contributors.html", "benchmarks.html",
    "genindex.html", "search.html",
]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scrolling_on_a_phone(browser: Any, base: str, name: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=base)
    page = context.new_page()
    page.goto(name)
    if name == "essay.html":
        page.locator("#m-gloss-thermidor").click()  # an open note must fit too
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    context.close()
    assert width[0] <= width[1], f"{name}: {width[0]}px of content in a {width[1]}px window"


@pytest.mark.parametrize("width", [360, 640, 800, 1024, 1100, 1280, 1600])
def test_paragraph_numbers_controls_and_page_numbers_stay_in_the_window(browser: Any, base: str, width: int) -> None:
    """In the margins where there is room for them (clear of the sidebar), in the line of the
    text where there is not: phones, tablets and small laptops alike."""
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=base)
    page = context.new_page()
    page.goto("essay.html")
    outside = page.evaluate(
        """() => {
            const sidebar = document.querySelector('.bd-sidebar-primary');
            const left = sidebar && sidebar.offsetParent ? sidebar.getBoundingClientRect().right : 0;
            return [...document.querySelectorAll('.para-link, .cite-btn, .suggest-btn, .page-break-label')]
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.width > 0 && (r.left < left || r.right > document.documentElement.clientWidth))
                .map(([e, r]) => `${e.className} of ${e.closest('p').id}: ${r.left | 0}-${r.right | 0}`);
        }"""
    )
    context.close()
    assert outside == [], f"{len(outside)} outside a {width}px window, first: {outside[:3]}"


def test_a_paragraphs_controls_come_in_the_order_the_margin_shows(page: Any) -> None:
    """Number, Cite, Suggest: the order on screen is the order of the keyboard and of the line."""
    page.goto("essay.html")
    orders = page.evaluate(
        """[...document.querySelectorAll('p.edition-para')].map(p =>
            [...p.querySelectorAll('.para-link, .cite-btn, .suggest-btn')].map(e => e.className).join(' '))"""
    )
    assert orders and set(orders) == {"para-link cite-btn suggest-btn"}, set(orders)


def test_the_themes_icons_are_drawn_from_its_font_without_fontawesomes_script(page: Any) -> None:
    """FontAwesome's script (over 500 KB gzipped) is left out; the theme's stylesheet and web
    font draw the menu, search and colour-scheme icons all the same."""
    page.goto("essay.html")
    assert page.locator("script[src*='fontawesome']").count() == 0
    icons = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const shown = [...document.querySelectorAll('i.fa-solid')].filter(i => i.offsetParent);
            return {
                icons: shown.map(i =>
                    [i.className, getComputedStyle(i, '::before').content, i.getBoundingClientRect().width]),
                font: [...document.fonts].some(f => f.family.includes('Font Awesome') && f.status === 'loaded'),
            };
        }"""
    )
    assert len(icons["icons"]) >= 3 and icons["font"], icons
    assert all(content not in ("none", "normal", '""') and width > 0 for _, content, width in icons["icons"]), icons


def test_margin_notes_stand_beside_their_paragraphs_without_overlap(browser: Any, base: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
    page = context.new_page()
    page.goto("essay.html")
    boxes = page.evaluate(
        """[...document.querySelectorAll('.edition-block')].map(block => {
            const p = block.querySelector('p.edition-para').getBoundingClientRect();
            const a = block.querySelector('.annot-notes').getBoundingClientRect();
            return {pTop: p.top, pRight: p.right, aTop: a.top, aLeft: a.left, aBottom: a.bottom};
        })"""
    )
    context.close()
    assert boxes
    for box in boxes:
        assert box["aLeft"] >= box["pRight"], box  # beside, not under
        assert abs(box["aTop"] - box["pTop"]) < 40, box  # level with its paragraph
    for first, second in zip(boxes, boxes[1:], strict=False):
        assert first["aBottom"] <= second["aTop"] + 1, (first, second)  # no overlap


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_reports_no_violations(browser: Any, base: str, name: str, scheme: str) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=base, color_scheme=scheme, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto(name)
    # The theme sets its colour mode by script and fades colours in: check the settled page.
    page.wait_for_function("document.documentElement.dataset.mode !== undefined && document.readyState === 'complete'")
    page.wait_for_timeout(300)
    if name == "essay.html":
        page.locator("button[aria-controls='cite-p3']").click()  # the cite panel is checked too
    violations = run_axe(page)
    context.close()
    assert violations == [], violations


def test_search_finds_words_of_the_essay_and_of_the_annotations(page: Any) -> None:
    page.goto("search.html?q=Robespierre")
    page.wait_for_selector("#search-results .search li", timeout=10000)
    assert "essay.html" in page.locator("#search-results").inner_html()  # a word only in a gloss
    page.goto("search.html?q=trifurcation")
    page.wait_for_selector("#search-results .search li", timeout=10000)
    assert "essay.html" in page.locator("#search-results").inner_html()  # a word only in the essay


def test_print_turns_notes_into_footnotes_and_drops_the_controls(page: Any) -> None:
    page.goto("essay.html")
    page.emulate_media(media="print")
    assert not page.locator("button[aria-controls='cite-p7']").is_visible()
    assert not page.locator(".edition-layers-host").is_visible()
    assert page.locator("#a-gloss-thermidor").is_visible()  # notes print under their paragraph
    assert page.locator("#p7 .para-num").is_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.bd-article a[href^=\"http\"]'), '::after').content"
    )
    assert after.startswith('" <') and "http" in after
