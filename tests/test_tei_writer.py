"""The TEI writer: the bytes lxml wrote, and a clear error for what TEI cannot hold.

``tei_lxml_writer`` is the writer of 0.x, which built each record with lxml:
it is kept here as the oracle the string templates must agree with, byte
for byte.
"""

from __future__ import annotations

import contextlib
import io
import math
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst

import conflictdata as cd
from conflictdata.formats import tei
from conflictdata.formats.tei import _escape

from . import strategies as st
from . import tei_lxml_writer


def _new(data: dict[str, Any]) -> bytes:
    stream = io.BytesIO()
    tei.write(data, stream)
    return stream.getvalue()


def _old(data: dict[str, Any]) -> bytes:
    stream = io.BytesIO()
    tei_lxml_writer.write(data, stream)
    return stream.getvalue()


@contextlib.contextmanager
def _group_size(size: int) -> Iterator[None]:
    # Not monkeypatch: Hypothesis runs many examples in one function-scoped fixture.
    before = tei.GROUP_SIZE
    tei.GROUP_SIZE = size
    try:
        yield
    finally:
        tei.GROUP_SIZE = before


def test_the_example_is_written_as_lxml_wrote_it(example: cd.Dataset) -> None:
    data = cd.to_dict(example)
    assert _new(data) == _old(data)
    with _group_size(2):
        assert _new(data) == _old(data)


def test_a_dataset_without_records_is_written_as_lxml_wrote_it(example: cd.Dataset) -> None:
    data = cd.to_dict(attrs.evolve(example, sources=(), actors=(), events=()))
    assert _new(data) == _old(data)


@settings(max_examples=30)
@given(dataset=st.datasets(max_events=8), group=hst.sampled_from([1, 2, 250]))
def test_any_dataset_is_written_as_lxml_wrote_it(dataset: cd.Dataset, group: int) -> None:
    data = cd.to_dict(dataset)
    with _group_size(group):
        assert _new(data) == _old(data)


def _replace_strings(value: Any, draw: Any, *, keys: bool = False) -> Any:
    """``value`` with every string drawn anew, and with ``keys`` every mapping's keys."""
    if isinstance(value, str):
        return draw(st.texts)
    if isinstance(value, list):
        return [_replace_strings(item, draw) for item in value]
    if isinstance(value, dict):
        return {
            (draw(st.texts) if keys else key): _replace_strings(item, draw)
            for key, item in value.items()
        }
    return value


#: The fields whose keys are free text; "kind" and "when" steer the writer.
_FREE_KEYS = ("identifiers", "names", "extensions")
_STEERING = ("kind", "when", "deleted")


@settings(max_examples=20)
@given(dataset=st.datasets(max_events=3), data=hst.data())
def test_any_text_in_any_place_is_escaped_as_lxml_escaped_it(
    dataset: cd.Dataset, data: hst.DataObject
) -> None:
    # Attributes too take free text here (ids, dates, codes), with quotes,
    # tabs, newlines and markup characters the schema keeps out of them.
    plain = cd.to_dict(dataset)
    for key in ("sources", "actors", "events", "deleted"):
        records = plain.get(key, [])
        for index, record in enumerate(records):
            changed = dict(record)
            for name in [n for n in record if n not in _STEERING]:
                changed[name] = _replace_strings(record[name], data.draw, keys=name in _FREE_KEYS)
            records[index] = changed
    assert _new(plain) == _old(plain)


@settings(max_examples=20)
@given(dataset=st.datasets(max_events=6), data=hst.data())
def test_text_that_recurs_is_escaped_as_lxml_escaped_it(
    dataset: cd.Dataset, data: hst.DataObject
) -> None:
    # Codes, roles, dates and places recur: the writer remembers how each was
    # escaped. Strings drawn from a few (with markup characters and
    # non-ASCII) recur in every place, the first time and after.
    pool = data.draw(hst.lists(st.texts, min_size=1, max_size=3))
    plain = cd.to_dict(dataset)
    for key in ("sources", "actors", "events", "deleted"):
        records = plain.get(key, [])
        for index, record in enumerate(records):
            changed = dict(record)
            for name in [n for n in record if n not in _STEERING]:
                changed[name] = _replace_strings(
                    record[name], lambda _: data.draw(hst.sampled_from(pool))
                )
            records[index] = changed
    assert _new(plain) == _old(plain)


def _outcome(escape: Any, value: str) -> str:
    """What ``escape`` makes of ``value``: the escaped value, or why it is refused."""
    try:
        return str(escape(value))
    except _escape.RefusedError as exc:
        return f"refused: {exc.reason}"


@given(values=hst.lists(hst.text(), max_size=20), many=hst.integers(0, 5000))
@settings(max_examples=20)
def test_a_remembered_escape_is_the_escape(values: list[str], many: int) -> None:
    often = _escape.Often()
    # Values seen before and after many others (which make it forget).
    for value in [*values, *(str(n) for n in range(many)), *values]:
        assert _outcome(often.attributes.__getitem__, value) == _outcome(_escape.attribute, value)
        assert _outcome(often.texts.__getitem__, value) == _outcome(_escape.text, value)


def _written(writer_class: Any, header: dict[str, Any], records: list[tuple[str, Any]]) -> bytes:
    stream = io.BytesIO()
    writer = writer_class(stream, header)
    for kind, record in records:
        writer.write(kind, record)
    writer.close()
    return stream.getvalue()


def test_an_actor_written_after_an_event_that_refers_to_it_changes_its_stub(
    example: cd.Dataset,
) -> None:
    data = cd.to_dict(example)
    person = next(a for a in data["actors"] if a["kind"] == "person")
    event = next(e for e in data["events"] if not e.get("related"))
    event = event | {"participants": [{"actor": person["id"], "role": "initiator"}]}
    # Before the actor is written it is taken for an org; after, it is a person.
    records = [
        *(("source", s) for s in data["sources"]),
        ("event", event | {"id": "before"}),
        ("actor", person),
        ("event", event | {"id": "after"}),
    ]
    header = {"schema_version": data["schema_version"], "metadata": data["metadata"]}
    written = _written(tei.Writer, header, records)
    assert written == _written(tei_lxml_writer.Writer, header, records)
    assert f'<orgName ref="#{person["id"]}"/>'.encode() in written
    assert f'<persName ref="#{person["id"]}"/>'.encode() in written


def test_a_long_document_is_written_as_lxml_wrote_it(example: cd.Dataset) -> None:
    # Records are written to the stream in batches: many batches, then the rest.
    data = cd.to_dict(example)
    events = [e for e in data["events"] if not e.get("related")]
    data["events"] = [e | {"id": f"evt-{n}"} for n in range(400) for e in events]
    written = _new(data)
    assert len(written) > 10 * 64 * 1024
    assert written == _old(data)


def test_a_value_refused_once_is_refused_again(example: cd.Dataset) -> None:
    data = _event_data(example)
    event = data["events"][0]
    event["type"] = "PROTEST\x01"
    stream = io.BytesIO()
    writer = tei.Writer(stream, {"schema_version": data["schema_version"]})
    for _ in range(2):
        with pytest.raises(cd.FieldValueError) as caught:
            writer.write("event", event)
        assert caught.value.field == f"event {event['id']!r} /type"
    event["type"] = "PROTEST"
    writer.write("event", event)
    writer.close()
    assert b"PROTEST\x01" not in stream.getvalue()


# Values TEI cannot hold


def _event_data(example: cd.Dataset) -> dict[str, Any]:
    data: dict[str, Any] = cd.to_dict(example)
    event = next(e for e in data["events"] if "lat" in e.get("location", {}))
    # Alone in the dataset: what it relates to is not there.
    event.pop("related", None)
    data["events"] = [event]
    return data


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda e: e["location"].update(lat=math.nan), "/location/lat"),
        (lambda e: e["location"].update(lon=-math.inf), "/location/lon"),
        (lambda e: e["location"].update(geonames_id=math.nan), "/location/geonames_id"),
        (lambda e: e.update(fatalities={"best": math.inf}), "/fatalities/best"),
        (
            lambda e: e["citations"][0].update(fatalities={"low": math.nan}),
            "/citations/0/fatalities/low",
        ),
        (lambda e: e.update(extensions={"x": {"score": math.nan}}), "/extensions"),
    ],
)
def test_numbers_that_are_not_finite_are_refused(
    example: cd.Dataset, change: Any, pointer: str
) -> None:
    data = _event_data(example)
    event = data["events"][0]
    change(event)
    with pytest.raises(cd.FieldValueError, match="not finite") as caught:
        _new(data)
    assert caught.value.field == f"event {event['id']!r} {pointer}"


@pytest.mark.parametrize(
    "character", ["\x00", "\x01", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800"]
)
@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        (lambda e, c: e.update(identifiers={"acled": f"AZE{c}1"}), "/identifiers/acled"),
        (lambda e, c: e.update(identifiers={f"ac{c}led": "1"}), "/identifiers/ac*led"),
        (
            lambda e, c: e.update(classifications=[{"scheme": "acled", "code": f"B{c}"}]),
            "/classifications/0/code",
        ),
        (lambda e, c: e.update(title=f"a{c}b"), "/title"),
        (lambda e, c: e["participants"][0].update(role=f"a{c}"), "/participants/0/role"),
    ],
)
def test_characters_xml_cannot_hold_are_refused_with_where_they_are(
    example: cd.Dataset, change: Any, pointer: str, character: str
) -> None:
    data = _event_data(example)
    event = data["events"][0]
    change(event, character)
    with pytest.raises(cd.FieldValueError, match=r"XML 1\.0 cannot hold") as caught:
        _new(data)
    assert caught.value.field == f"event {event['id']!r} {pointer.replace('*', character)}"
    assert f"U+{ord(character):04X}" in str(caught.value)


def test_extension_data_escapes_control_characters_and_refuses_the_rest(
    example: cd.Dataset,
) -> None:
    data = _event_data(example)
    event = data["events"][0]
    # JSON escapes control characters (\u0001), so TEI can hold them (and
    # validation, reading the file back, refuses them as text).
    event["extensions"] = {"x": {"note": "a\x01b"}}
    assert b"a\\u0001b" in _new(data)
    with pytest.raises(cd.DataValidationError) as refused:
        cd.loads(_new(data), format="tei")
    assert [p.code for p in refused.value.report.errors] == ["text.control"]
    for character in ("\ufffe", "\ud800"):
        event["extensions"] = {"x": {"note": f"a{character}"}}
        with pytest.raises(cd.FieldValueError) as caught:
            _new(data)
        assert caught.value.field == f"event {event['id']!r} /extensions/x/note"


def test_characters_xml_cannot_hold_are_refused_in_actors_and_the_header(
    example: cd.Dataset,
) -> None:
    data = cd.to_dict(example)
    org = next(a for a in data["actors"] if a["kind"] != "person" and "affiliations" in a)
    org["affiliations"][0]["role"] = "chief\x07"
    with pytest.raises(cd.FieldValueError) as caught:
        _new(data)
    assert caught.value.field == f"actor {org['id']!r} /affiliations/0/role"
    data = cd.to_dict(example)
    data["metadata"]["title"] = "Karabakh\x00"
    with pytest.raises(cd.FieldValueError) as caught:
        _new(data)
    assert caught.value.field == "dataset /metadata/title"


def test_a_refused_value_leaves_no_file(tmp_path: Path, example: cd.Dataset) -> None:
    data = _event_data(example)
    data["events"][0]["location"]["lat"] = math.nan
    path = tmp_path / "out.tei.xml"
    metadata = example.metadata
    with pytest.raises(cd.FieldValueError), cd.open_writer(path, metadata) as writer:
        writer.write_plain("event", data["events"][0])
    assert list(tmp_path.iterdir()) == []


# A full disk, or a file-size limit, while writing

_LIMITED = textwrap.dedent(
    """
    import resource, signal, sys
    from conflictdata.cli import main
    # Without SIGXFSZ ignored the process would be killed; with it, write() fails (EFBIG).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    code = main(sys.argv[2:])
    import gc
    gc.collect()
    sys.exit(code)
    """
)


def test_a_write_error_is_a_clean_exit_and_leaves_no_file(
    tmp_path: Path, example: cd.Dataset
) -> None:
    pytest.importorskip("resource", reason="file-size limits are POSIX")
    template = next(e for e in example.events if not e.related)
    events = [attrs.evolve(template, id=f"evt-{n}") for n in range(600)]
    source = tmp_path / "in.jsonl"
    cd.dump(attrs.evolve(example, events=events), source)
    target = tmp_path / "out.tei.xml"
    result = subprocess.run(
        [sys.executable, "-c", _LIMITED, "262144", "convert", str(source), str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # Before, lxml's incremental writer crashed the process (SIGSEGV) here.
    assert result.returncode == 2, result.stderr
    assert "File too large" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
