"""TEI-XML: valid TEI P5, lossless, streamed, and safe on hostile input.

The TEI schema is found through ``CONFLICTDATA_TEI_RNG`` (default:
``../shared/tei/tei_all.rng``). It takes about ten seconds to compile, so it
is compiled once per test process, and the tests that need it run in one
xdist group. Under CI a missing schema fails instead of skipping.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from lxml import etree

import conflictdata as cd
from conflictdata.formats import tei

from . import strategies as st
from .conftest import shared_path

NS = {"t": tei.TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
POINTING = ("target", "ref", "ana", "source", "active", "passive", "where")
DATING = ("from", "to", "notBefore", "notAfter")
needs_schema = pytest.mark.xdist_group("tei-schema")


@pytest.fixture(scope="session")
def tei_schema() -> etree.RelaxNG:
    """The compiled TEI P5 RELAX NG schema."""
    path = shared_path("tei", "tei_all.rng", env="CONFLICTDATA_TEI_RNG")
    return etree.RelaxNG(etree.parse(str(path)))


def assert_valid_tei(document: etree._ElementTree, schema: etree.RelaxNG) -> None:
    """RELAX NG validity plus what RELAX NG cannot check: ids, pointers, date rules."""
    if not schema.validate(document):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:10])
        pytest.fail(f"not valid TEI:\n{errors}")
    ids = Counter(str(e.get(XML_ID)) for e in document.iter() if e.get(XML_ID) is not None)
    assert [i for i, n in ids.items() if n > 1] == []
    for element in document.iter():
        for attribute in POINTING:
            for token in (element.get(attribute) or "").split():
                if token.startswith("#"):
                    assert token[1:] in ids, f"line {element.sourceline}: {token} points nowhere"
        # The TEI's Schematron rule: @when never beside the other dating attributes.
        if element.get("when") is not None:
            assert not [a for a in DATING if element.get(a) is not None], element.sourceline


def _tei(dataset: cd.Dataset) -> bytes:
    return cd.dumps(dataset, format="tei").encode("utf-8")


@needs_schema
def test_the_example_is_valid_tei(
    tmp_path: Path, example: cd.Dataset, tei_schema: etree.RelaxNG
) -> None:
    path = tmp_path / "karabakh.tei.xml"
    cd.dump(example, path)
    assert_valid_tei(etree.parse(str(path)), tei_schema)
    assert cd.load(path) == example


@needs_schema
@settings(max_examples=40)
@given(dataset=st.datasets())
def test_any_export_is_valid_tei(tei_schema: etree.RelaxNG, dataset: cd.Dataset) -> None:
    assert_valid_tei(etree.ElementTree(etree.fromstring(_tei(dataset))), tei_schema)


@needs_schema
def test_a_dataset_without_records_is_valid_and_reads_back(tei_schema: etree.RelaxNG) -> None:
    empty = cd.Dataset(metadata=cd.Metadata(title="Nothing yet"))
    raw = _tei(empty)
    assert_valid_tei(etree.ElementTree(etree.fromstring(raw)), tei_schema)
    assert cd.loads(raw, format="tei") == empty


def _many_events(example: cd.Dataset, count: int) -> cd.Dataset:
    template = example.events[-2]
    months = ["2020-07", "2020-08", "2021-01"]
    events = [
        attrs.evolve(
            template,
            id=f"evt-{n}",
            when=cd.When(start=months[n * len(months) // count]),
            related=(),
        )
        for n in range(count)
    ]
    return attrs.evolve(example, events=events)


@needs_schema
def test_long_lists_nest_in_groups_by_year_and_month(
    monkeypatch: pytest.MonkeyPatch, example: cd.Dataset, tei_schema: etree.RelaxNG
) -> None:
    monkeypatch.setattr(tei, "GROUP_SIZE", 3)
    dataset = _many_events(example, 30)
    raw = _tei(dataset)
    document = etree.ElementTree(etree.fromstring(raw))
    assert_valid_tei(document, tei_schema)
    for listing in document.iter(f"{{{tei.TEI_NS}}}list*"):
        assert len(listing) <= 3, f"line {listing.sourceline}: {len(listing)} entries"
    outer = document.xpath("/t:TEI/t:standOff/t:listEvent/@n", namespaces=NS)
    # Ten events a month: four lists of at most three, three lists to a list.
    assert outer == ["2020", "2020", "2020", "2021", "2021"]
    inner = document.xpath("/t:TEI/t:standOff/t:listEvent/t:listEvent/@n", namespaces=NS)
    assert Counter(inner) == {"2020-07": 4, "2020-08": 4, "2021-01": 4}
    assert cd.loads(raw, format="tei") == dataset


def test_the_layout_is_the_documented_one(example: cd.Dataset) -> None:
    document = etree.fromstring(_tei(example))

    def count(path: str) -> int:
        return len(document.xpath(path, namespaces=NS))

    assert count("//t:standOff//t:listBibl/t:bibl") == len(example.sources)
    persons = [a for a in example.actors if a.kind is cd.ActorKind.PERSON]
    assert count("//t:standOff//t:listPerson/t:person[@xml:id]") == len(persons)
    assert count("//t:standOff//t:listOrg/t:org") == len(example.actors) - len(persons)
    assert count("//t:standOff//t:listEvent/t:event") == len(example.events)
    assert count("//t:classDecl/t:taxonomy/t:category") == len(cd.EventType) + len(cd.Status)
    offensive = document.xpath("//t:event[@xml:id='evt-2020-09-27-offensive']", namespaces=NS)[0]
    assert offensive.get("when") == "2020-09-27"
    assert offensive.get("ana") == "#type·ASSAULT #status·confirmed"
    quotes = offensive.xpath("t:note[@type='evidence']/t:cit/t:quote/text()", namespaces=NS)
    assert quotes == [c.quote for c in example.get("evt-2020-09-27-offensive").citations]  # type: ignore[union-attr]
    roles = offensive.xpath("t:listPerson/*/@role", namespaces=NS)
    assert roles == ["initiator", "target"]


def test_dates_use_when_span_or_bounds_never_together(example: cd.Dataset) -> None:
    document = etree.fromstring(_tei(example))
    for event, record in zip(document.iter(f"{{{tei.TEI_NS}}}event"), example.events, strict=True):
        when = record.when
        given_attributes = {a for a in ("when", *DATING) if event.get(a) is not None}
        if when.uncertain:
            assert given_attributes <= {"notBefore", "notAfter"}
        elif when.end is None:
            assert given_attributes == {"when"}
        else:
            assert given_attributes == {"from", "to"}


def test_text_keeps_every_character(example: cd.Dataset) -> None:
    odd = '  Baku\r\nYerevan\u2028 <&> "quoted" \t'
    event = attrs.evolve(example.events[0], title=odd, notes=odd)
    dataset = attrs.evolve(example, events=(event, *example.events[1:]))
    assert cd.loads(_tei(dataset), format="tei") == dataset


def test_records_stream_from_tei(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "k.xml"
    cd.dump(example, path)
    with cd.iter_records(path) as records:
        kinds = [type(r).__name__ for r in records]
    assert Counter(kinds) == {"Source": 9, "Actor": 22, "Event": 19}


# Hostile and broken input

SECRET = "conflictdata-secret-9f2c"  # noqa: S105 - a marker, not a password


def _read_error(tmp_path: Path, text: str | bytes) -> cd.Problem:
    path = tmp_path / "hostile.tei.xml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(cd.DataValidationError) as caught:
        cd.load(path)
    problems = list(caught.value.report)
    assert len(problems) == 1
    assert SECRET not in str(problems[0])
    return problems[0]


def _hostile(tmp_path: Path) -> dict[str, str]:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, "utf-8")
    uri = secret.as_uri()
    body = f'<TEI xmlns="{tei.TEI_NS}"><teiHeader>&x;</teiHeader></TEI>'
    laughs = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    return {
        "internal entity": f'<!DOCTYPE TEI [<!ENTITY x "y">]>{body}',
        "external entity (XXE)": f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{uri}">]>{body}',
        "parameter entity": f'<!DOCTYPE TEI [<!ENTITY % p SYSTEM "{uri}"> %p;]>{body}',
        "billion laughs": f"<!DOCTYPE TEI [{laughs}]>{body.replace('&x;', '&j;')}",
        "external DTD": f'<!DOCTYPE TEI SYSTEM "{uri}">{body.replace("&x;", "")}',
        "network DTD": f'<!DOCTYPE TEI SYSTEM "http://127.0.0.1:9/x.dtd">{body}',
    }


@pytest.mark.parametrize(
    "case",
    [
        "internal entity",
        "external entity (XXE)",
        "parameter entity",
        "billion laughs",
        "external DTD",
        "network DTD",
    ],
)
def test_doctypes_and_entities_are_refused_without_reading_anything(
    tmp_path: Path, case: str
) -> None:
    # The secret is not valid DTD text: had the parser fetched it, the error
    # would be a syntax error, and its text could show in the message.
    problem = _read_error(tmp_path, _hostile(tmp_path)[case])
    assert (problem.code, problem.location) == ("input.xml-forbidden", "line 1")


def test_a_doctype_is_refused_even_when_nothing_uses_it(
    tmp_path: Path, example: cd.Dataset
) -> None:
    raw = _tei(example).decode("utf-8")
    doctyped = raw.replace("<TEI ", '<!DOCTYPE TEI [<!ENTITY x "y">]>\n<TEI ', 1)
    problem = _read_error(tmp_path, doctyped)
    assert (problem.code, problem.location) == ("input.xml-forbidden", "line 2")


def test_a_doctype_after_a_long_comment_is_still_found(
    tmp_path: Path, example: cd.Dataset
) -> None:
    # The prolog is read in 64 KiB chunks; the DOCTYPE sits past the first.
    comment = "<!--" + "x\n" * 70_000 + "-->\n"
    raw = _tei(example).decode("utf-8")
    problem = _read_error(tmp_path, raw.replace("<TEI ", comment + "<!DOCTYPE TEI>\n<TEI ", 1))
    assert (problem.code, problem.location) == ("input.xml-forbidden", "line 70003")


def test_a_long_comment_before_the_root_reads_normally(
    tmp_path: Path, example: cd.Dataset
) -> None:
    path = tmp_path / "commented.tei.xml"
    raw = _tei(example).decode("utf-8")
    path.write_text(raw.replace("<TEI ", "<!--" + "y" * 200_000 + "-->\n<TEI ", 1), "utf-8")
    assert cd.load(path) == example


def _with_event_change(example: cd.Dataset, old: str, new: str) -> str:
    raw = _tei(example).decode("utf-8")
    assert old in raw
    return raw.replace(old, new, 1)


def test_excessive_depth_is_an_error(tmp_path: Path, example: cd.Dataset) -> None:
    deep = "<listEvent>" * 200 + "</listEvent>" * 200
    text = _with_event_change(example, "</standOff>", deep + "</standOff>")
    problem = _read_error(tmp_path, text)
    assert problem.code == "input.depth"
    assert problem.location is not None
    assert problem.location.startswith("line ")


def test_an_oversized_record_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, example: cd.Dataset
) -> None:
    monkeypatch.setattr(tei, "MAX_RECORD_ELEMENTS", 50)
    problem = _read_error(tmp_path, _tei(example))
    assert problem.code == "input.size"


def test_a_huge_text_node_is_an_error(tmp_path: Path, example: cd.Dataset) -> None:
    big = "x" * (11 * 1024 * 1024)
    text = _with_event_change(example, "<label>", f"<label>{big}")
    problem = _read_error(tmp_path, text)
    assert problem.code == "input.size"


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("", "input.syntax", "line 1"),
        (f'<TEI xmlns="{tei.TEI_NS}"><teiHeader>', "input.syntax", "line 1"),
        ("<TEI/>", "input.tei-layout", "line 1"),
        ('<TEI xmlns="http://www.tei-c.org/ns/1.0"/>', "input.tei-layout", "line 1"),
        (b"\xff\xfe<\x00", "input.encoding", "line 1"),
        ("<?xml version='1.0' encoding='ISO-8859-1'?><TEI/>", "input.encoding", "line 1"),
    ],
)
def test_broken_files_are_named_by_line(
    tmp_path: Path, text: str | bytes, code: str, where: str
) -> None:
    problem = _read_error(tmp_path, text)
    assert problem.code == code
    assert problem.location is not None
    assert problem.location.startswith(where)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("<label>Clash", "<gloss>x</gloss><label>Clash", "unexpected <gloss> in an event"),
        (' when="2020-07"', ' when="2020-07" from="2020-07"', "an event's date is @when"),
        ("<cit ", '<cit rend="x" ', "unexpected attribute @rend"),
        ("<label>Clash", '<label xml:lang="en">Clash', "unexpected attribute @lang"),
        ("<quote>", "<quote><hi>bold</hi>", "text expected, not elements"),
        ('<ptr target="#src-', '<ptr target="http://elsewhere/#src-', "must point to one record"),
    ],
)
def test_layout_problems_name_the_element_and_its_record(
    tmp_path: Path, example: cd.Dataset, old: str, new: str, message: str
) -> None:
    problem = _read_error(tmp_path, _with_event_change(example, old, new))
    assert problem.code == "input.tei-layout"
    assert problem.location is not None
    assert re.match(r"line \d+, <\w+", problem.location)
    assert "xml:id='evt-2020-07-border-clash'" in problem.location
    assert message in problem.message


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        # A prefix no xmlns declares: libxml2 reads on with 'x:note' as the name.
        ("<label>Clash", "<x:note/><label>Clash", "input.syntax"),
        ("<label>Clash", '<label x:lang="en">Clash', "input.syntax"),
        ("<titleStmt>", "<titleStmt><x:title>A</x:title>", "input.syntax"),
        # int() and float() take these; the writer never writes them.
        ('atLeast="1"', 'atLeast="1_0"', "input.tei-layout"),
        ('atLeast="1"', 'atLeast="\uff11\uff12"', "input.tei-layout"),
        ('atLeast="1"', 'atLeast=" 1"', "input.tei-layout"),
        ('atLeast="1"', f'atLeast="{"9" * 30}"', "input.tei-layout"),
        ("<geo>40.37767 ", "<geo>nan ", "input.tei-layout"),
        ("<geo>40.37767 ", "<geo>-inf ", "input.tei-layout"),
        ("<geo>40.37767 ", "<geo>1e999 ", "input.tei-layout"),
        ("<geo>40.37767 ", "<geo>4_0.37767 ", "input.tei-layout"),
        ("<geo>40.37767 ", "<geo>\u0664\u0660.37767 ", "input.tei-layout"),
        ('<idno type="geonames">5', '<idno type="geonames">\uff15', "input.tei-layout"),
        ('<idno type="geonames">5', '<idno type="geonames">+5', "input.tei-layout"),
    ],
)
def test_names_and_numbers_no_writer_writes_are_located_problems(
    tmp_path: Path, example: cd.Dataset, old: str, new: str, code: str
) -> None:
    problem = _read_error(tmp_path, _with_event_change(example, old, new))
    assert problem.code == code
    assert problem.location is not None
    assert re.match(r"line \d+, <", problem.location)


def test_bytes_that_are_not_utf_8_are_a_located_problem(
    tmp_path: Path, example: cd.Dataset
) -> None:
    raw = _with_event_change(example, "<label>Clash", "<label>Cl\udcffash")
    problem = _read_error(tmp_path, raw.encode("utf-8", "surrogateescape"))
    assert problem.code == "input.syntax"
    assert problem.location is not None
    line = raw[: raw.index("\udcff")].count("\n") + 1
    assert problem.location.startswith(f"line {line}, ")


def test_invalid_records_are_located_by_xml_id(tmp_path: Path, example: cd.Dataset) -> None:
    text = _with_event_change(
        example, 'type="ASSAULT" ana="#type·ASSAULT', 'type="BOMBING" ana="#type·ASSAULT'
    )
    path = tmp_path / "bad.tei.xml"
    path.write_text(text, "utf-8")
    with pytest.raises(cd.DataValidationError) as caught:
        cd.load(path)
    [problem] = caught.value.report
    assert (problem.code, problem.pointer) == ("schema.enum", "/events/0/type")
    assert problem.location is not None
    assert "<event xml:id='evt-2020-07-border-clash'>" in problem.location


def test_a_failed_write_leaves_no_file(tmp_path: Path, example: cd.Dataset) -> None:
    path = tmp_path / "k.tei.xml"
    broken = attrs.evolve(example, events=(*example.events, "not an event"))  # type: ignore[arg-type]
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the failure, no file
        cd.dump(broken, path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_tei_reads_from_any_binary_stream(example: cd.Dataset) -> None:
    with tempfile.TemporaryFile() as stream:
        tei.write(cd.to_dict(example), stream)
        stream.seek(0)
        decoded = tei.read(stream)
    assert cd.from_dict(cd.Dataset, decoded.data) == example


def test_a_doctype_behind_a_prolog_longer_than_the_screen_is_still_refused(
    tmp_path: Path, example: cd.Dataset
) -> None:
    comment = "<!--" + "z" * (tei.PROLOG_LIMIT + 10) + "-->\n"
    raw = _tei(example).decode("utf-8")
    problem = _read_error(tmp_path, raw.replace("<TEI ", comment + "<!DOCTYPE TEI>\n<TEI ", 1))
    assert problem.code == "input.xml-forbidden"


# Schema 1.1: sides, archives, tombstones; files written by 0.1

V01_TEI = Path(__file__).parent / "data" / "v0.1" / "small.tei.xml"
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def _dataset_1_1() -> cd.Dataset:
    return cd.from_dict(
        cd.Dataset,
        {
            "schema_version": "1.1",
            "metadata": {"title": "Sides, archives and tombstones"},
            "sources": [
                {
                    "id": "src-1",
                    "kind": "news_article",
                    "title": "Clashes",
                    "url": "https://example.org/1",
                    "archives": [
                        {
                            "url": "https://web.archive.org/web/2020/https://example.org/1",
                            "captured": "2020-07-13T08:00:00Z",
                            "sha256": SHA,
                            "tool": "wget 1.21",
                        },
                        {
                            "url": "https://archive.ph/abcde",
                            "captured": "2020-07-14T10:30:00.5+04:00",
                            "sha256": SHA,
                        },
                    ],
                }
            ],
            "actors": [
                {"id": "pm-am", "kind": "person", "name": "A. Person"},
                {"id": "mil-az", "kind": "military", "name": "Azerbaijani forces"},
            ],
            "events": [
                {
                    "id": "evt-1",
                    "type": "ASSAULT",
                    "title": "Shelling",
                    "when": {"start": "2020-07-12"},
                    "participants": [
                        {"actor": "pm-am", "role": "initiator", "side": "a"},
                        {"actor": "mil-az", "role": "target", "side": "b"},
                        {"actor": "mil-az", "role": "observer"},
                    ],
                    "status": "disputed",
                    "citations": [{"source": "src-1"}],
                }
            ],
            "deleted": [
                {
                    "id": "acled-AZE1",
                    "deleted": "2024-03-01T09:30:00Z",
                    "identifiers": {"acled": "AZE1"},
                    "reason": "duplicate",
                },
                {"id": "evt-0", "deleted": "2021-05"},
            ],
        },
    )


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def test_a_participants_side_is_n_on_its_stub() -> None:
    root = _parse(_tei(_dataset_1_1()))
    stubs = root.findall(".//t:event/t:listPerson[@type='participants']/*", NS)
    assert [(etree.QName(s).localname, s.get("role"), s.get("n")) for s in stubs] == [
        ("person", "initiator", "a"),
        ("org", "target", "b"),
        ("org", "observer", None),
    ]


def test_an_archived_copy_is_a_related_item_of_the_source() -> None:
    root = _parse(_tei(_dataset_1_1()))
    (bibl,) = (b for b in root.iterfind(".//t:bibl", NS) if b.get(XML_ID) == "src-1")
    copies = bibl.findall("t:relatedItem", NS)
    assert [c.get("type") for c in copies] == ["archive", "archive"]
    first = copies[0].find("t:bibl", NS)
    assert first is not None
    assert [(etree.QName(e).localname, dict(e.attrib), e.text) for e in first] == [
        ("ptr", {"target": "https://web.archive.org/web/2020/https://example.org/1"}, None),
        ("date", {"type": "captured", "when": "2020-07-13T08:00:00Z"}, None),
        ("idno", {"type": "sha256"}, SHA),
        ("note", {"type": "tool"}, "wget 1.21"),
    ]
    second = copies[1].find("t:bibl", NS)
    assert second is not None
    assert [etree.QName(e).localname for e in second] == ["ptr", "date", "idno"]


def test_tombstones_are_events_in_the_deleted_list_event() -> None:
    root = _parse(_tei(_dataset_1_1()))
    stand_off = root.find("t:standOff", NS)
    assert stand_off is not None
    deleted = stand_off.findall("t:listEvent[@type='deleted']", NS)
    assert len(deleted) == 1
    entries = deleted[0].findall("t:listEvent/t:event", NS)
    assert [(e.get(XML_ID), dict(e.attrib)) for e in entries] == [
        ("acled-AZE1", {XML_ID: "acled-AZE1", "when": "2024-03-01T09:30:00Z"}),
        ("evt-0", {XML_ID: "evt-0", "when": "2021-05"}),
    ]
    assert [(etree.QName(c).localname, dict(c.attrib), c.text) for c in entries[0]] == [
        ("idno", {"type": "acled"}, "AZE1"),
        ("label", {}, "deleted"),
        ("desc", {}, "duplicate"),
    ]
    assert [etree.QName(c).localname for c in entries[1]] == ["label"]
    # Live events are in lists of their own, without a @type.
    lists = [
        (outer.get("type"), [e.get(XML_ID) for e in outer.iterfind("t:listEvent/t:event", NS)])
        for outer in stand_off.iterfind("t:listEvent", NS)
    ]
    assert lists == [(None, ["evt-1"]), ("deleted", ["acled-AZE1", "evt-0"])]


@needs_schema
def test_schema_1_1_fields_are_valid_tei_and_read_back(tei_schema: etree.RelaxNG) -> None:
    data = _tei(_dataset_1_1())
    assert_valid_tei(etree.ElementTree(_parse(data)), tei_schema)
    assert cd.loads(data.decode("utf-8"), format="tei") == _dataset_1_1()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('<listEvent type="deleted">', '<listEvent type="gone">', "tombstones has a @type"),
        ("<label>deleted</label>", "<label>gone</label>", "unexpected <label> in a tombstone"),
        ('<idno type="sha256">', '<idno type="md5">', "unexpected <idno> in an archived copy"),
        ('type="military">', 'type="military" n="a">', "an actor has no @n"),
        ("<listPerson>", '<listPerson type="deleted">', "tombstones has a @type"),
    ],
)
def test_schema_1_1_layout_problems_are_errors(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = _tei(_dataset_1_1()).decode("utf-8")
    assert old in text
    problem = _read_error(tmp_path, text.replace(old, new, 1))
    assert problem.code == "input.tei-layout"
    assert message in problem.message


def test_a_tei_file_written_by_0_1_still_reads() -> None:
    text = V01_TEI.read_text("utf-8")
    assert "relatedItem" not in text
    assert 'type="deleted"' not in text
    got = cd.read(V01_TEI)
    assert [p.code for p in got.report] == ["schema.migrated"]
    dataset = got.dataset
    assert dataset.schema_version == "1.1"
    assert [(p.actor, p.role.value, p.side) for p in dataset.events[0].participants] == [
        ("mil-am", "initiator", None),
        ("mil-az", "target", None),
    ]
    assert dataset.sources[0].archives == ()
    assert dataset.sources[0].url == "https://example.org/news/1"
    assert dataset.deleted == ()
    assert cd.load(V01_TEI) == dataset
