"""``anchors.json``: every paragraph id ever published, its status, opening words and URL."""

from __future__ import annotations

import json

from .model import EditionData


def anchors_json(data: EditionData, page: str) -> str:
    """``page``: the essay's page, absolute or relative to the downloads folder."""
    entries = []
    for entry in sorted(data.ledger.entries, key=lambda e: (int("".join(c for c in e.id if c.isdigit())), e.id)):
        item = {
            "id": entry.id,
            "status": entry.status,
            "opening": entry.opening,
            "url": f"{page}#{entry.id}",
            "since": entry.since,
        }
        if entry.status != "active":
            item["resolves_to"] = data.ledger.resolve(entry.id) or ""
            item["target"] = entry.target
        entries.append(item)
    document = {
        "edition": data.info.title,
        "version": data.info.version,
        "contract": "Ids are never renumbered or reused; aliases and retired ids keep resolving.",
        "anchors": entries,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
