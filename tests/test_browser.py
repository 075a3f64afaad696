"""The edition in a real browser (Debian's Chromium, driven by Playwright): notes, sidenotes,
previews, citing, layers and density, phones and wide screens, light and dark, without script,
in print, what each page loads, axe-core on every page, and Lighthouse."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from browser_support import CHROMIUM, FLAGS, NODE_MODULES, require_browser, serve
from conftest import EDITION_TITLE, ROOT, VERSION, Built
from edition.core.safeyaml import load_trusted

pytestmark = pytest.mark.browser

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
READING = Path(__file__).parent / "browser" / "reading.js"
WIDTHS = [360, 768, 1280, 1600]
SCHEMES = ["light", "dark"]


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


def open_page(browser: Any, base: str, width: int = 390, height: int = 800, **options: Any) -> Any:
    """A page in a fresh context that fails the test on any script error or console error."""
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=base, **options)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    return page


@pytest.fixture
def page(browser: Any, base: str) -> Iterator[Any]:
    page = open_page(browser, base)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    yield page
    page.context.close()
    assert page.errors == [], page.errors


def reading(page: Any, expression: str) -> Any:
    page.add_script_tag(path=str(READING))
    return page.evaluate(expression)


# ---- Notes: open and close by click, tap and keyboard, on phones and wide screens ----


def test_a_note_opens_by_click_in_a_sheet_and_closes_with_escape(page: Any) -> None:
    page.goto("essay.html")
    ref, note = page.locator("#m-gloss-thermidor"), page.locator("#a-gloss-thermidor")
    assert not note.is_visible()
    ref.click()
    assert note.is_visible()
    assert ref.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "a-gloss-thermidor"
    box = note.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(800, abs=2) and box["width"] == pytest.approx(390, abs=2)
    page.keyboard.press("Escape")
    assert not note.is_visible()
    assert page.evaluate("document.activeElement.id") == "m-gloss-thermidor"
    ref.click()
    note.get_by_role("link", name="¶ 30").first.click()  # a link followed from the sheet closes it
    page.wait_for_function("location.hash === '#p30'")
    # The sheet closes on the hashchange event, which the browser queues after the hash changes.
    note.wait_for(state="hidden", timeout=2000)


def test_a_click_on_the_marked_words_opens_their_note_and_the_close_button_closes_it(page: Any) -> None:
    page.goto("essay.html")
    page.locator('.annot-mark[data-annot="gloss-thermidor"]').click()
    note = page.locator("#a-gloss-thermidor")
    assert note.is_visible()
    note.get_by_role("button", name="Close note").click()
    assert not note.is_visible()


@pytest.mark.parametrize("width", [360, 1280])
def test_every_note_opens_and_closes_by_keyboard(browser: Any, base: str, width: int) -> None:
    page = open_page(browser, base, width, 800)
    page.goto("essay.html")
    refs = page.evaluate("[...document.querySelectorAll('.annot-ref')].map(r => r.id)")
    assert len(refs) > 80
    failed = []
    for ref in refs:
        page.focus(f"#{ref}")
        page.keyboard.press("Enter")
        note = ref.replace("m-", "a-", 1)
        opened = page.evaluate(f"document.getElementById('{note}').checkVisibility() && document.activeElement.id")
        page.keyboard.press("Escape")
        closed = page.evaluate(
            f"document.activeElement.id === '{ref}' && !document.getElementById('{note}').matches('.annot-open')"
        )
        if opened != note or not closed:
            failed.append(ref)
    page.focus(f"#{refs[0]}")
    page.keyboard.press(" ")  # Space works as on a button
    assert page.evaluate(f"document.getElementById('{refs[0].replace('m-', 'a-', 1)}').checkVisibility()")
    page.context.close()
    assert failed == [] and page.errors == [], (failed[:5], page.errors)


def test_the_essays_notes_preview_at_their_number_by_hover_focus_and_tap(browser: Any, base: str) -> None:
    """What the note cites and how sure the apparatus is, with a link to the full note, whose
    head names what it cites."""
    page = open_page(browser, base, 1280, 900)
    page.goto("essay.html")
    page.hover("#noteref-1")
    preview = page.locator(".note-preview")
    assert preview.is_visible()
    words = preview.text_content()
    assert "Note 1" in words and "Mises, Bureaucracy (1944)" in words and "Confidence: Seen at second hand" in words
    assert preview.get_by_role("link", name="Read the full note").get_attribute("href") == "#note-1"
    assert page.locator("#noteref-1").get_attribute("aria-describedby") == preview.get_attribute("id")
    page.mouse.move(5, 5)
    preview.wait_for(state="detached")
    numbers = page.evaluate("[...document.querySelectorAll('a.footnote-reference')].map(a => a.id)")
    assert len(numbers) == 40
    for ref in numbers:  # by keyboard: focus shows it, Escape hides it
        page.focus(f"#{ref}")
        assert page.locator(".note-preview").count() == 1, ref
        page.keyboard.press("Escape")
        assert page.locator(".note-preview").count() == 0, ref
    heads = page.evaluate("[...document.querySelectorAll('aside.footnote .annot-head')].map(h => h.textContent)")
    assert len(heads) == 40 and not any("Expansion of the note" in head for head in heads)
    page.context.close()
    phone = open_page(browser, base, 390, 800, has_touch=True, is_mobile=True)
    phone.goto("essay.html")
    phone.locator("#noteref-1").tap()
    assert phone.locator(".note-preview").is_visible()  # the first tap previews ...
    assert phone.evaluate("location.hash") == ""
    phone.locator("#noteref-1").tap()  # ... the second follows the link
    phone.wait_for_function("location.hash === '#note-1'")
    phone.context.close()
    assert page.errors == [] and phone.errors == []


def test_a_link_to_an_annotation_opens_it(page: Any) -> None:
    page.goto("essay.html#a-gloss-nep")
    assert page.locator("#a-gloss-nep").is_visible()


def test_the_permalink_leads_to_the_paragraph(page: Any) -> None:
    page.goto("essay.html#p12")
    background = page.evaluate("getComputedStyle(document.getElementById('p12')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert page.evaluate("document.getElementById('p12').getBoundingClientRect().top") < 200


# ---- Arriving by a link; previews inside the window; nothing under the masthead ----

IN_WINDOW = """e => { const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
    right: r.right, width: r.width, height: r.height, vw: document.documentElement.clientWidth, vh: innerHeight}; }"""
MASTHEAD = "Math.max(0, document.querySelector('.masthead').getBoundingClientRect().bottom)"


@pytest.mark.parametrize(("width", "height"), [(360, 740), (768, 1024), (1280, 800)])
def test_a_note_preview_opens_inside_the_window_wherever_its_number_stands(
    browser: Any, base: str, width: int, height: int
) -> None:
    """Near the top, the middle and the foot of the window, for note 3 and for the number nearest
    the right edge: the preview is inside the window, no wider than it, and beside its number
    (below it, or above it when there is no room below), not over it."""
    touch = width < 500
    page = open_page(browser, base, width, height, has_touch=touch, is_mobile=touch)
    page.goto("essay.html")
    page.wait_for_load_state("load")
    rightmost = page.evaluate(
        """[...document.querySelectorAll('a.footnote-reference')]
            .sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right)[0].id"""
    )
    problems = []
    for ref in ("noteref-3", rightmost):
        for place in (0.12, 0.5, 0.96):
            page.keyboard.press("Escape")  # no preview open, so a tap previews (a second tap follows the link)
            page.evaluate(
                """([id, place]) => { const r = document.getElementById(id).getBoundingClientRect();
                    window.scrollTo(0, r.top + scrollY - innerHeight * place); }""",
                [ref, place],
            )
            if touch:
                page.locator(f"#{ref}").tap()
            else:
                page.hover(f"#{ref}")
            card = page.locator(".note-preview")
            card.wait_for()
            box = card.evaluate(IN_WINDOW)
            number = page.locator(f"#{ref}").evaluate(IN_WINDOW)
            room = max(number["top"], box["vh"] - number["bottom"]) - 16
            inside = box["left"] >= 0 and box["right"] <= box["vw"] and box["top"] >= 0 and box["bottom"] <= box["vh"]
            covers = box["top"] < number["bottom"] and box["bottom"] > number["top"] and box["height"] <= room
            if not inside or box["width"] > box["vw"] or covers:
                problems.append((ref, place, {k: round(v) for k, v in box.items()}, round(number["top"])))
    page.context.close()
    assert problems == [] and page.errors == [], (problems, page.errors)


def below_masthead(page: Any, ident: str, within: str = "innerHeight") -> bool:
    """Whether the element's top is in the window (above ``within``) and not under the masthead."""
    top = page.evaluate(f"document.getElementById('{ident}').getBoundingClientRect().top")
    return bool(page.evaluate(f"{top} >= {MASTHEAD} && {top} < {within}"))


def test_nothing_the_page_scrolls_to_goes_under_the_masthead(browser: Any, base: str) -> None:
    """At 1280 px the masthead stays at the top: a Cite panel, a paragraph, a note of the essay,
    an annotation and a cross-reference's target all come to rest below it."""
    page = open_page(browser, base, 1280, 800)
    page.goto("essay.html")
    page.locator("button[aria-controls='cite-p1']").click()
    assert page.locator("#cite-p1 h2").text_content() == "Cite ¶\u00a01"  # "¶ 1" never breaks
    below = {"cite panel of p1": below_masthead(page, "cite-p1")}
    page.keyboard.press("Escape")
    page.evaluate("document.getElementById('p20').scrollIntoView({block: 'end'})")  # a long panel opening low
    page.locator("button[aria-controls='cite-p20']").click()
    below["cite panel of p20"] = below_masthead(page, "cite-p20")
    for fragment in ("p12", "note-3", "a-gloss-nep"):
        page.goto(f"essay.html#{fragment}")
        page.wait_for_load_state("load")
        below[fragment] = below_masthead(page, fragment)
    page.goto("essay.html")
    crossref = page.locator("#a-crossref-degenerated-formula")
    crossref.click()
    crossref.get_by_role("link", name="¶ 8").first.click()
    page.wait_for_function("location.hash === '#p8'")
    below["a cross-reference's target"] = below_masthead(page, "p8")
    page.context.close()
    assert all(below.values()) and page.errors == [], (below, page.errors)


@pytest.mark.parametrize(("width", "height"), [(360, 740), (1280, 800)])
def test_a_link_from_an_index_opens_its_annotation_with_the_words_lit(
    browser: Any, base: str, width: int, height: int
) -> None:
    """persons.html's "¶ 32" for Dunayevskaya (essay.html#m-gloss-dunayevskaya), the first entry
    of each other index, and the timeline's note numbers: the annotation opens, its words are lit
    and in view below the masthead (above the sheet on a phone); a note number previews its note."""
    page = open_page(browser, base, width, height)
    samples = [("persons.html", "essay.html#m-gloss-dunayevskaya")]
    for index in ("persons.html", "terms.html", "works.html"):
        page.goto(index)
        samples.append((index, page.locator("main a[href^='essay.html#m-']").first.get_attribute("href")))
    failed = []
    for index, href in samples:
        page.goto(index)
        page.locator(f"main a[href='{href}']").first.click()
        page.wait_for_url(f"**/{href}")
        page.wait_for_load_state("load")
        ident = href.split("#m-")[1]
        got = page.evaluate(
            f"""(() => {{
                const note = document.getElementById('a-{ident}');
                const words = [...document.querySelectorAll('.annot-mark[data-annot="{ident}"]')];
                const sheet = innerWidth < 1120 ? note.getBoundingClientRect().top : innerHeight;
                const top = Math.min(...words.map(w => w.getBoundingClientRect().top));
                const bottom = Math.max(...words.map(w => w.getBoundingClientRect().bottom));
                const n = note.getBoundingClientRect();
                return {{open: note.classList.contains('annot-open') && note.checkVisibility(),
                         lit: words.length > 0 && words.every(w => w.classList.contains('ed-open')
                              && getComputedStyle(w).backgroundColor !== 'rgba(0, 0, 0, 0)'),
                         wordsInView: top >= {MASTHEAD} && bottom <= sheet,
                         noteInView: n.top >= {MASTHEAD} && n.top < innerHeight,
                         focused: document.activeElement === note}};
            }})()"""
        )
        if not all(got.values()):
            failed.append((href, [what for what, held in got.items() if not held]))
    page.goto("timeline.html")
    note = page.locator("main a[href^='essay.html#noteref-']").first
    href = note.get_attribute("href")
    note.click()
    page.wait_for_url(f"**/{href}")
    page.wait_for_load_state("load")
    card = page.locator(".note-preview")
    number = href.split("-")[-1]
    previewed = card.is_visible() and card.locator(".preview-number").text_content() == f"Note {number}"
    box = card.evaluate(IN_WINDOW) if previewed else {}
    page.context.close()
    assert failed == [] and page.errors == [], (failed, page.errors)
    assert previewed and box["top"] >= 0 and box["bottom"] <= box["vh"] and box["right"] <= box["vw"], box


def test_an_id_the_edition_never_gave_gets_a_notice(page: Any) -> None:
    """essay.html#p99: a short notice at the top, with links to the first and last paragraphs and
    to Changes; only for ids of a paragraph's form, and built from text, never from markup."""
    page.goto("essay.html#p99")
    notice = page.locator(".anchor-unknown")
    assert notice.is_visible()
    words = notice.text_content()
    assert words.startswith("¶\u00a099 is not a paragraph of this edition") and "¶\u00a01" in words
    assert notice.get_by_role("link", name="Changes").get_attribute("href").endswith("changes.html")
    assert notice.locator("a[href='#p1']").count() == 1
    assert notice.evaluate("n => n.getBoundingClientRect().top") < 200
    page.evaluate("location.hash = '#p7'")  # a paragraph that exists: the notice goes
    notice.wait_for(state="detached", timeout=2000)
    for fragment in (
        "p7",
        "a-gloss-nep",
        "nothing",
        "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "p9%3Cb%3Ex%3C%2Fb%3E",
    ):
        page.goto(f"essay.html#{fragment}")
        assert page.locator(".anchor-unknown").count() == 0, fragment
    assert page.locator("main img, main b").count() == 0
    page.goto("essay.html#p7z")  # the form of an id, never given
    assert page.locator(".anchor-unknown").text_content().startswith("¶\u00a07z is not")


def test_each_kind_of_annotation_has_one_name_everywhere(browser: Any, base: str) -> None:
    """The compact sidenote's label, the open note's, the Notes menu and the About page's figures
    use the same word for each kind (singular and plural of it)."""
    from edition.annotation.labels import KIND_NAMES

    page = open_page(browser, base, 1280, 900)
    page.goto("essay.html")
    page.wait_for_load_state("load")
    seen = {}
    for kind in ("gloss", "commentary", "crossref", "emendation", "variant"):
        seen[kind] = page.evaluate(
            f"""(() => {{
                const note = document.querySelector('.annot-notes .annot-{kind}');
                const margin = getComputedStyle(note, '::before').content.replace(/^"|"$/g, '');
                const open = note.querySelector('.annot-head > strong').textContent;
                const menu = document.querySelector('input[data-layer="{kind}"]').parentNode.textContent.trim();
                return [margin, open, menu];
            }})()"""
        )
    page.goto("about.html")
    figures = page.evaluate(
        "[...document.querySelectorAll('table.edition-report td:first-child')].map(c => c.textContent)"
    )
    page.context.close()
    for kind, (margin, open, menu) in seen.items():
        singular, plural = KIND_NAMES[kind]
        assert (margin, open, menu) == (singular, singular, plural), kind
        assert plural in figures, (kind, figures)


# ---- Wide screens: sidenotes beside their lines, the measure, no blank runs ----


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_text_has_no_blank_runs_and_sidenotes_overlap_nothing(
    browser: Any, base: str, width: int, scheme: str
) -> None:
    """No run of more than 200 px with no text beside the notes; at 1280 px and wider every
    annotation stands as a sidenote, none overlapping another or the text, and the measure is
    60 to 75 characters."""
    page = open_page(browser, base, width, 900, color_scheme=scheme)
    page.goto("essay.html")
    page.wait_for_load_state("load")
    got = reading(page, "({blank: EditionReading.blankRuns(), side: EditionReading.sidenotes(),"
                        " measure: EditionReading.measure()})")  # fmt: skip
    page.context.close()
    assert got["blank"]["tallest"] <= 200, got["blank"]
    assert got["side"]["overlapping"] == [] and got["side"]["intoText"] == [], got["side"]
    if width >= 1280:
        assert got["side"]["shown"] > 80
        assert 60 <= got["measure"] <= 75, got["measure"]
    else:
        assert got["side"]["shown"] == 0  # narrow: notes open one at a time


def test_the_measure_holds_when_the_text_face_has_not_come(browser: Any, base: str) -> None:
    """Literata is shown only if it arrives at once (font-display: optional); otherwise the
    reader's Times or DejaVu Serif, scaled to its width, keeps the measure."""
    page = open_page(browser, base, 1280, 900)
    page.route("**/*.woff2", lambda route: route.abort())
    page.goto("essay.html")
    page.wait_for_load_state("load")
    measure = reading(page, "EditionReading.measure()")
    page.context.close()
    assert 60 <= measure <= 75, measure


def test_each_sidenote_stands_beside_the_line_of_its_words(browser: Any, base: str) -> None:
    """Level with the last line of its words, or pushed down just below the sidenote before it."""
    page = open_page(browser, base, 1280, 900)
    page.goto("essay.html")
    page.wait_for_load_state("load")
    placed = page.evaluate(
        """[...document.querySelectorAll('.annot-notes .annot')].map(note => {
            const marks = document.querySelectorAll(`.annot-mark[data-annot="${note.id.slice(2)}"]`);
            const line = [...marks[marks.length - 1].getClientRects()].pop();
            return {id: note.id, top: note.getBoundingClientRect().top, line: line.top,
                    label: getComputedStyle(note, '::after').content};
        })"""
    )
    page.context.close()
    for note in placed:
        assert note["top"] >= note["line"] - 1, note  # never above its line
        assert note["label"] not in ("none", "normal", '""'), note  # compact: kind and headword or first line
    assert sum(1 for n in placed if abs(n["top"] - n["line"]) < 2) > len(placed) / 2  # most exactly level


def test_a_long_note_opens_in_full_in_the_margin_and_the_others_make_room(browser: Any, base: str) -> None:
    page = open_page(browser, base, 1280, 900)
    page.goto("essay.html")
    note = page.locator("#a-gloss-thermidor")
    assert note.evaluate("n => n.scrollHeight <= n.clientHeight + 1 && n.getBoundingClientRect().height < 60")
    note.click()
    assert note.evaluate("n => n.classList.contains('annot-open') && n.getBoundingClientRect().height > 200")
    assert note.locator(".annot-meta").is_visible()
    side = reading(page, "EditionReading.sidenotes()")
    page.keyboard.press("Escape")
    page.context.close()
    assert side["overlapping"] == [] and side["intoText"] == [], side


def test_a_note_open_in_the_margin_becomes_a_sheet_when_the_window_narrows(browser: Any, base: str) -> None:
    page = open_page(browser, base, 1280, 900)
    page.goto("essay.html")
    page.locator("#m-gloss-thermidor").click()
    page.set_viewport_size({"width": 390, "height": 800})
    page.wait_for_timeout(100)
    box = page.locator("#a-gloss-thermidor").bounding_box()
    page.context.close()
    assert box["y"] + box["height"] == pytest.approx(800, abs=2) and box["y"] > 250, box


def test_the_reader_chooses_the_density_and_it_is_kept(browser: Any, base: str) -> None:
    page = open_page(browser, base, 1280, 900)
    page.goto("essay.html#p15")
    menu = page.locator(".options-menu")
    menu.locator("summary").click()
    page.get_by_label("This paragraph’s").check()
    shown = page.evaluate("[...document.querySelectorAll('.annot-notes .annot')].filter(n => n.checkVisibility())"
                          ".map(n => n.closest('.edition-block').querySelector('p').id)")  # fmt: skip
    assert shown and len(set(shown)) == 1, shown
    page.get_by_label("None").check()
    page.reload()
    assert page.evaluate("document.querySelectorAll('.annot-notes .annot:not(.annot-open)').length") > 80
    assert page.evaluate("[...document.querySelectorAll('.annot-notes .annot')].filter(n => n.checkVisibility())"
                         ".length") == 0  # fmt: skip
    page.locator("#m-gloss-thermidor").click()  # a mark still opens its note
    assert page.locator("#a-gloss-thermidor").is_visible()
    page.context.close()
    assert page.errors == []


# ---- Phones: the first screen, the toolbar, no sideways scrolling ----


def test_the_first_screen_of_a_phone_shows_the_essays_text(browser: Any, base: str) -> None:
    page = open_page(browser, base, 360, 740)
    page.goto("essay.html")
    lines = reading(page, "EditionReading.firstScreenLines()")
    folded = page.locator(".options-menu").evaluate("m => !m.open && m.querySelector('summary').checkVisibility()")
    page.context.close()
    assert lines >= 3
    assert folded  # the layer controls are one toolbar button


def test_a_layer_switched_off_stays_off_after_reload(page: Any) -> None:
    page.goto("essay.html")
    page.locator(".options-menu summary").click()
    page.get_by_label("Glosses").uncheck()
    assert not page.locator("#m-gloss-thermidor").is_visible()
    page.reload()
    page.locator(".options-menu summary").click()
    assert page.get_by_label("Glosses").is_checked() is False
    assert not page.locator("#m-gloss-thermidor").is_visible()
    assert page.locator("#m-emendation-been-been").is_visible()
    page.get_by_role("button", name="Reading text only").click()
    assert not page.locator("#m-emendation-been-been").is_visible()
    assert not page.locator(".page-break").first.is_visible()
    page.keyboard.press("Escape")
    assert page.locator(".options-menu").evaluate("m => !m.open")


PAGES = [
    "index.html", "introduction.html", "essay.html", "timeline.html", "persons.html", "terms.html", "works.html",
    "bibliography.html", "about.html", "changes.html", "annotating.html", "contributors.html", "benchmarks.html",
    "genindex.html", "search.html",
]  # fmt: skip


@pytest.mark.parametrize("name", PAGES)
def test_no_horizontal_scrolling_on_a_phone(browser: Any, base: str, name: str) -> None:
    page = open_page(browser, base, 360, 740)
    page.goto(name)
    if name == "essay.html":
        page.locator("#m-gloss-thermidor").click()  # an open note must fit too
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    page.context.close()
    assert width[0] <= width[1], f"{name}: {width[0]}px of content in a {width[1]}px window"


@pytest.mark.parametrize("width", [360, 640, 800, 1024, 1100, 1280, 1600])
def test_paragraph_numbers_controls_and_page_numbers_stay_in_the_window(browser: Any, base: str, width: int) -> None:
    """In the margins where there is room for them, in the line of the text where there is not;
    never over the text or a sidenote."""
    page = open_page(browser, base, width, 900)
    page.goto("essay.html")
    page.wait_for_load_state("load")
    outside = page.evaluate(
        """() => [...document.querySelectorAll('.para-link, .cite-btn, .suggest-btn, .page-break-label')]
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.width > 0 && (r.left < 0 || r.right > document.documentElement.clientWidth))
                .map(([e, r]) => `${e.className} of ${e.closest('p').id}: ${r.left | 0}-${r.right | 0}`)"""
    )
    hidden = page.evaluate(  # on the first screen, each is what a click at its centre reaches (not clipped)
        """[...document.querySelectorAll('.para-link, .cite-btn, .suggest-btn, .page-break-label')]
            .filter(e => e.checkVisibility()).map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width > 0 && r.top > 50 && r.bottom < innerHeight)
            .filter(([e, r]) => !e.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)))
            .map(([e, r]) => `${e.className} of ${e.closest('p').id}`)"""
    )
    small = page.evaluate(
        """[...document.querySelectorAll('.para-link, .cite-btn, .suggest-btn')].filter(e => e.checkVisibility())
            .map(e => e.getBoundingClientRect()).filter(r => r.width < 24 || r.height < 24).length"""
    )
    page.context.close()
    assert outside == [], f"{len(outside)} outside a {width}px window, first: {outside[:3]}"
    assert hidden == [], hidden
    assert small == 0  # targets of at least 24 x 24 px (WCAG 2.5.8)


def test_a_paragraphs_controls_come_in_the_order_the_margin_shows(page: Any) -> None:
    """Number, Cite, Suggest: the order on screen is the order of the keyboard and of the line."""
    page.goto("essay.html")
    orders = page.evaluate(
        """[...document.querySelectorAll('p.edition-para')].map(p =>
            [...p.querySelectorAll('.para-link, .cite-btn, .suggest-btn')].map(e => e.className).join(' '))"""
    )
    assert orders and set(orders) == {"para-link cite-btn suggest-btn"}, set(orders)


# ---- The page's text is the essay's words ----


def test_a_passage_copied_across_marked_words_is_the_essays_words(page: Any) -> None:
    """The marks, the paragraph number, Cite, Suggest and the page number are drawn by CSS: a copy
    of a passage gives the essay's words (the text of this version), nothing else."""
    snapshot = load_trusted((ROOT / "source_texts" / "versions" / "1.0.yaml").read_text(encoding="utf-8"))
    for para, start, end in (("p15", "Those document how", "given complete independence"),
                             ("p17", "When, in the book,", "state' (p. 454-55)"),
                             ("p14", "While sometimes", "also wrote of the Trials")):  # fmt: skip
        words = str(snapshot[para])
        expected = words[words.index(start) : words.index(end) + len(end)]
        page.goto("essay.html")
        copied = page.evaluate(
            """([para, start, end]) => {
                const p = document.getElementById(para);
                const text = p.textContent, from = text.indexOf(start), to = text.indexOf(end) + end.length;
                const point = (offset) => {
                    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
                    for (let n = walker.nextNode(), seen = 0; n; seen += n.data.length, n = walker.nextNode())
                        if (offset <= seen + n.data.length) return [n, offset - seen];
                };
                const range = document.createRange();
                range.setStart(...point(from));
                range.setEnd(...point(to));
                getSelection().removeAllRanges();
                getSelection().addRange(range);
                document.execCommand('copy');
                return navigator.clipboard.readText();
            }""",
            [para, start, end],
        )
        assert copied == expected
        marked = page.evaluate(f"document.querySelectorAll('#{para} .annot-ref').length")
        assert marked >= 1  # the passage crosses at least one mark


def test_the_page_text_holds_no_interface_words(page: Any) -> None:
    page.goto("essay.html")
    text = page.evaluate("document.getElementById('p1').textContent")
    assert text.startswith("Ludwig von Mises's criticism") and "°" not in text and "Cite" not in text


# ---- Without script, in print ----


def test_without_script_every_note_reads_after_its_paragraph(browser: Any, base: str) -> None:
    page = open_page(browser, base, 1280, 900, java_script_enabled=False)
    page.goto("essay.html")
    after = page.evaluate(
        """[...document.querySelectorAll('.annot-notes .annot')].filter(n => {
            const note = n.getBoundingClientRect();
            const para = n.closest('.edition-block').querySelector('p').getBoundingClientRect();
            return n.checkVisibility() && note.top > para.bottom && note.left < para.right;
        }).length"""
    )
    total = page.evaluate("document.querySelectorAll('.annot-notes .annot').length")
    hidden = page.evaluate(
        "[...document.querySelectorAll('.cite-btn, .suggest-btn, .options-menu')]"
        ".filter(e => e.checkVisibility()).length"
    )
    page.context.close()
    assert after == total > 80
    assert hidden == 0  # controls that need the script are not offered without it


def test_print_turns_notes_into_footnotes_with_page_numbers_in_the_margin(page: Any) -> None:
    page.goto("essay.html")
    page.emulate_media(media="print")
    assert not page.locator("button[aria-controls='cite-p7']").is_visible()
    assert not page.locator(".options-menu").is_visible()
    assert page.locator("#a-gloss-thermidor").is_visible()  # notes print under their paragraph
    number = page.evaluate("getComputedStyle(document.querySelector('#p7 .para-link'), '::before').content")
    assert "¶" in number and "7" in number
    label = page.evaluate(
        """(() => { const l = document.querySelector('#page-4 .page-break-label').getBoundingClientRect();
                    const p = document.querySelector('#page-4').closest('p').getBoundingClientRect();
                    return [l.left, p.right]; })()"""
    )
    assert label[0] >= label[1] - 1  # page numbers in the margin
    after = page.evaluate("getComputedStyle(document.querySelector('.page a[href^=\"http\"]'), '::after').content")
    assert after.startswith('" <') and "http" in after


# ---- Citing ----


def test_copying_a_paragraph_citation_gives_its_permalink(page: Any, base: str) -> None:
    page.goto("essay.html")
    page.locator("button[aria-controls='cite-p7']").click()
    panel = page.locator("#cite-p7")
    assert panel.is_visible()
    assert page.evaluate("document.activeElement.id") == "cite-p7"

    def copy(name: str) -> str:  # once the button says the copy is done (the clipboard is asynchronous)
        button = panel.get_by_role("button", name=name)
        button.click()
        button.filter(has_text="Copied").wait_for()
        return str(page.evaluate("navigator.clipboard.readText()"))

    copied = copy("Copy Chicago for paragraph 7")
    assert copied.startswith("Thomas, Martin. (2018) 2026. “Four Missing Years")
    assert f"{base}essay.html#p7" in copied
    assert "para. 7" not in copied  # the reference alone: the in-text citation has its own button
    # Beside the plain text, HTML with the style's italics, for a word processor.
    html = page.evaluate(
        """async () => { const [item] = await navigator.clipboard.read();
                         return await (await item.getType("text/html")).text(); }"""
    )
    assert f"<i>{EDITION_TITLE}</i>" in html and "<i>Historical Materialism</i>" in html
    assert panel.locator("i").first.inner_text() == EDITION_TITLE  # and on screen
    assert copy("Copy Chicago, in the text for paragraph 7") == "(Thomas [2018] 2026, para. 7)"
    assert "UR  - " + f"{base}essay.html#p7" in copy("Copy RIS for paragraph 7")
    page.keyboard.press("Escape")
    assert page.locator("#cite-p7").count() == 0
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "cite-p7"


def test_the_title_block_names_the_essay_its_author_and_the_edition(page: Any) -> None:
    page.goto("index.html")
    block = page.locator(".title-block").inner_text()
    for words in ("Four Missing Years", "by Martin Thomas", "Historical Materialism", "Thomas M. Twiss",
                  "Edited by the editors", f"version {VERSION}", "Cite this edition", "How this is known"):  # fmt: skip
        assert words in block, words
    title = page.title()
    assert page.locator("h1").text_content() == title == page.locator(".masthead-title").text_content()
    page.goto("essay.html")
    assert page.locator("h1").inner_text().startswith("Four Missing Years")
    assert "by Martin Thomas" in page.locator(".title-block").inner_text()


def test_cite_this_edition_copies_a_style_with_its_italics(page: Any, base: str) -> None:
    page.goto("index.html")
    button = page.get_by_role("button", name="Copy the APA citation")
    button.click()
    button.filter(has_text="Copied").wait_for()
    plain = page.evaluate("navigator.clipboard.readText()")
    assert plain.startswith("Thomas, M. (") and f"{base}essay.html" in plain and "<" not in plain
    html = page.evaluate(
        """async () => { const [item] = await navigator.clipboard.read();
                         return await (await item.getType("text/html")).text(); }"""
    )
    assert f"<em>{EDITION_TITLE}</em>" in html and "<em>Historical Materialism</em>" in html


# ---- What each page loads, and axe-core on every page ----


@pytest.mark.parametrize("name", ["essay.html", "about.html", "search.html"])
def test_each_page_loads_only_what_it_uses_from_its_own_host(browser: Any, base: str, name: str) -> None:
    page = open_page(browser, base, 1280, 900)
    loaded: list[tuple[str, int]] = []
    page.on("response", lambda response: loaded.append((response.url, response.status)))
    page.goto(name)
    page.wait_for_load_state("load")
    page.context.close()
    files = sorted(url.removeprefix(base).split("?")[0] for url, _ in loaded)
    assert all(status == 200 for _, status in loaded), loaded  # no missing favicon or font
    assert all(url.startswith(base) for url, _ in loaded)
    assert page.errors == []
    scripts = [f for f in files if f.endswith(".js")]
    if name == "essay.html":
        assert scripts == ["_static/edition.js"]
        assert "_static/fonts/literata-400-normal.woff2" in files
    elif name == "search.html":
        assert "searchindex.js" in scripts and "_static/edition.js" not in scripts
    else:
        assert scripts == []
    assert not any("sphinx-design" in f or "pygments" in f for f in files)


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_axe_reports_no_violations(browser: Any, base: str, name: str, scheme: str) -> None:
    page = open_page(browser, base, 1280, 900, color_scheme=scheme, reduced_motion="reduce")
    page.goto(name)
    page.wait_for_load_state("load")
    if name == "essay.html":
        page.locator("button[aria-controls='cite-p3']").click()  # the cite panel is checked too
        page.locator("#a-gloss-thermidor").click()  # and an open sidenote
        page.locator(".options-menu summary").click()  # and the reading options
    violations = run_axe(page)
    page.context.close()
    assert violations == [], violations


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_reports_no_violations_on_a_phone_with_a_note_open(browser: Any, base: str, scheme: str) -> None:
    page = open_page(browser, base, 360, 740, color_scheme=scheme)
    page.goto("essay.html")
    page.locator("#m-gloss-mises").click()
    violations = run_axe(page)
    page.context.close()
    assert violations == [], violations


def test_search_finds_words_of_the_essay_and_of_the_annotations(page: Any) -> None:
    page.goto("search.html?q=Robespierre")
    page.wait_for_selector("#search-results .search li", timeout=10000)
    assert "essay.html" in page.locator("#search-results").inner_html()  # a word only in a gloss
    page.goto("search.html?q=trifurcation")
    page.wait_for_selector("#search-results .search li", timeout=10000)
    assert "essay.html" in page.locator("#search-results").inner_html()  # a word only in the essay


def test_a_search_result_opens_the_essay_at_the_paragraph_that_holds_the_words(page: Any) -> None:
    """Sphinx links a result to the page only; the essay goes on to the paragraph with the
    most of the words searched for, as a #pN address (the first screen when it holds none)."""
    page.goto("search.html?q=trifurcation")
    page.locator("#search-results .search li a[href^='essay.html']").first.click()
    page.wait_for_url("**/essay.html#p33")
    assert page.evaluate("document.querySelector(':target').id") == "p33"
    top = page.evaluate("document.getElementById('p33').getBoundingClientRect().top")
    assert -1 < top < 400  # at the top of the window (the masthead scrolls away at this width)
    page.goto("search.html?q=Robespierre")  # a word only in a gloss: no paragraph to go to
    page.locator("#search-results .search li a[href^='essay.html']").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("essay.html") and page.evaluate("window.scrollY") == 0
    page.goto("search.html?q=trifurcation")  # the words are left in storage ...
    page.wait_for_selector("#search-results .search li", timeout=10000)
    page.goto("essay.html")  # ... but a visit that does not come from the search page ignores them
    page.wait_for_load_state("load")
    assert page.url.endswith("essay.html") and page.evaluate("window.scrollY") == 0


def test_the_page_does_not_shift_while_it_loads(browser: Any, base: str) -> None:
    for width, height in ((360, 740), (1280, 900)):
        page = open_page(browser, base, width, height)
        page.add_init_script(
            "window.__shift = 0; new PerformanceObserver(l => { for (const e of l.getEntries()) "
            "if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift', buffered: true});"
        )
        page.goto("essay.html")
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        shift = page.evaluate("window.__shift")
        page.context.close()
        assert shift < 0.05, (width, shift)


# ---- Lighthouse, on the site served compressed as GitHub Pages serves it ----


def test_lighthouse_mobile_scores(edition_site: Built) -> None:
    """Performance at least 95, accessibility 100, layout shift under 0.05 (Lighthouse's
    simulated throttling; the best of up to three runs, as a busy machine slows a run)."""
    require_browser()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from measures.page import lighthouse, lighthouse_available, serve_compressed

    missing = lighthouse_available()
    if missing:
        pytest.fail(f"Lighthouse {missing}")
    results = []
    with serve_compressed(edition_site.outdir) as url:
        for _ in range(3):
            result = lighthouse(f"{url}essay.html", runs=1)
            results.append(result)
            if result.performance >= 95:
                break
    best = max(results, key=lambda r: r.performance)
    assert best.performance >= 95, [r.performance for r in results]
    assert best.accessibility == 100, best.failing
    assert best.cls < 0.05
