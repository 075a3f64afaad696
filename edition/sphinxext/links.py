"""Links between paragraphs, annotations and the bibliography.

``{para}`p12``` and ``{ann}`gloss-nep``` in pages and annotation bodies, a crossref's target
and a note's link to the Bibliography page are :class:`pending_target` nodes until every
document is read; at ``doctree-resolved`` each becomes a link (or its words, if what it names
does not exist: ``check`` reports it). sphinxcontrib-bibtex's ``{cite}`` roles are replaced by
ones that refuse what they cannot parse with a located warning instead of a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.domain import BibtexDomain
from sphinxcontrib.bibtex.foot_domain import BibtexFootDomain
from sphinxcontrib.bibtex.foot_roles import FootCiteRole
from sphinxcontrib.bibtex.roles import CiteRole

from ..core.ledger import paragraph_label
from ..core.textnorm import opening_words
from .config import from_sphinx
from .domain import EditionDomain
from .incremental import writes
from .typed_warnings import Warn, warn
from .visitors import add_node, keep

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class pending_target(nodes.Inline, nodes.Element):
    """A link to a paragraph, an annotation or a bibliography entry, resolved when all documents are read."""


def para_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None):
    writes(inliner.document.settings.env, "links")
    return [pending_target(kind="paragraph", target=text.strip(), short=True)], []


def ann_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None):
    writes(inliner.document.settings.env, "links")
    return [pending_target(kind="annotation", target=text.strip())], []


def resolve(app: Sphinx, fromdocname: str, kind: str, target: str, short: bool = False) -> tuple[str | None, str]:
    """The link (relative to ``fromdocname``) and words for a paragraph, an annotation or a
    bibliography entry; no link if it does not exist (``check`` reports it)."""
    domain = cast(EditionDomain, app.env.get_domain("edition"))
    builder = app.builder
    if kind == "paragraph" and target in domain.paragraphs:
        info = domain.paragraphs[target]
        text = paragraph_label(target)
        if not short:
            text += f" (‘{opening_words(info['text'], 9)} …’)"
        return builder.get_relative_uri(fromdocname, info["docname"]) + f"#{target}", text
    if kind == "annotation" and target in domain.annotations:
        info = domain.annotations[target]
        return builder.get_relative_uri(fromdocname, info["docname"]) + f"#a-{target}", info["label"]
    bib_doc = from_sphinx(app.config).bibliography_doc
    if kind == "bib" and bib_doc in app.env.found_docs:
        return builder.get_relative_uri(fromdocname, bib_doc) + "#" + nodes.make_id(f"cite-{target}"), "Bibliography"
    return None, target


def _resolve(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    for node in list(doctree.findall(pending_target)):
        kind = node["kind"]
        uri, text = resolve(app, fromdocname, kind, node["target"], bool(node.get("short")))
        replacement: nodes.Node
        if node.get("explicit"):  # [words](#p12): the author's words, linked if the paragraph exists
            words = list(node.children)
            replacement = (
                nodes.reference("", "", *words, refuri=uri, classes=[f"edition-{kind}-ref"])
                if uri
                else nodes.inline("", "", *words)
            )
        elif uri:
            replacement = nodes.reference("", text, refuri=uri, classes=[f"edition-{kind}-ref"])
        else:
            replacement = nodes.Text(text)
        node.replace_self(replacement)


def _checked(role_class: type) -> type:
    """sphinxcontrib-bibtex's role, refusing what it cannot parse (``{cite:p}`a b```, an
    empty key) with a located warning instead of stopping the build with a traceback."""

    class Checked(role_class):
        def result_nodes(self, document: Any, env: Any, node: Any, is_ref: bool) -> Any:
            try:
                list(parse_citation_targets(self.target))
            except ValueError:
                message = f"{self.rawtext[:60]!r} is not a list of bibliography keys separated by commas"
                warn(message, Warn.REF, location=(env.docname, self.lineno))
                return [nodes.literal(self.rawtext, self.rawtext)], []
            return super().result_nodes(document, env, node, is_ref)

    return Checked


def _check_cite_roles(app: Sphinx) -> None:
    if "sphinxcontrib.bibtex" not in app.extensions:
        return
    for name, role_class, domain in (("cite", CiteRole, BibtexDomain), ("footcite", FootCiteRole, BibtexFootDomain)):
        checked = _checked(role_class)
        app.add_role(name, checked(), override=True)
        for role in domain.roles:
            app.add_role_to_domain(name, role, checked(), override=True)


def setup_links(app: Sphinx) -> None:
    add_node(app, pending_target, html=(keep, keep))
    app.add_role("para", para_role)
    app.add_role("ann", ann_role)
    app.connect("config-inited", lambda app, config: _check_cite_roles(app))
    app.connect("doctree-resolved", _resolve)
