"""Synthetic but realistic datasets for the benchmarks (about 20 fields per event)."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

EVENT_TYPES = ["ASSAULT", "PROTEST", "ACCUSE", "MOBILIZE", "COERCE", "REQUEST"]
STATUSES = ["confirmed", "reported", "unconfirmed", "disputed"]


def dataset(events: int, *, seed: int = 2020) -> dict[str, Any]:
    """A valid dataset document with ``events`` events, 200 actors and 50 sources."""
    rng = random.Random(seed)
    return {
        "schema_version": "1.0",
        "metadata": {"title": "Benchmark", "license": "CC0-1.0"},
        "sources": sources(),
        "actors": actors(),
        "events": [event(i, rng) for i in range(events)],
    }


def sources() -> list[dict[str, Any]]:
    """50 sources."""
    rng = random.Random(50)
    return [
        {
            "id": f"src-{i}",
            "kind": "news_article",
            "title": f"Report number {i} on the fighting",
            "publisher": "Eurasianet",
            "published": f"2020-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "url": f"https://example.org/articles/{i}",
            "language": "en",
        }
        for i in range(50)
    ]


def actors() -> list[dict[str, Any]]:
    """200 actors with names in two other scripts."""
    return [
        {
            "id": f"act-{i}",
            "kind": "armed_group",
            "name": f"Group {i}",
            "names": {"az": f"Qrup {i}", "ru": f"Группа {i}"},
            "country": "AZ",
        }
        for i in range(200)
    ]


def event(i: int, rng: random.Random) -> dict[str, Any]:
    """One event of about 20 fields, nested like real coded events."""
    month = rng.randint(1, 12)
    low = rng.randint(0, 5)
    return {
        "id": f"evt-{i}",
        "type": rng.choice(EVENT_TYPES),
        "mode": "firearms",
        "title": f"Clash number {i} near the line of contact",
        "description": "Shelling of positions along the line of contact, as reported.",
        "when": {"start": f"2020-{month:02d}-{rng.randint(1, 28):02d}"},
        "location": {
            "name": "Tovuz",
            "country": "AZ",
            "admin1": "Tovuz District",
            "lat": 40.99 + rng.random(),
            "lon": 45.62 + rng.random(),
            "precision": "exact",
            "geonames_id": 585103,
        },
        "participants": [
            {"actor": f"act-{rng.randrange(200)}", "role": "initiator"},
            {"actor": f"act-{rng.randrange(200)}", "role": "target"},
        ],
        "fatalities": {"best": low + 1, "low": low, "high": low + 3},
        "status": rng.choice(STATUSES),
        "citations": [
            {
                "source": f"src-{rng.randrange(50)}",
                "quote": "Both sides blamed the other for starting the fighting",
                "stance": "reports",
            }
        ],
        "classifications": [{"scheme": "acled.event_type", "code": "Battles"}],
        "identifiers": {"acled": f"AZE{i}"},
        "tags": ["border"],
    }


def events(count: int, *, seed: int = 2020) -> Iterator[dict[str, Any]]:
    """``count`` generated events, one at a time."""
    rng = random.Random(seed)
    for i in range(count):
        yield event(i, rng)


def write_jsonl(path: Path, records: Iterable[dict[str, Any]], *, version: str = "1.0") -> None:
    """A JSON Lines file: its header, the sources and actors, then ``records`` as events.

    Written line by line, so that inputs of a million events need no memory.
    """
    with path.open("w", encoding="utf-8") as out:
        header = {"schema_version": version, "metadata": {"title": "Benchmark"}}
        out.write(json.dumps({"record": "dataset", **header}) + "\n")
        for kind, each in (("source", sources()), ("actor", actors()), ("event", records)):
            for record in each:
                out.write(json.dumps({"record": kind, **record}, ensure_ascii=False) + "\n")
