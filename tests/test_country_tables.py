"""The generated country tables agree with the libraries they come from."""

from __future__ import annotations

import pytest

from . import country_tables

pytest.importorskip("pycountry", reason="pycountry (the test extra) checks the ISO table")
pytest.importorskip("country_converter", reason="country_converter checks the GW table")


@pytest.mark.parametrize("name", sorted(country_tables.TABLES))
def test_each_table_is_the_one_its_library_gives(name: str) -> None:
    on_disk = (country_tables.FORMATS / name).read_text("utf-8")
    assert on_disk == country_tables.TABLES[name](), "run: python -m tests.country_tables"


def test_namibia_is_a_country_not_a_missing_value() -> None:
    from conflictdata.formats import _gwno  # noqa: PLC0415

    assert _gwno.ALPHA2[565] == "NA"
    assert (_gwno.ALPHA2[771], _gwno.ALPHA2[775]) == ("BD", "MM")


def test_present_day_states_have_the_numbers_ucdp_gives_them() -> None:
    from conflictdata.formats import _gwno  # noqa: PLC0415

    assert [_gwno.ALPHA2[n] for n in (345, 347, 678, 816)] == ["RS", "XK", "YE", "VN"]
