"""PLOVER files as published, from ``../shared/data/real/plover`` (see its README).

They are not copied into the repository (their owners' terms apply): the
tests skip with a reason when ``../shared`` is absent, and fail under CI.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

import conflictdata as cd

from .conftest import SHARED

REAL = SHARED / "data" / "real" / "plover"
GOLD_2016 = "plover-gsr-cameo-2016-12-15.json"
ICEWS = "icews-to-plover-sample-output.jsonl"
MINIMAL = "plover-manual-minimal-record.json"


def _real(name: str) -> Path:
    path = REAL / name
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must run with shared/ beside the clone")
        pytest.skip(f"{path} is absent (the real files live in ../shared)")
    return path


def _problems(path: Path) -> list[tuple[str, str | None]]:
    return [(p.code, p.location) for p in cd.validate_file(path, format="plover")]


def test_the_2016_gold_standard_keeps_every_coded_record() -> None:
    path = _real(GOLD_2016)
    raw = json.loads(path.read_text("utf-8"))
    # Its one problem: an id given twice, the second record kept under another id.
    assert _problems(path) == [("import.duplicate-id", "record 268, line 4592, member id")]
    dataset = cd.load(path, format="plover")
    assert len(raw) == len(dataset.events) == 317
    assert [e.identifiers["plover"] for e in dataset.events] == [r["id"] for r in raw]
    assert sorted(e.id for e in dataset.events if e.id.endswith("-2")) == [
        "plover-PLOVER-GSR01-SANCTION-0005-2"
    ]
    assert Counter(str(e.type) for e in dataset.events) == {
        "AGREE": 40,
        "REQUEST": 34,
        "ASSAULT": 34,
        "REJECT": 32,
        "THREATEN": 28,
        "PROTEST": 27,
        "RETREAT": 19,
        "COERCE": 16,
        "CONCEDE": 15,
        "ACCUSE": 15,
        "SANCTION": 14,
        "SUPPORT": 12,
        "CONSULT": 11,
        "AID": 10,
        "MOBILIZE": 6,
        "COOPERATE": 4,
    }
    drafts = Counter(
        (c.code, str(e.type))
        for e in dataset.events
        for c in e.classifications
        if c.scheme == "plover.draft"
    )
    assert drafts == {
        ("DEMAND", "REQUEST"): 34,
        ("FIGHT", "ASSAULT"): 18,
        ("DISAPPROVE", "ACCUSE"): 15,
        ("DIPLOMACY", "SUPPORT"): 12,
    }


def test_the_2016_gold_standard_actors_are_named_by_their_text() -> None:
    path = _real(GOLD_2016)
    raw = json.loads(path.read_text("utf-8"))
    dataset = cd.load(path, format="plover")
    entities = [
        (" ".join(entity["actorText"].split()), entity["code"].strip().upper())
        for record in raw
        for member in ("source", "target")
        if isinstance(record.get(member), list)
        for entity in record[member]
    ]
    assert len(entities) == sum(len(e.participants) for e in dataset.events) == 641
    # One actor per distinct name and code.
    assert sorted((a.name, a.identifiers["cameo"]) for a in dataset.actors) == sorted(
        set(entities)
    )
    assert len(dataset.actors) == 475
    igos = [a for a in dataset.actors if a.identifiers["cameo"] == "IGO"]
    assert len(igos) == 28
    assert {a.kind for a in igos} == {cd.ActorKind.INTERNATIONAL_ORGANIZATION}
    by_name = {a.name: a for a in dataset.actors}
    hungarian = by_name["Hungarian"]
    assert (hungarian.kind, hungarian.country) == (cd.ActorKind.GOVERNMENT, "HU")
    assert "Asia-Pacific Economic Cooperation" in by_name
    assert not {"HUN", "IGO"} & set(by_name)
    apec = dataset.get("plover-PLOVER-GSR01-AGREE-0002")
    assert isinstance(apec, cd.Event)
    names = {a.id: a.name for a in dataset.actors}
    assert [names[p.actor] for p in apec.participants] == [
        "Asia-Pacific Economic Cooperation",
        "Tokyo",
    ]


def test_the_2016_gold_standard_quotes_the_coded_sentence() -> None:
    path = _real(GOLD_2016)
    raw = json.loads(path.read_text("utf-8"))
    dataset = cd.load(path, format="plover")
    assert [e.citations[0].quote for e in dataset.events] == [r["text"].strip() for r in raw]
    assert [e.extensions["plover"]["eventText"] for e in dataset.events] == [
        r["eventText"] for r in raw
    ]


def test_the_icews_conversion_reads_its_pretty_printed_objects() -> None:
    path = _real(ICEWS)
    assert _problems(path) == []
    dataset = cd.load(path, format="plover")
    assert [(e.id, str(e.type)) for e in dataset.events] == [
        ("plover-35801475", "PROTEST"),
        ("plover-35800184", "PROTEST"),
        ("plover-35800894", "PROTEST"),
        ("plover-35800284", "PROTEST"),
    ]
    assert {(c.scheme, c.code) for e in dataset.events for c in e.classifications} == {
        ("cameo", "141")
    }
    # The records name no actors, only the protesters' identity (kept).
    assert dataset.actors == ()
    assert all("protesteridentity" in e.extensions["plover"] for e in dataset.events)
    raw = [
        json.loads(chunk)
        for chunk in path.read_text("utf-8").replace("}\n{", "}\n\x00{").split("\x00")
    ]
    assert [e.citations[0].quote for e in dataset.events] == [r["text"] for r in raw]
    assert [(e.location.name, e.location.country) for e in dataset.events if e.location] == [
        ("Kapan", "AM"),
        ("Bosnia", "BA"),
        ("Bihac", "BA"),
        ("Belarus", "BY"),
    ]


def test_the_manuals_minimal_record_is_read_with_a_warning() -> None:
    path = _real(MINIMAL)
    assert _problems(path) == [("import.unquoted-date", "line 3, member date")]
    [event] = cd.load(path, format="plover").events
    assert (event.id, event.type, str(event.when.start)) == (
        "plover-PHOXv1-20160724-0042",
        cd.EventType.CONSULT,
        "2016-07-24",
    )
    assert event.title == "CONSULT: USA - CAN"


@pytest.mark.parametrize("name", [GOLD_2016, ICEWS, MINIMAL])
def test_real_files_convert_to_tei_and_back(tmp_path: Path, name: str) -> None:
    path = _real(name)
    assert cd.validate_file(path, format="plover").ok
    target = tmp_path / "events.tei.xml"
    cd.convert(path, target, from_format="plover")
    assert cd.load(target) == cd.load(path, format="plover")
