"""PLOVER: hand-written records reproducing each variant found in published files.

``tests/data/plover-manual.jsonl`` follows the manual (snake_case,
``actor``/``recipient``, lists of entities, ``event_loc``, ``cite_info``,
``text_info``, a type of the 18-type draft); ``tests/data/plover-gold.json``
follows the gold-standard files (camelCase, ``source``/``target``, numbers as
strings, a ``DOCUMENT`` record); ``plover-gsr-2016.json`` the 2016 gold
standard (draft types, ``actorText``, the coded sentence in ``text``, a
repeated id); ``plover-icews.jsonl`` an ICEWS conversion (pretty-printed
objects, bare CAMEO codes, a list of places); ``plover-minimal.json`` the
manual's minimal record (its date not quoted).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

import conflictdata as cd
from conflictdata.formats import plover

from .test_tei import assert_valid_tei, needs_schema, tei_schema

__all__ = ["tei_schema"]  # the fixture, imported for the TEI test below

DATA = Path(__file__).parent / "data"
MANUAL = DATA / "plover-manual.jsonl"
GOLD = DATA / "plover-gold.json"
GSR_2016 = DATA / "plover-gsr-2016.json"
ICEWS = DATA / "plover-icews.jsonl"
MINIMAL = DATA / "plover-minimal.json"
FIXTURES = (MANUAL, GOLD, GSR_2016, ICEWS, MINIMAL)


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
        {"wikidata": "Q2638396", "cameo": "AZE"},
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
    assert [(c.scheme, c.code) for c in demand.classifications] == [("plover.draft", "DEMAND")]
    assert demand.contexts == ("war",)  # one context, not a list


def test_the_gold_standard_dialect_is_read_too() -> None:
    report = cd.validate_file(GOLD, format="plover")
    assert [(p.code, p.location) for p in report] == [("import.skipped", "record 1, line 2")]
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
    for path in FIXTURES:
        target = tmp_path / f"{path.stem}.tei.xml"
        cd.convert(path, target, from_format="plover")
        assert_valid_tei(etree.parse(str(target)), tei_schema)
        assert cd.load(target) == cd.load(path, format="plover")


def _problems(path: Path) -> list[tuple[str, str | None]]:
    return [(p.code, p.location) for p in cd.validate_file(path, format="plover")]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def test_a_document_record_is_skipped_in_every_path() -> None:
    # The record says "event": "DOCUMENT" and has a date: it used to be an
    # unknown event type, an error, when read whole and when streamed.
    assert json.loads(GOLD.read_text("utf-8"))[0]["event"] == "DOCUMENT"
    assert _problems(GOLD) == [("import.skipped", "record 1, line 2")]
    with cd.iter_records(GOLD, format="plover") as records:
        assert [r.id for r in records if isinstance(r, cd.Event)] == [
            "plover-0001-1",
            "plover-0001-2",
        ]


def test_draft_types_of_2016_map_to_current_ones() -> None:
    dataset = cd.load(GSR_2016, format="plover")
    assert [
        (str(e.type), [(c.scheme, c.code) for c in e.classifications]) for e in dataset.events
    ] == [
        ("SUPPORT", [("plover.draft", "DIPLOMACY")]),
        ("AGREE", []),
        ("ACCUSE", [("plover.draft", "DISAPPROVE")]),
        ("ASSAULT", [("plover.draft", "FIGHT")]),
        ("REQUEST", [("plover.draft", "DEMAND")]),
    ]
    assert plover.DRAFT_TYPES["DIPLOMACY"] is cd.EventType.SUPPORT


def test_actors_are_named_by_their_text_one_per_name_and_code() -> None:
    dataset = cd.load(GSR_2016, format="plover")
    assert [(a.name, a.kind, a.country, a.identifiers) for a in dataset.actors] == [
        ("Georgian", cd.ActorKind.GOVERNMENT, "GE", {"cameo": "GEO"}),
        ("Armenian", cd.ActorKind.GOVERNMENT, "AM", {"cameo": "ARM"}),
        (
            "Organization for Security and Co-operation in Europe",
            cd.ActorKind.INTERNATIONAL_ORGANIZATION,
            None,
            {"cameo": "IGO"},
        ),
        ("Yerevan", cd.ActorKind.OTHER, "AM", {"cameo": "ARM"}),
        ("Council of Europe", cd.ActorKind.INTERNATIONAL_ORGANIZATION, None, {"cameo": "IGO"}),
        ("Azerbaijani authorities", cd.ActorKind.GOVERNMENT, "AZ", {"cameo": "AZE"}),
        ("Armenian forces", cd.ActorKind.MILITARY, "AM", {"cameo": "ARM"}),
        ("Azerbaijani forces", cd.ActorKind.MILITARY, "AZ", {"cameo": "AZE"}),
    ]
    # "Georgian" acts in two records: one actor.
    support, *_, request = dataset.events
    assert support.participants[0].actor == request.participants[0].actor
    assert [(p.role, p.actor) for p in support.participants] == [
        (cd.Role.INITIATOR, "plover-georgian-879788e56a"),
        (cd.Role.INITIATOR, "plover-armenian-9e5716f2ea"),
    ]


def test_same_words_with_another_code_are_another_actor(tmp_path: Path) -> None:
    records = [
        {"id": f"r{n}", "date": "2000-01-01", "event": "AGREE", "source": [entity]}
        for n, entity in enumerate(
            [
                {"actorText": "officials", "code": "SDN"},
                {"actorText": "officials", "code": "SSD"},
                {"actorText": "officials", "code": "SDN"},
            ]
        )
    ]
    path = _write(tmp_path / "a.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    dataset = cd.load(path, format="plover")
    assert [(a.name, a.identifiers["cameo"]) for a in dataset.actors] == [
        ("officials", "SDN"),
        ("officials", "SSD"),
    ]


def test_the_coded_sentence_is_the_quote_and_event_text_is_kept() -> None:
    dataset = cd.load(GSR_2016, format="plover")
    raw = json.loads(GSR_2016.read_text("utf-8"))
    assert [e.citations[0].quote for e in dataset.events] == [r["text"].strip() for r in raw]
    support = dataset.events[0]
    kept = support.extensions["plover"]
    assert kept["eventText"] == "restored ties"
    # Trailing space: the quote is trimmed, so the sentence is kept as written.
    assert kept["text"] == raw[0]["text"]
    assert "text" not in dataset.events[1].extensions["plover"]
    [source] = [s for s in dataset.sources if s.id == support.citations[0].source]
    assert (source.title, source.kind, source.language) == (
        "Hand-written test records",
        cd.SourceKind.OTHER,
        "en",
    )


def test_a_repeated_id_keeps_both_records() -> None:
    assert _problems(GSR_2016) == [("import.duplicate-id", "record 5, line 73, member id")]
    dataset = cd.load(GSR_2016, format="plover")
    first, second = (e for e in dataset.events if e.identifiers["plover"] == "GSR-TEST-FIGHT-0001")
    assert (first.id, second.id) == ("plover-GSR-TEST-FIGHT-0001", "plover-GSR-TEST-FIGHT-0001-2")
    assert (first.type, second.type) == (cd.EventType.ASSAULT, cd.EventType.REQUEST)


def test_pretty_printed_objects_with_cameo_codes() -> None:
    # A CAMEO public statement (010) has no PLOVER type: skipped, and said so.
    assert _problems(ICEWS) == [("import.skipped", "line 47, member event")]
    dataset = cd.load(ICEWS, format="plover")
    assert [
        (e.id, str(e.type), [(c.scheme, c.code) for c in e.classifications])
        for e in dataset.events
    ] == [
        ("plover-90000001", "PROTEST", [("cameo", "141")]),
        ("plover-90000002", "CONSULT", [("cameo", "042")]),
        ("plover-90000003", "RETREAT", [("cameo", "0874")]),
        ("plover-90000005", "ASSAULT", [("cameo", "190")]),
    ]
    rally, visit, *_ = dataset.events
    assert rally.location == cd.Place(
        name="Goris", country="AM", admin1="Syunik", lat=39.5111, lon=46.3417
    )
    assert visit.location is not None
    assert (visit.location.name, visit.location.country) == ("Tbilisi", "GE")  # city "NULL"
    assert rally.citations[0].quote == (
        "Villagers rallied on the road to Goris on Saturday to protest the new checkpoint."
    )
    source = dataset.get(rally.citations[0].source)
    assert isinstance(source, cd.Source)
    assert (source.title, source.publisher, source.kind, source.language) == (
        "Villagers rally on the road to Goris",
        "Test Wire",
        cd.SourceKind.NEWS_ARTICLE,
        "en",
    )
    assert rally.extensions["plover"]["eventText"] == "Demonstrate or rally"


def test_the_manuals_minimal_record_reads_with_a_warning() -> None:
    report = cd.validate_file(MINIMAL, format="plover")
    [problem] = report
    assert (problem.code, problem.severity, problem.location) == (
        "import.unquoted-date",
        cd.Severity.WARNING,
        "line 3, member date",
    )
    assert "2020-09-27" in problem.message
    [event] = cd.load(MINIMAL, format="plover").events
    assert (str(event.when.start), event.type) == ("2020-09-27", cd.EventType.ASSAULT)
    assert event.title == "ASSAULT: AZE - ARM"


def test_a_date_inside_a_string_is_not_touched(tmp_path: Path) -> None:
    text = '{"id": "a", "date": 2020-01-02, "event": "AGREE", "text": "x: 2020-01-03, y"}\n'
    [event] = cd.load(_write(tmp_path / "a.jsonl", text), format="plover").events
    assert event.citations[0].quote == "x: 2020-01-03, y"
    assert str(event.when.start) == "2020-01-02"


def test_trailing_commas_are_ignored_with_a_warning(tmp_path: Path) -> None:
    record = (
        '{\n  "id": "r%d",\n  "date": "2000-01-01",\n  "event": "AGREE",\n  "comment": "",\n},\n'
    )
    text = record % 1 + record % 2
    path = _write(tmp_path / "x.txt", text)
    assert _problems(path) == [
        ("import.trailing-comma", "line 5"),
        ("import.trailing-comma", "line 11"),
    ]
    assert [e.id for e in cd.load(path, format="plover").events] == ["plover-r1", "plover-r2"]


def _manual_records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in MANUAL.read_text("utf-8").splitlines()]


FRAMINGS: dict[str, Callable[[list[dict[str, Any]]], str]] = {
    "one per line": lambda rs: "".join(json.dumps(r) + "\n" for r in rs),
    "pretty-printed": lambda rs: "".join(json.dumps(r, indent=2) + "\n" for r in rs),
    "comma-separated": lambda rs: ",\n".join(json.dumps(r, indent=4) for r in rs) + ",\n",
    "array": lambda rs: json.dumps(rs, indent=1),
    "one-line array": lambda rs: json.dumps(rs, indent=None),
    "wrapped": lambda rs: json.dumps({"events": rs}, indent=1),
}


@pytest.mark.parametrize("framing", FRAMINGS)
def test_every_framing_gives_the_same_events(tmp_path: Path, framing: str) -> None:
    path = _write(tmp_path / "x.json", FRAMINGS[framing](_manual_records()))
    assert _problems(path) == []
    assert cd.load(path, format="plover") == cd.load(MANUAL, format="plover")


def test_a_single_object_is_one_record(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.json", json.dumps(_manual_records()[0], indent=2))
    assert [e.id for e in cd.load(path, format="plover").events] == ["plover-AZE-2020-09-27-001"]


def test_a_bad_pretty_printed_record_is_located_and_the_others_kept(tmp_path: Path) -> None:
    records = [json.dumps(r, indent=2) for r in _manual_records()]
    lines = records[1].splitlines()
    lines[1] = lines[1].rstrip(",")  # a missing comma after the second record's id
    records[1] = "\n".join(lines)
    path = _write(tmp_path / "x.jsonl", "\n".join(records) + "\n")
    start = records[0].count("\n") + 2
    report = cd.validate_file(path, format="plover")
    assert [(p.code, p.location) for p in report] == [
        ("input.syntax", f"line {start + 2}, column 3"),
    ]
    with path.open("rb") as stream:
        assert len(plover.read(stream).data["events"]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"events": 5}', [("input.structure", "line 1, member events")]),
        ('{"foo": []}', [("input.structure", "line 1")]),
        ('{"events": []}', [("input.empty", "line 1")]),
        ("", [("input.empty", None)]),
        (" \n\n", [("input.empty", None)]),
        ("[]", [("input.empty", None)]),
        (
            '{"id": "a", "date": "2020-01-01", "event": "AGREE"}\n{"id": "b"',
            [
                ("input.syntax", "line 2"),
            ],
        ),
        (
            '{"id": "a", "date": "2020-01-01", "event": "AGREE"}\nnot json\n',
            [
                ("input.syntax", "line 2"),
            ],
        ),
    ],
)
def test_what_is_not_plover_is_refused(
    tmp_path: Path, text: str, expected: list[tuple[str, str | None]]
) -> None:
    path = _write(tmp_path / "x.json", text)
    assert _problems(path) == expected
    with pytest.raises(cd.DataValidationError):
        cd.load(path, format="plover")


@pytest.mark.parametrize("dead", [True, 2.5, "2.5", -1, "two", [1]])
def test_a_count_is_not_guessed(tmp_path: Path, dead: object) -> None:
    record = {"id": "a", "date": "2020-01-01", "event": "ASSAULT", "dead": dead}
    path = _write(tmp_path / "x.jsonl", json.dumps(record) + "\n")
    assert _problems(path) == [("input.cell", "line 1, member dead")]


@pytest.mark.parametrize(("dead", "best"), [(3, 3), ("3", 3), (3.0, 3), (0, 0)])
def test_a_whole_count_is_read(tmp_path: Path, dead: object, best: int) -> None:
    record = {"id": "a", "date": "2020-01-01", "event": "ASSAULT", "dead": dead}
    [event] = cd.load(
        _write(tmp_path / "x.jsonl", json.dumps(record) + "\n"), format="plover"
    ).events
    assert event.fatalities == cd.Fatalities(best=best)


@pytest.mark.parametrize("lat", [True, "north"])
def test_a_coordinate_is_not_guessed(tmp_path: Path, lat: object) -> None:
    record = {"id": "a", "date": "2020-01-01", "event": "AGREE",
              "event_loc": {"resolved_place": "Baku", "lat": lat, "lon": 49.8}}  # fmt: skip
    path = _write(tmp_path / "x.jsonl", json.dumps(record) + "\n")
    assert _problems(path) == [("input.cell", "line 1, member event_loc")]


@pytest.mark.parametrize("event", ["", " ", [], [""], "EXPLODE", "21", "4"])
def test_a_missing_or_unknown_event_type_is_located(tmp_path: Path, event: object) -> None:
    record = {"id": "a", "date": "2020-01-01", "event": event}
    path = _write(tmp_path / "x.jsonl", json.dumps(record) + "\n")
    assert _problems(path) == [("input.cell", "line 1, member event")]


def test_pretty_printed_records_stream(tmp_path: Path) -> None:
    record = _manual_records()[2]
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(3000):
            out.write(json.dumps({**record, "id": f"r{n}"}, indent=2) + "\n")
    with path.open("rb") as stream:
        kinds = (e[0] for e in plover.iter_items(stream) if isinstance(e, tuple))
        assert "event" in kinds
        # The first event came before the file was read to its end.
        assert stream.tell() < path.stat().st_size // 4
