"""``conflictdata info``: a summary of a dataset, counted as its records stream by."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ._dates import PartialDate
from ._stream import iter_records
from .model import Actor, Event, Source, Tombstone

__all__ = ["Summary", "summarise"]


class Summary:
    def __init__(self, title: str) -> None:
        self.title = title
        self.counts: Counter[str] = Counter()
        self.types: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.countries: Counter[str] = Counter()
        self.first: PartialDate | None = None
        self.last: PartialDate | None = None
        self.fatalities = 0
        self.with_fatalities = 0

    def add(self, record: Source | Actor | Event) -> None:
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
        if record.fatalities and record.fatalities.best is not None:
            self.fatalities += record.fatalities.best
            self.with_fatalities += 1

    def render(self, label: str) -> str:
        def ranked(counter: Counter[str]) -> str:
            return ", ".join(f"{key} {n}" for key, n in counter.most_common()) or "-"

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
            (
                "fatalities",
                f"{self.fatalities:,} (best figures of {self.with_fatalities:,} events)"
                if self.with_fatalities
                else "- (no event gives a best figure)",
            ),
        ]
        width = max(len(key) for key, _ in rows)
        return "".join(f"{key:<{width}}  {value}\n" for key, value in rows)


def summarise(path: Path, format_name: str) -> Summary:
    # Streamed: a summary of a large file needs no more memory than the counts.
    with iter_records(path, format=format_name) as records:
        summary = Summary(records.metadata.title)
        for record in records:
            if not isinstance(record, Tombstone):
                summary.add(record)
    return summary
