"""Share pages and the sitemap.

A link to ``essay.html#p7`` shared on the web shows the essay's card, since crawlers drop
the fragment; ``p/p7.html`` carries paragraph 7's own title and opening words (OpenGraph
and Twitter card) and sends the reader on to ``essay.html#p7``.
"""

from __future__ import annotations

import html
from xml.sax.saxutils import escape

from ..core.ledger import paragraph_label
from ..core.textnorm import opening_words
from .model import EditionData


def share_pages(data: EditionData, base: str, essay_page: str) -> dict[str, str]:
    pages = {}
    for ident, para in zip(data.ids, data.paragraphs, strict=True):
        target = f"{base}{essay_page}#{ident}" if base else f"../{essay_page}#{ident}"
        title = f"{paragraph_label(ident)} of {data.info.essay.get('title', '')}"
        words = opening_words(para.text, 30) + " …"
        canonical = f'<link rel="canonical" href="{html.escape(target)}">\n' if base else ""
        pages[f"{ident}.html"] = (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{html.escape(title)}</title>\n"
            f'<meta name="description" content="{html.escape(words)}">\n'
            f'<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{html.escape(title)}">\n'
            f'<meta property="og:description" content="{html.escape(words)}">\n'
            f'<meta property="og:site_name" content="{html.escape(data.info.title)}">\n'
            + (f'<meta property="og:url" content="{html.escape(target)}">\n' if base else "")
            + '<meta name="twitter:card" content="summary">\n'
            f'<meta name="twitter:title" content="{html.escape(title)}">\n'
            f'<meta name="twitter:description" content="{html.escape(words)}">\n'
            f"{canonical}"
            f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">\n'
            "</head>\n<body>\n"
            f'<p><a href="{html.escape(target)}">{html.escape(title)}</a>: {html.escape(words)}</p>\n'
            "</body>\n</html>\n"
        )
    return pages


def sitemap(site_url: str, pages: list[str]) -> str:
    urls = "".join(f"  <url><loc>{escape(site_url + page)}</loc></url>\n" for page in pages)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )
