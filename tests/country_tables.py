"""The country tables in ``conflictdata.formats``, generated from well-kept lists.

``_iso3166.py`` comes from pycountry (ISO 3166-1, as Debian's iso-codes
keeps it) and ``_gwno.py`` from country_converter's ``GWcode`` column
(Gleditsch-Ward numbers). ``tests/test_country_tables.py`` checks the files
against the libraries; after upgrading them, regenerate with::

    python -m tests.country_tables
"""

from __future__ import annotations

import csv
from pathlib import Path

FORMATS = Path(__file__).resolve().parents[1] / "src" / "conflictdata" / "formats"


def iso3166() -> str:
    """The text of ``_iso3166.py``."""
    import pycountry  # noqa: PLC0415 - a test dependency only

    countries = sorted(pycountry.countries, key=lambda c: int(c.numeric))
    lines = [
        '"""ISO 3166-1: numeric country codes and their alpha-2 codes.',
        "",
        f"Generated from pycountry {_version('pycountry')} (the iso-codes project's",
        f"``iso_3166-1.json``), which follows ISO 3166-1; {len(countries)} countries.",
        "Regenerate with ``python -m tests.country_tables``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        '__all__ = ["ALPHA2", "FROM_ALPHA3", "NUMERIC"]',
        "",
        "#: ISO 3166-1 numeric code -> alpha-2 code.",
        "ALPHA2: dict[int, str] = {",
        *(f'    {int(c.numeric)}: "{c.alpha_2}",  # {c.name}' for c in countries),
        "}",
        "",
        "#: alpha-2 code -> ISO 3166-1 numeric code.",
        "NUMERIC: dict[str, int] = {alpha2: numeric for numeric, alpha2 in ALPHA2.items()}",
        "",
        "#: ISO 3166-1 alpha-3 code -> alpha-2 code.",
        "FROM_ALPHA3: dict[str, str] = {",
        *(
            f'    "{c.alpha_3}": "{c.alpha_2}",'
            for c in sorted(pycountry.countries, key=lambda c: c.alpha_3)
        ),
        "}",
    ]
    return "\n".join(lines) + "\n"


# Gleditsch and Ward (1999) number a present-day state by the state it
# continues: Serbia continues Yugoslavia (345), Yemen the Yemen Arab Republic
# (678), Vietnam the Democratic Republic of Vietnam (816); Kosovo is 347. UCDP
# uses these numbers; country_converter files the three states under the
# numbers of the other predecessor (340, 680, 817) and has none for Kosovo.
SUCCESSORS = {345: ("RS", "Serbia"), 347: ("XK", "Kosovo"), 678: ("YE", "Yemen"),
              816: ("VN", "Vietnam")}  # fmt: skip


def gwno_rows() -> list[tuple[int, str, str]]:
    """(Gleditsch-Ward number, alpha-2 code, name) of every country that has both."""
    import country_converter  # type: ignore[import-untyped]  # noqa: PLC0415 - a test dependency

    # The library's own table, read as text: "NA" is Namibia, not a missing value.
    path = Path(country_converter.__file__).with_name("country_data.tsv")
    with path.open(encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    found = {
        int(float(r["GWcode"])): (r["ISO2"], r["name_short"])
        for r in rows
        if r["GWcode"].strip() and r["ISO2"].strip()
    }
    # Both numbers are kept: a file may use either.
    found.update(SUCCESSORS)
    return sorted((number, alpha2, name) for number, (alpha2, name) in found.items())


def gwno() -> str:
    """The text of ``_gwno.py``."""
    rows = gwno_rows()
    lines = [
        '"""Gleditsch-Ward country numbers and the ISO 3166-1 alpha-2 code of each.',
        "",
        f"Generated from country_converter {_version('country_converter')}'s ``GWcode``",
        f"column; {len(rows)} numbers. Serbia (345), Kosovo (347), Yemen (678) and",
        "Vietnam (816) are added as Gleditsch and Ward number them (the state each",
        "continues), as UCDP does. A number the table does not hold (a state that",
        "no longer exists, such as the German Democratic Republic) has no ISO",
        "country. Regenerate with ``python -m tests.country_tables``.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        '__all__ = ["ALPHA2"]',
        "",
        "#: Gleditsch-Ward number -> ISO 3166-1 alpha-2 code.",
        "ALPHA2: dict[int, str] = {",
        *(f'    {number}: "{alpha2}",  # {name}' for number, alpha2, name in rows),
        "}",
    ]
    return "\n".join(lines) + "\n"


def _version(name: str) -> str:
    from importlib.metadata import version  # noqa: PLC0415

    return version(name)


TABLES = {"_iso3166.py": iso3166, "_gwno.py": gwno}

if __name__ == "__main__":
    for name, render in TABLES.items():
        (FORMATS / name).write_text(render(), "utf-8")
