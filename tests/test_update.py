"""Update from a newer export: replaced by source identifier, added, deleted into tombstones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import conflictdata as cd

from .conftest import ROOT, shared_path

DELETIONS = ROOT / "tests" / "data" / "acled-deletions.csv"
ACLED = ("data", "real", "acled", "acled-burkina-faso-2020.csv")


def _event(ident: str, *, fatalities: int = 0, **fields: Any) -> dict[str, Any]:
    """An event as the ACLED importer makes it (id from ``event_id_cnty``)."""
    return {
        "id": f"acled-{ident}",
        "type": "ASSAULT",
        "title": f"Attack {ident}",
        "when": {"start": "2020-12-02"},
        "participants": [{"actor": "act-jnim", "role": "initiator"}],
        "fatalities": {"best": fatalities},
        "status": "reported",
        "citations": [{"source": "src-acled", "stance": "reports"}],
        "identifiers": {"acled": ident},
        **fields,
    }


def _export(*events: dict[str, Any], actors: tuple[str, ...] = ("act-jnim",)) -> dict[str, Any]:
    return {
        "schema_version": "1.1",
        "metadata": {"title": "ACLED export"},
        "sources": [{"id": "src-acled", "kind": "dataset", "title": "ACLED"}],
        "actors": [{"id": a, "kind": "armed_group", "name": a} for a in actors],
        "events": list(events),
    }


def test_newer_events_replace_and_add_and_deletions_become_tombstones() -> None:
    base = _export(_event("BFO1"), _event("BFO2"), _event("BFO3"))
    newer = _export(_event("BFO2", fatalities=3), _event("BFO4"), actors=("act-jnim", "act-isgs"))
    updated = cd.update(base, newer, deletions=DELETIONS)
    assert [(e.id, e.fatalities and e.fatalities.best) for e in updated.events] == [
        ("acled-BFO1", 0),
        ("acled-BFO2", 3),
        ("acled-BFO4", 0),
    ]
    assert [a.id for a in updated.actors] == ["act-jnim", "act-isgs"]
    # BFO9 is in the deletions file but not in the dataset: nothing to withdraw.
    assert updated.deleted == (
        cd.Tombstone(
            id="acled-BFO3", deleted="2020-12-07T21:03:19Z", identifiers={"acled": "BFO3"}
        ),
    )
    changes = cd.update_changes(base, newer, deletions=DELETIONS)
    assert changes.summary().splitlines() == [
        "actor: 1 added, 0 removed, 0 changed",
        "event: 1 added, 1 removed, 1 changed",
        "tombstone: 1 added, 0 removed, 0 changed",
        "+ actor act-isgs",
        "+ event acled-BFO4",
        "+ tombstone acled-BFO3",
        "- event acled-BFO3",
        "~ event acled-BFO2: /fatalities/best 0 -> 3",
    ]
    assert cd.patch(base, changes) == updated


def test_the_replacement_keeps_the_older_id_and_links_follow() -> None:
    base = _export(_event("BFO1"), _event("BFO2"))
    renamed = _event("BFO2", id="evt-bfo2")
    follower = _event("BFO5", related=[{"event": "evt-bfo2", "relation": "response_to"}])
    updated = cd.update(base, _export(renamed, follower))
    assert [e.id for e in updated.events] == ["acled-BFO1", "acled-BFO2", "acled-BFO5"]
    assert updated.events[2].related[0].event == "acled-BFO2"


def test_relations_to_a_deleted_event_are_dropped() -> None:
    follower = _event("BFO5", related=[{"event": "acled-BFO3", "relation": "response_to"}])
    base = _export(_event("BFO3"), follower)
    updated = cd.update(base, _export(), deletions={"BFO3": 1607374999})
    assert [e.id for e in updated.events] == ["acled-BFO5"]
    assert updated.events[0].related == ()
    assert [s.id for s in updated.deleted] == ["acled-BFO3"]


def test_an_event_that_comes_back_loses_its_tombstone() -> None:
    base = _export(_event("BFO1"))
    base["deleted"] = [
        {"id": "acled-BFO3", "deleted": "2020-12", "identifiers": {"acled": "BFO3"}}
    ]
    updated = cd.update(base, _export(_event("BFO3")))
    assert [e.id for e in updated.events] == ["acled-BFO1", "acled-BFO3"]
    assert updated.deleted == ()


def test_identifiers_alone_are_deleted_today() -> None:
    updated = cd.update(_export(_event("BFO1"), _event("BFO2")), _export(), deletions=["BFO1"])
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    assert [(s.id, s.deleted) for s in updated.deleted] == [("acled-BFO1", today)]


def test_the_key_is_the_scheme_the_newer_events_carry() -> None:
    def ucdp(number: str, **fields: Any) -> dict[str, Any]:
        ids = {"ucdp.ged": number, "ucdp.relid": f"REL-{number}"}
        return {**_event(number, **fields), "id": f"ucdp-{number}", "identifiers": ids}

    base = _export(ucdp("1"), ucdp("2"))
    # The final release renumbers records; the GED id stays.
    newer = _export({**ucdp("2", fatalities=4), "id": "ucdp-final-2"})
    updated = cd.update(base, newer)
    assert [(e.id, e.fatalities and e.fatalities.best) for e in updated.events] == [
        ("ucdp-1", 0),
        ("ucdp-2", 4),
    ]
    # Asked to match by the relid, the same record is matched.
    assert cd.update(base, newer, key="ucdp.relid") == updated


def test_events_without_a_shared_scheme_are_matched_by_id() -> None:
    base = _export({**_event("BFO1"), "identifiers": {}})
    newer = _export({**_event("BFO1", fatalities=2), "identifiers": {}})
    assert [e.fatalities for e in cd.update(base, newer).events] == [cd.Fatalities(best=2)]


def test_an_ambiguous_key_or_a_repeated_identifier_is_refused() -> None:
    two = {"a": "1", "b": "2"}
    with pytest.raises(cd.ChangesError, match="pass key="):
        cd.update(_export(), _export({**_event("BFO1"), "identifiers": two}))
    twice = _export(_event("BFO1"), {**_event("BFO1"), "id": "acled-BFO1-again"})
    with pytest.raises(cd.ChangesError, match="two events with acled 'BFO1'"):
        cd.update(_export(), twice)


def test_a_deletions_file_in_another_layout_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("event_id,deleted\nBFO1,1\n", "utf-8")
    with pytest.raises(cd.InputError) as caught:
        cd.update(_export(_event("BFO1")), _export(), deletions=wrong)
    assert caught.value.code == "input.header"
    bad = tmp_path / "bad.csv"
    # A byte-order mark, as spreadsheets write, is fine; a date in words is not.
    bad.write_text("\ufeffevent_id_cnty,deleted_timestamp\nBFO1,1607374999\nBFO2,yesterday\n")
    with pytest.raises(cd.InputError) as caught:
        cd.update(_export(_event("BFO1")), _export(), deletions=bad)
    assert (caught.value.code, caught.value.location) == ("input.cell", f"{bad}, line 3")


def test_an_update_never_changes_its_inputs(tmp_path: Path) -> None:
    base = _export(_event("BFO1"), _event("BFO2"))
    path = tmp_path / "base.json"
    cd.dump(cd.from_dict(cd.Dataset, base), path)
    before = path.read_bytes()
    updated = cd.update(path, _export(_event("BFO2", fatalities=1)), deletions=DELETIONS)
    assert path.read_bytes() == before
    assert [e.id for e in updated.events] == ["acled-BFO1", "acled-BFO2"]


@pytest.fixture(scope="module")
def acled_export() -> dict[str, Any]:
    """The real ACLED file as a plain document."""
    document: dict[str, Any] = cd.to_dict(cd.load(shared_path(*ACLED), format="acled"))
    return document


def _subset(document: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """An export of ``events`` with the actors and sources they name."""
    actors = {p["actor"] for e in events for p in e["participants"]}
    sources = {c["source"] for e in events for c in e["citations"]}
    return {
        **{k: v for k, v in document.items() if k not in ("sources", "actors", "events")},
        "sources": [s for s in document["sources"] if s["id"] in sources],
        "actors": [a for a in document["actors"] if a["id"] in actors],
        "events": events,
    }


def test_a_real_acled_export_updated_from_a_newer_one(
    acled_export: dict[str, Any], tmp_path: Path
) -> None:
    events = acled_export["events"]
    assert len(events) == 3010
    # The old export: the first 2,000 events, of which the last 500 were
    # revised since (here: their first version had another title).
    first_versions = [{**e, "title": e["title"] + " (first report)"} for e in events[1500:2000]]
    old = _subset(acled_export, events[:1500] + first_versions)
    # The newer export: what changed since (the revised 500 and 1,010 new).
    newer = _subset(acled_export, events[1500:])
    withdrawn = [e["identifiers"]["acled"] for e in events[100:110] + events[2500:2505]]
    deletions = tmp_path / "deletions.csv"
    rows = [f"{ident},{1609459200 + i}" for i, ident in enumerate([*withdrawn, "BFO999999"])]
    deletions.write_text("event_id_cnty,deleted_timestamp\n" + "\n".join(rows) + "\n", "utf-8")

    updated = cd.update(old, newer, deletions=deletions)

    gone = {f"acled-{ident}" for ident in withdrawn}
    expected = [e["id"] for e in events if e["id"] not in gone]
    assert [e.id for e in updated.events] == expected
    assert [e.title for e in updated.events[1490:1500]] == [e["title"] for e in events[1500:1510]]
    assert [(s.id, s.identifiers["acled"]) for s in updated.deleted] == [
        (f"acled-{ident}", ident) for ident in withdrawn
    ]
    assert updated.deleted[0].deleted == "2021-01-01T00:00:00Z"
    assert {a.id for a in updated.actors} == {a["id"] for a in acled_export["actors"]}
    changes = cd.update_changes(old, newer, deletions=deletions)

    def count(records: tuple[Any, ...], kind: str) -> int:
        return sum(1 for r in records if r.kind == kind)

    new_actors = {a["id"] for a in newer["actors"]} - {a["id"] for a in old["actors"]}
    assert [
        (
            kind,
            count(changes.added, kind),
            count(changes.removed, kind),
            count(changes.changed, kind),
        )
        for kind in ("actor", "event", "tombstone")
    ] == [("actor", len(new_actors), 0, 0), ("event", 1005, 10, 500), ("tombstone", 15, 0, 0)]
    assert {op.pointer for c in changes.changed if c.kind == "event" for op in c.operations} == {
        "/title"
    }
    assert cd.patch(old, changes) == updated
