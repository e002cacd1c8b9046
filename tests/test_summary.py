"""``conflictdata info``: totals of fatality figures and countries, in text and JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import conflictdata as cd
from conflictdata import cli
from conflictdata._summary import summarise


def _info(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["info", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def counted(tmp_path: Path, example_dict: dict[str, Any]) -> Path:
    """The example with known fatality figures on its first four events."""
    events = example_dict["events"]
    events[0]["fatalities"] = {"best": 3, "low": 2, "high": 5}
    events[1]["fatalities"] = {"best": 10}
    events[2]["fatalities"] = {"low": 1, "high": 4}
    events[3]["fatalities"] = {"best": 0}
    for event in events[4:]:
        event.pop("fatalities", None)
    events[4]["location"] = {"name": "Ganja", "country": "AZ"}
    events[5]["location"] = {"name": "Yerevan", "country": "AM"}
    path = tmp_path / "counted.jsonl"
    cd.dump(cd.from_dict(cd.Dataset, example_dict), path)
    return path


def test_fatality_figures_are_summed_each_on_its_own(counted: Path) -> None:
    summary = summarise(counted)
    assert summary.fatalities == {"best": 13, "low": 3, "high": 9}
    assert summary.with_figure == {"best": 3, "low": 2, "high": 2}
    # A best figure of 0 is known: only events without any figure are unknown.
    assert summary.unknown_fatalities == 19 - 4


def test_info_prints_the_totals_and_the_countries(counted: Path) -> None:
    code, out, err = _info(str(counted))
    assert (code, err) == (0, "")
    rows = dict(line.split("  ", 1) for line in out.splitlines())
    assert rows["fatalities"].strip() == (
        "best 13 (3 events), low 3 (2 events), high 9 (2 events); unknown for 15 events"
    )
    countries = {
        name: int(n) for name, n in (c.rsplit(" ", 1) for c in rows["countries"].split(", "))
    }
    assert countries["AM"] == 1
    assert sum(countries.values()) == 19


def test_info_json_has_the_same_figures(counted: Path) -> None:
    code, out, _ = _info(str(counted), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["events"] == 19
    assert data["fatalities"] == {
        "best": 13,
        "low": 3,
        "high": 9,
        "events_with": {"best": 3, "low": 2, "high": 2},
        "unknown": 15,
    }
    assert sum(data["countries"].values()) == 19
    assert data["countries"]["AM"] == 1
    assert data["dates"] == {"first": "2018-05", "last": "2020-09"}
    assert list(data["statuses"].values()) == sorted(data["statuses"].values(), reverse=True)


def test_info_without_any_figure(tmp_path: Path, example_dict: dict[str, Any]) -> None:
    for event in example_dict["events"]:
        event.pop("fatalities", None)
    path = tmp_path / "none.json"
    path.write_text(json.dumps(example_dict), "utf-8")
    _, out, _ = _info(str(path))
    assert "fatalities   - (unknown for 19 events)\n" in out
    assert json.loads(_info(str(path), "--json")[1])["fatalities"]["best"] == 0


def test_info_of_an_invalid_file_lists_its_problems(
    tmp_path: Path, example_dict: dict[str, Any]
) -> None:
    example_dict["events"][3]["status"] = "rumoured"
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps({"record": "dataset", "schema_version": "1.1",
                         "metadata": example_dict["metadata"]})]  # fmt: skip
    for kind in ("source", "actor", "event"):
        lines += [json.dumps({"record": kind, **r}) for r in example_dict[f"{kind}s"]]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, err = _info(str(path), "--json")
    assert code == 1
    assert out == ""
    # The header, 9 sources, 22 actors, then the fourth event.
    assert "bad.jsonl: line 36: error: " in err
    assert "schema.enum" in err
    with cd.iter_records(path) as records, pytest.raises(cd.DataValidationError) as raised:
        list(records)
    # The same problems, where iter_records stops.
    assert [str(p) for p in raised.value.report] == [
        line.split(": ", 1)[1] for line in err.splitlines()[: len(raised.value.report)]
    ]
