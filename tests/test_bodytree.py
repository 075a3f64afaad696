"""Annotation bodies become docutils nodes straight from their checked tokens."""

from __future__ import annotations

from typing import Any

import pytest
from docutils import nodes
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from edition.annotation.markup import check_body, parse_body
from edition.sphinxext.body_nodes import body_nodes


def role(name: str, content: str, line: int) -> list[nodes.Node]:
    return [nodes.inline("", f"{name}={content}@{line}", classes=["role"])]


def local(target: str, words: list[nodes.Node]) -> nodes.Node:
    return nodes.reference("", "", *words, refid=target)


def render(text: str) -> str:
    made = body_nodes(parse_body(text), source="ann.yaml", line=10, role=role, local=local)
    return "".join(node.pformat("") for node in made).replace("\n", "|")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain words.", '<paragraph>|Plain words.|'),
        ("On *a* and **b**.", "<paragraph>|On |<emphasis>|a| and |<strong>|b|.|"),
        ("Code `x < y`.", "<paragraph>|Code |<literal>|x < y|.|"),
        ("One\ntwo", "<paragraph>|One||two|"),  # the line break is a "\n" text node
        ("- a\n- b", '<bullet_list bullet="-">|<list_item>|<paragraph>|a|<list_item>|<paragraph>|b|'),
        ("3. c\n4. d", '<enumerated_list enumtype="arabic" prefix="" start="3" suffix=".">|<list_item>|<paragraph>|c|'
                       '<list_item>|<paragraph>|d|'),
        ("> quoted", "<block_quote>|<paragraph>|quoted|"),
        ("[site](https://example.org/x)", '<paragraph>|<reference refuri="https://example.org/x">|site|'),
        ("[¶ 3](#p3) and [¶ 4](essay.html#p4)",
         '<paragraph>|<reference refid="p3">|¶ 3| and |<reference refid="p4">|¶ 4|'),
        ("See {para}`p2`.", '<paragraph>|See |<inline classes="role">|para=p2@10|.|'),
        ("a\nb {cite:p}`k1,k2`", '<paragraph>|a||b |<inline classes="role">|cite:p=k1,k2@11|'),
        ("First.\n\nSecond.", "<paragraph>|First.|<paragraph>|Second.|"),
        ("Source: https://example.org/a_b (seen).",
         '<paragraph>|Source: |<reference refuri="https://example.org/a_b">|https://example.org/a_b| (seen).|'),
        ("www.example.org, ftp://example.org/y, //example.org and a@example.org stay words",
         "<paragraph>|www.example.org, ftp://example.org/y, //example.org and a@example.org stay words|"),
    ],
)  # fmt: skip
def test_safe_subset_to_nodes(text: str, expected: str) -> None:
    assert not check_body(text)[0]
    assert render(text) == expected


def test_block_lines_count_from_the_body_line() -> None:
    made = body_nodes(parse_body("First.\n\nSecond."), source="ann.yaml", line=10, role=role, local=local)
    assert [(n.source, n.line) for n in made] == [("ann.yaml", 10), ("ann.yaml", 12)]


@pytest.mark.parametrize("text", ["# Heading", "<b>x</b>", "![x](https://example.org/i.png)", "```{raw} html\nx\n```"])
def test_anything_outside_the_subset_is_refused(text: str) -> None:
    assert check_body(text)[0]  # withheld before it could get here; and if it did:
    with pytest.raises(ValueError, match="outside the safe subset"):
        body_nodes(parse_body(text), source="ann.yaml", line=1, role=role, local=local)


@pytest.mark.parametrize(
    ("href", "problem"),
    [
        ("https://example.org/a", ""),
        ("mailto:editors@example.org", ""),
        ("#p3", ""),
        ("essay.html#p3", ""),
        ("about.html", "leads nowhere in the edition"),
        ("../docs/essay.md", "leads nowhere in the edition"),
        ("#top", "leads nowhere in the edition"),
        ("javascript:alert(1)", "unsafe link"),
        ("//example.org/x", "unsafe link"),
    ],
)
def test_links_go_to_a_paragraph_or_a_full_address(href: str, problem: str) -> None:
    found = [p.message for p in check_body(f"[words]({href})")[0]]
    assert len(found) == (1 if problem else 0), found
    assert all(problem in message for message in found)


def _tokens(tokens: Any) -> list[Any]:
    return [
        (
            t.type,
            t.tag,
            t.content,
            t.markup,
            t.info,
            sorted((t.attrs or {}).items()),
            t.map,
            t.meta,
            _tokens(t.children or []),
        )
        for t in tokens
    ]


@settings(max_examples=examples(1000), deadline=None)
@given(st.text("ab :/.-_*[](){}`<>htps\n\\&#;@w", max_size=80).filter(lambda text: "://" not in text))
def test_without_a_written_out_address_linkify_changes_nothing(text: str) -> None:
    """Bodies without "://" are parsed without linkify, which could only link such an address."""
    from edition.annotation.markup import _LINKING, _PARSER

    assert _tokens(_PARSER.parse(text)) == _tokens(_LINKING.parse(text))
