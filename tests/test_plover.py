"""PLOVER: records written from the manual's field list, in both dialects.

``tests/data/plover-manual.jsonl`` follows the manual (snake_case,
``actor``/``recipient``, lists of entities, ``event_loc``, ``cite_info``,
``text_info``, a type of the 18-type draft); ``tests/data/plover-gold.json``
follows the published gold-standard files (camelCase, ``source``/``target``,
numbers as strings, a record that describes the document).
"""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

import conflictdata as cd
from conflictdata.formats import plover

from .test_tei import assert_valid_tei, needs_schema, tei_schema

__all__ = ["tei_schema"]  # the fixture, imported for the TEI test below

DATA = Path(__file__).parent / "data"
MANUAL = DATA / "plover-manual.jsonl"
GOLD = DATA / "plover-gold.json"


def test_the_manual_dialect_maps_as_documented() -> None:
    assert list(cd.validate_file(MANUAL, format="plover")) == []
    dataset = cd.load(MANUAL, format="plover")
    offensive = dataset.get("plover-AZE-2020-09-27-001")
    assert isinstance(offensive, cd.Event)
    assert (offensive.type, offensive.mode, offensive.contexts) == (
        cd.EventType.ASSAULT,
        "heavy-weapons",
        ("territory",),
    )
    assert [(p.actor, p.role) for p in offensive.participants] == [
        ("plover-wd-Q2638396", cd.Role.INITIATOR),
        ("plover-armenian-forces-d208b97450", cd.Role.TARGET),
    ]
    forces = dataset.get("plover-wd-Q2638396")
    assert isinstance(forces, cd.Actor)
    assert (forces.kind, forces.country, forces.identifiers) == (
        cd.ActorKind.MILITARY,
        "AZ",
        {"wikidata": "Q2638396"},
    )
    [citation] = offensive.citations
    assert citation.quote is not None
    assert citation.quote.startswith("When wide-scale fighting broke out")
    assert citation.locator == "characters 0-124"
    source = dataset.get(citation.source)
    assert isinstance(source, cd.Source)
    assert (source.title, source.publisher, source.language) == (
        "New Armenia-Azerbaijan Fighting a Long Time in the Making",
        "Eurasianet",
        "en",
    )
    assert offensive.location == cd.Place(
        name="Nagorno-Karabakh",
        country="AZ",
        admin1="Nagorno-Karabakh",
        lat=39.8,
        lon=46.75,
        precision="admin1",
    )
    kept = offensive.extensions["plover"]
    assert (kept["quad_code"], kept["coder"], kept["time"]) == (4, "analyst", "06:00")


def test_draft_types_map_to_current_ones_and_are_kept() -> None:
    dataset = cd.load(MANUAL, format="plover")
    demand = dataset.get("plover-AZE-2020-07-001")
    assert isinstance(demand, cd.Event)
    assert demand.type is cd.EventType.REQUEST
    assert [(c.scheme, c.code) for c in demand.classifications] == [("plover.event", "DEMAND")]
    assert demand.contexts == ("war",)  # one context, not a list


def test_the_gold_standard_dialect_is_read_too() -> None:
    report = cd.validate_file(GOLD, format="plover")
    assert [(p.code, p.location) for p in report] == [("import.skipped", "record 1")]
    dataset = cd.load(GOLD, format="plover")
    assert [e.id for e in dataset.events] == ["plover-0001-1", "plover-0001-2"]
    claim, fight = dataset.events
    assert [p.actor for p in claim.participants] == ["plover-wd-Q6160", "plover-wd-Q399"]
    assert claim.location is not None
    assert (claim.location.geonames_id, claim.location.lat, claim.location.precision) == (
        587084,
        40.37767,
        cd.PlacePrecision.EXACT,
    )
    assert claim.citations[0].locator == "characters 1024-1160"
    assert (fight.type, fight.mode) == (cd.EventType.ASSAULT, "heavy-weapons")
    assert fight.fatalities == cd.Fatalities(best=1)  # "dead": "1"


def test_bad_records_are_named_and_the_others_read(tmp_path: Path) -> None:
    records = [json.loads(line) for line in MANUAL.read_text("utf-8").splitlines()]
    records[0]["event"] = ["EXPLODE"]
    records[1]["date"] = "16/07/2020"
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + "[1]\n", "utf-8")
    report = cd.validate_file(path, format="plover")
    assert [(p.code, p.location) for p in report] == [
        ("input.cell", "line 1, member event"),
        ("input.cell", "line 2, member date"),
        ("input.record-type", "line 4"),
    ]
    with path.open("rb") as stream:
        assert len(plover.read(stream).data["events"]) == 1


def test_records_stream(tmp_path: Path) -> None:
    with cd.iter_records(MANUAL, format="plover") as records:
        events = [r for r in records if isinstance(r, cd.Event)]
    assert len(events) == 3


@needs_schema
def test_plover_converts_to_valid_tei(tmp_path: Path, tei_schema: etree.RelaxNG) -> None:
    for path in (MANUAL, GOLD):
        target = tmp_path / f"{path.stem}.tei.xml"
        cd.convert(path, target, from_format="plover")
        assert_valid_tei(etree.parse(str(target)), tei_schema)
        assert cd.load(target) == cd.load(path, format="plover")
