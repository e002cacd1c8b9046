"""``conflictdata info``: a summary of a dataset, counted as its records stream by."""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from ._build import build
from ._dates import PartialDate
from ._errors import DataValidationError
from ._io import PathArg, ProgressCallback, format_for, watched_entries
from ._pipeline import Pipeline
from .model import Actor, Event, Metadata, Source, Tombstone

__all__ = ["FIGURES", "Summary", "summarise"]

#: The fatality figures an event may give, each summed on its own.
FIGURES = ("best", "low", "high")


class Summary:
    """Counts of a dataset's records, added one record at a time."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.counts: Counter[str] = Counter()
        self.types: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.countries: Counter[str] = Counter()
        self.first: PartialDate | None = None
        self.last: PartialDate | None = None
        #: The sum of each fatality figure, over the events that give it.
        self.fatalities = dict.fromkeys(FIGURES, 0)
        #: How many events give each figure.
        self.with_figure = dict.fromkeys(FIGURES, 0)
        #: Events that give no fatality figure at all.
        self.unknown_fatalities = 0

    def add(self, record: Source | Actor | Event) -> None:
        """Count one record."""
        self.counts[type(record).__name__] += 1
        if not isinstance(record, Event):
            return
        self.types[str(record.type)] += 1
        self.statuses[str(record.status)] += 1
        self.countries[(record.location and record.location.country) or "(none)"] += 1
        start, end = record.when.start, record.when.end or record.when.start
        if self.first is None or start.earliest() < self.first.earliest():
            self.first = start
        if self.last is None or end.latest() > self.last.latest():
            self.last = end
        known = False
        for figure in FIGURES:
            value = getattr(record.fatalities, figure, None)
            if value is not None:
                self.fatalities[figure] += value
                self.with_figure[figure] += 1
                known = True
        if not known:
            self.unknown_fatalities += 1

    def _fatalities_text(self) -> str:
        given = [
            f"{figure} {self.fatalities[figure]:,} ({_events(self.with_figure[figure])})"
            for figure in FIGURES
            if self.with_figure[figure]
        ]
        unknown = f"unknown for {_events(self.unknown_fatalities)}"
        if not given:
            return f"- ({unknown})" if self.unknown_fatalities else "-"
        return ", ".join(given) + (f"; {unknown}" if self.unknown_fatalities else "")

    def render(self, label: str) -> str:
        """The summary as aligned text, one row per line."""

        def ranked(counter: Counter[str]) -> str:
            return ", ".join(f"{key} {n:,}" for key, n in counter.most_common()) or "-"

        span = f"{self.first} to {self.last}" if self.first else "-"
        rows = [
            ("file", label),
            ("title", self.title),
            ("events", f"{self.counts['Event']:,}"),
            ("actors", f"{self.counts['Actor']:,}"),
            ("sources", f"{self.counts['Source']:,}"),
            ("dates", span),
            ("event types", ranked(self.types)),
            ("statuses", ranked(self.statuses)),
            ("countries", ranked(self.countries)),
            ("fatalities", self._fatalities_text()),
        ]
        width = max(len(key) for key, _ in rows)
        return "".join(f"{key:<{width}}  {value}\n" for key, value in rows)

    def as_dict(self, label: str) -> dict[str, Any]:
        """The summary as JSON-ready data (counters most common first)."""
        return {
            "file": label,
            "title": self.title,
            "events": self.counts["Event"],
            "actors": self.counts["Actor"],
            "sources": self.counts["Source"],
            "dates": {
                "first": str(self.first) if self.first else None,
                "last": str(self.last) if self.last else None,
            },
            "event_types": dict(self.types.most_common()),
            "statuses": dict(self.statuses.most_common()),
            # Events without a country are counted under "(none)", as in the text.
            "countries": dict(self.countries.most_common()),
            "fatalities": {
                **{figure: self.fatalities[figure] for figure in FIGURES},
                "events_with": dict(self.with_figure),
                "unknown": self.unknown_fatalities,
            },
        }


def _events(count: int) -> str:
    return f"{count:,} event{'' if count == 1 else 's'}"


def summarise(
    path: PathArg,
    format_name: str | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> Summary:
    """Summarise the valid dataset in ``path``, record by record.

    ``progress`` is called as :func:`conflictdata.validate_file` calls it.

    Raises:
        DataValidationError: at the first error (its report has the problems
            found so far), as :func:`conflictdata.iter_records` does.
    """
    # Streamed: a summary of a large file needs no more memory than the counts.
    fmt = format_for(format_name, path, reading=True)
    source = os.fspath(path)
    with watched_entries(fmt, path, progress) as entries:
        pipeline = Pipeline(entries)
        try:
            header = pipeline.read_header()
            if header is None or pipeline.failed():
                raise DataValidationError(pipeline.log.report(), source)
            summary = Summary(build(header["metadata"], Metadata).title)
            for kind, data in pipeline:
                if pipeline.failed():
                    raise DataValidationError(pipeline.log.report(), source)
                record = build(data, kind.record_type)
                if not isinstance(record, Tombstone):
                    summary.add(record)
            if pipeline.failed():
                raise DataValidationError(pipeline.log.report(), source)
        finally:
            pipeline.close()
    return summary
