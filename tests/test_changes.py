"""Diff and patch: patch(a, diff(a, b)) == b, keyed by id, in memory and streamed from files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import conflictdata as cd
from conflictdata._changes import ABSENT, FORMAT, Operation

from . import strategies as cst

Record = cd.Source | cd.Actor | cd.Event


def _references(dataset: cd.Dataset) -> set[str]:
    """Every id some record of ``dataset`` refers to."""
    found: set[str] = set()
    for actor in dataset.actors:
        found.update(a.actor for a in actor.affiliations)
    for event in dataset.events:
        found.update(p.actor for p in event.participants)
        found.update(c.source for c in event.citations)
        found.update(c.attributed_to for c in event.citations if c.attributed_to)
        found.update(r.event for r in event.related)
    return found


@st.composite
def edited(draw: st.DrawFn) -> tuple[cd.Dataset, cd.Dataset]:
    """A dataset and an edit of it: records added, removed, changed, maybe reordered."""
    a = draw(cst.datasets())
    held = _references(a)
    sources = [s for s in a.sources if s.id in held or not draw(st.booleans())]
    actors = [r for r in a.actors if r.id in held or not draw(st.booleans())]
    events = [e for e in a.events if e.id in held or not draw(st.booleans())]
    for i, event in enumerate(events):
        if draw(st.booleans()):
            events[i] = attrs.evolve(
                event,
                title=draw(cst.texts),
                status=draw(st.sampled_from(cd.Status)),
                when=draw(cst.whens()),
                tags=tuple(draw(st.lists(cst.texts, max_size=2, unique=True))),
            )
    for i, actor in enumerate(actors):
        if draw(st.booleans()):
            actors[i] = attrs.evolve(
                actor, name=draw(cst.texts), identifiers=draw(cst.identifiers)
            )
    taken = {s.id for s in a.sources} | {r.id for r in a.actors} | {e.id for e in a.events}
    taken |= {s.id for s in a.deleted}
    fresh = cst.ids.filter(lambda i: i not in taken)
    new_ids = draw(st.lists(fresh, max_size=3, unique=True))
    actor_ref = st.sampled_from([r.id for r in actors]) if actors else st.nothing()
    event_ref = st.sampled_from([e.id for e in events]) if events else st.nothing()
    source_ref = st.sampled_from([s.id for s in sources])
    for new_id in new_ids:
        position = draw(st.integers(0, len(events)))
        events.insert(
            position, draw(cst.events(st.just(new_id), actor_ref, source_ref, event_ref))
        )
    if draw(st.booleans()):
        events = draw(st.permutations(events))
    metadata = a.metadata
    if draw(st.booleans()):
        metadata = attrs.evolve(metadata, title=draw(cst.texts))
    live = {e.id for e in events}
    # Some removed events leave a tombstone, as an upstream deletion does.
    stones = [s for s in a.deleted if s.id not in live and draw(st.booleans())]
    stones += [
        cd.Tombstone(id=e.id, deleted=draw(st.sampled_from(["2021-03", "2021-03-04T05:06:07Z"])))
        for e in a.events
        if e.id not in live and e.id not in {s.id for s in stones} and draw(st.booleans())
    ]
    b = cd.Dataset(
        metadata=metadata, sources=sources, actors=actors, events=events, deleted=stones
    )
    return a, b


@given(edited())
def test_patch_of_the_diff_gives_the_newer_dataset(pair: tuple[cd.Dataset, cd.Dataset]) -> None:
    # One generated pair serves three properties: generating datasets is
    # what takes the time here.
    a, b = pair
    changes = cd.diff(a, b)
    assert cd.patch(a, changes) == b
    assert bool(changes) == (a != b)
    # The JSON form round-trips, through text.
    data = json.loads(json.dumps(changes.as_dict()))
    assert data["format"] == FORMAT
    assert cd.Changes.from_dict(data) == changes
    # Changes that expect what ``b`` does not hold are refused; a change of
    # order alone applies to any dataset with the same records.
    if changes.header or changes.added or changes.removed or changes.changed:
        with pytest.raises(cd.PatchConflictError):
            cd.patch(b, changes)


@given(cst.datasets())
def test_a_dataset_has_no_changes_from_itself(dataset: cd.Dataset) -> None:
    changes = cd.diff(dataset, dataset)
    assert not changes
    assert len(changes) == 0
    assert changes.summary() == "no changes"
    assert cd.patch(dataset, changes) == dataset


@settings(max_examples=25)
@given(edited())
def test_files_are_diffed_as_streams_with_the_same_result(
    tmp_path_factory: pytest.TempPathFactory, pair: tuple[cd.Dataset, cd.Dataset]
) -> None:
    a, b = pair
    folder = tmp_path_factory.mktemp("diff")
    cd.dump(a, folder / "a.jsonl")
    cd.dump(b, folder / "b.jsonl")
    streamed = cd.diff(folder / "a.jsonl", folder / "b.jsonl")
    assert streamed == cd.diff(a, b)
    assert cd.patch(folder / "a.jsonl", streamed) == b


def _plain(example_dict: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(example_dict))  # type: ignore[no-any-return]


def _unreferenced_source(document: dict[str, Any]) -> int:
    cited = {c["source"] for e in document["events"] for c in e["citations"]}
    return next(i for i, s in enumerate(document["sources"]) if s["id"] not in cited)


def test_changes_name_each_record_and_pointer(example_dict: dict[str, Any]) -> None:
    b = _plain(example_dict)
    b["events"][0]["when"]["start"] = "2020-07-12"
    b["events"][1]["notes"] = "Revised."
    removed = b["sources"].pop(_unreferenced_source(b))
    added = {**b["events"][2], "id": "evt-new", "related": []}
    del added["related"]
    b["events"].append(added)
    changes = cd.diff(example_dict, b)
    assert [(r.kind, r.id) for r in changes.removed] == [("source", removed["id"])]
    assert [(a.kind, a.id, a.index) for a in changes.added] == [("event", "evt-new", 19)]
    assert [
        (c.id, [(op.pointer, op.old, op.new) for op in c.operations]) for c in changes.changed
    ] == [
        (example_dict["events"][0]["id"], [("/when/start", "2020-07", "2020-07-12")]),
        (example_dict["events"][1]["id"], [("/notes", ABSENT, "Revised.")]),
    ]
    assert changes.summary().splitlines() == [
        "source: 0 added, 1 removed, 0 changed",
        "event: 1 added, 0 removed, 2 changed",
        "+ event evt-new",
        f"- source {removed['id']}",
        f"~ event {example_dict['events'][0]['id']}: /when/start '2020-07' -> '2020-07-12'",
        f"~ event {example_dict['events'][1]['id']}: /notes (absent) -> 'Revised.'",
    ]
    assert len(changes) == 4
    assert cd.patch(example_dict, changes) == cd.from_dict(cd.Dataset, b)


def test_a_list_of_another_length_is_replaced_whole(example_dict: dict[str, Any]) -> None:
    b = _plain(example_dict)
    old = b["events"][0]["participants"]
    b["events"][0]["participants"] = old[:1]
    (changed,) = cd.diff(example_dict, b).changed
    assert changed.operations == (Operation(path=("participants",), old=old, new=old[:1]),)


def test_json_types_are_told_apart(example_dict: dict[str, Any]) -> None:
    a = _plain(example_dict)
    a["events"][0]["extensions"] = {"x": {"flag": 1, "ratio": 2}}
    b = _plain(a)
    b["events"][0]["extensions"] = {"x": {"flag": True, "ratio": 2.0}}
    (changed,) = cd.diff(a, b).changed
    assert [op.pointer for op in changed.operations] == [
        "/extensions/x/flag",
        "/extensions/x/ratio",
    ]
    patched = cd.patch(a, cd.diff(a, b))
    assert cd.to_dict(patched)["events"][0]["extensions"]["x"]["flag"] is True


def test_reordered_records_keep_the_newer_order(example_dict: dict[str, Any]) -> None:
    b = _plain(example_dict)
    b["events"].reverse()
    changes = cd.diff(example_dict, b)
    assert list(changes.order) == ["event"]
    assert changes.summary() == "event: 0 added, 0 removed, 0 changed; order changed"
    assert [e.id for e in cd.patch(example_dict, changes).events] == [e["id"] for e in b["events"]]


def test_a_record_that_changes_kind_is_removed_and_added(example_dict: dict[str, Any]) -> None:
    b = _plain(example_dict)
    source = b["sources"].pop(_unreferenced_source(b))
    b["actors"].append({"id": source["id"], "kind": "media", "name": "Now an actor"})
    changes = cd.diff(example_dict, b)
    assert [(r.kind, r.id) for r in changes.removed] == [("source", source["id"])]
    assert [(r.kind, r.id) for r in changes.added] == [("actor", source["id"])]
    assert cd.patch(example_dict, changes) == cd.from_dict(cd.Dataset, b)


def test_a_conflict_names_the_record_and_the_pointer(example_dict: dict[str, Any]) -> None:
    b = _plain(example_dict)
    b["events"][0]["when"]["start"] = "2020-07-12"
    changes = cd.diff(example_dict, b)
    elsewhere = _plain(example_dict)
    elsewhere["events"][0]["when"]["start"] = "2020-08"
    with pytest.raises(cd.PatchConflictError) as caught:
        cd.patch(elsewhere, changes)
    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, cd.ConflictDataError)
    assert (error.kind, error.record_id, error.pointer) == (
        "event",
        example_dict["events"][0]["id"],
        "/when/start",
    )
    assert str(error) == (
        f"event {example_dict['events'][0]['id']} at /when/start: "
        "expected '2020-07', found '2020-08'"
    )


def test_a_patch_that_makes_an_invalid_dataset_is_refused(example_dict: dict[str, Any]) -> None:
    event = {**example_dict["events"][0], "id": "evt-dangling"}
    event["participants"] = [{"actor": "nobody", "role": "initiator"}]
    changes = cd.Changes(added=[cd._changes.Added(kind="event", index=0, record=event)])
    with pytest.raises(cd.DataValidationError) as caught:
        cd.patch(example_dict, changes)
    assert [p.code for p in caught.value.report.errors] == ["ref.unresolved"]


def test_an_invalid_input_is_refused(example_dict: dict[str, Any]) -> None:
    b = _plain(example_dict)
    b["events"][0]["status"] = "rumoured"
    with pytest.raises(cd.DataValidationError):
        cd.diff(example_dict, b)


def test_a_header_change_is_an_operation(example_dict: dict[str, Any]) -> None:
    b = _plain(example_dict)
    b["metadata"]["title"] = "Renamed"
    changes = cd.diff(example_dict, b)
    assert [(op.pointer, op.new) for op in changes.header] == [("/metadata/title", "Renamed")]
    assert cd.patch(example_dict, changes).metadata.title == "Renamed"


def test_files_in_different_formats_compare_by_content(tmp_path: Path) -> None:
    example = cd.examples.load("karabakh-2020")
    cd.dump(example, tmp_path / "a.json")
    cd.dump(example, tmp_path / "package", format="csv")
    assert not cd.diff(tmp_path / "a.json", tmp_path / "package", format_b="csv")


def test_the_json_form_is_checked() -> None:
    with pytest.raises(cd.ChangesError, match="format"):
        cd.Changes.from_dict({"format": "something/2"})
    with pytest.raises(cd.ChangesError, match="does not match"):
        cd.Changes.from_dict(
            {
                "format": FORMAT,
                "changed": [
                    {
                        "kind": "event",
                        "id": "e",
                        "operations": [{"pointer": "/a", "path": ["b"], "new": 1}],
                    }
                ],
            }
        )
    with pytest.raises(cd.ChangesError, match="unknown kind"):
        cd.Changes.from_dict(
            {"format": FORMAT, "removed": [{"kind": "place", "id": "p", "record": {}}]}
        )


def test_a_key_that_looks_like_an_index_keeps_its_type() -> None:
    op = Operation(path=("extensions", "x", "0"), old=1, new=2)
    again = Operation.from_dict(json.loads(json.dumps(op.as_dict())))
    assert again == op
    assert again.path == ("extensions", "x", "0")
    assert op.pointer == "/extensions/x/0"
