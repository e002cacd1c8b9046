"""The conflictdata records: frozen, keyword-only attrs classes.

Records are immutable values. An optional field that is absent (``None``, or
an empty collection) means *unknown*, never zero. Single-record invariants
are attrs validators; invariants across records (ids, references) are checked
by :func:`conflictdata.validate`.

Collections are tuples, and string forms are accepted for enums and partial
dates, so records read naturally when built by hand::

    >>> from conflictdata import Citation, Event, Participant, When
    >>> event = Event(
    ...     id="evt-1",
    ...     type="ASSAULT",
    ...     title="Shelling of Tovuz district",
    ...     when=When(start="2020-07"),
    ...     participants=[Participant(actor="mil-am", role="initiator")],
    ...     status="disputed",
    ...     citations=[Citation(source="src-1")],
    ... )
    >>> event.when.start.precision, event.status
    ('month', <Status.DISPUTED: 'disputed'>)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from . import _validators as v
from ._dates import PartialDate, as_partial_date
from ._vocab import (
    ActorKind,
    EventType,
    PlacePrecision,
    RelationType,
    Role,
    Side,
    SourceKind,
    Stance,
    Status,
)
from .schemas import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "Affiliation",
    "Archive",
    "Citation",
    "Classification",
    "Dataset",
    "Event",
    "EventRelation",
    "Fatalities",
    "Metadata",
    "Participant",
    "Place",
    "RecordKind",
    "Source",
    "Tombstone",
    "When",
]

# Patterns mirror schemas/<version>/defs.schema.json; tests prove the two agree.
ID_PATTERN = r"[A-Za-z_][A-Za-z0-9_.-]{0,127}"
COUNTRY_PATTERN = r"[A-Z]{2}"
LANGUAGE_PATTERN = r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*"
SCHEME_PATTERN = r"[a-z][a-z0-9_.-]{0,63}"
TOKEN_PATTERN = r"[a-z0-9][a-z0-9_-]{0,63}"  # noqa: S105 - not a password
DATE_TIME_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})"
)
SHA256_PATTERN = r"[0-9a-f]{64}"
# No control characters but tab, LF and CR, and no U+FFFE/U+FFFF: XML cannot hold them.
TEXT_PATTERN = r"[^\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]+"

_id = v.matches(ID_PATTERN, "id (a letter or _, then letters, digits, _ . -; 128 at most)")
_country = v.matches(COUNTRY_PATTERN, "ISO 3166-1 alpha-2 country code")
_language = v.matches(LANGUAGE_PATTERN, "BCP 47 language tag")
_scheme = v.matches(SCHEME_PATTERN, "scheme name (lower-case letters, digits, _ . -)")
_token = v.matches(TOKEN_PATTERN, "vocabulary token (lower-case letters, digits, _ -)")
_text = v.matches(TEXT_PATTERN, "text (non-empty; no control characters but tab, LF, CR)")
_count = v.at_least(0)
_sha256 = v.matches(SHA256_PATTERN, "SHA-256 (64 lower-case hexadecimal digits)")


def _date_time(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _is_date_time(value):
        raise v.FieldValueError(attribute.name, value, "must be an RFC 3339 date-time")


def _is_date_time(text: str) -> bool:
    import datetime as dt  # noqa: PLC0415 - only 1.1 records with archives need it
    import re  # noqa: PLC0415

    if re.fullmatch(DATE_TIME_PATTERN, text) is None:
        return False
    try:
        # fromisoformat takes "Z" only from 3.11 on.
        dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return True


def _date_or_date_time(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, str) and "T" in value:
        _date_time(instance, attribute, value)
        return
    try:
        as_partial_date(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise v.FieldValueError(
            attribute.name, value, "must be a date (YYYY[-MM[-DD]]) or an RFC 3339 date-time"
        ) from None


def _json_object(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise v.FieldValueError(attribute.name, value, "must be a JSON object")


def _optional_date(value: PartialDate | str | None) -> PartialDate | None:
    return None if value is None else as_partial_date(value)


# Named, typed converters (not ``tuple``/``dict``) so that type checkers see
# what each constructor argument accepts.
def _strings(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(items)


def _string_map(mapping: Mapping[str, str]) -> dict[str, str]:
    return dict(mapping)


def _object_map(mapping: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return dict(mapping)


def _participants(items: Iterable[Participant]) -> tuple[Participant, ...]:
    return tuple(items)


def _citations(items: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(items)


def _relations(items: Iterable[EventRelation]) -> tuple[EventRelation, ...]:
    return tuple(items)


def _classifications(items: Iterable[Classification]) -> tuple[Classification, ...]:
    return tuple(items)


def _affiliations(items: Iterable[Affiliation]) -> tuple[Affiliation, ...]:
    return tuple(items)


def _sources(items: Iterable[Source]) -> tuple[Source, ...]:
    return tuple(items)


def _actors(items: Iterable[Actor]) -> tuple[Actor, ...]:
    return tuple(items)


def _events(items: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(items)


def _archives(items: Iterable[Archive]) -> tuple[Archive, ...]:
    return tuple(items)


def _tombstones(items: Iterable[Tombstone]) -> tuple[Tombstone, ...]:
    return tuple(items)


def _texts(*, unique: bool = False) -> Any:
    return attrs.field(factory=tuple, converter=_strings, validator=v.each(_text, unique=unique))


def _identifiers() -> Any:
    return attrs.field(factory=dict, converter=_string_map, validator=v.mapping(_scheme, _text))


def _extensions() -> Any:
    return attrs.field(
        factory=dict, converter=_object_map, validator=v.mapping(_scheme, _json_object)
    )


def _optional(validator: v.Validator, default: Any = None) -> Any:
    return attrs.field(default=default, validator=validator)


def _hash_by_id(self: Any) -> int:
    # Records with mapping fields cannot hash their contents; ids are unique
    # in a dataset and equal records have equal ids, so this is consistent.
    return hash((type(self), self.id))


@attrs.frozen(kw_only=True)
class Fatalities:
    """Numbers of people killed: an absent figure is unknown, never zero."""

    best: int | None = _optional(_count)
    low: int | None = _optional(_count)
    high: int | None = attrs.field(default=None, validator=_count)

    @high.validator
    def _at_least_one(self, attribute: attrs.Attribute[Any], _value: object) -> None:
        if self.best is None and self.low is None and self.high is None:
            raise v.FieldValueError(attribute.name, None, "give at least one of best, low, high")


def _end_not_before_start(instance: When, attribute: attrs.Attribute[Any], end: object) -> None:
    if end is None:
        return
    if instance.end is not None and instance.end.latest() < instance.start.earliest():
        raise v.FieldValueError(
            attribute.name, str(instance.end), f"is before start {instance.start}"
        )


@attrs.frozen(kw_only=True)
class When:
    """When an event happened.

    ``start`` alone: on that day, in that month or year. ``start`` and
    ``end``: it lasted that span. ``uncertain=True``: it happened at some
    unknown point inside the span.
    """

    start: PartialDate = attrs.field(converter=as_partial_date)
    end: PartialDate | None = attrs.field(
        default=None, converter=_optional_date, validator=_end_not_before_start
    )
    uncertain: bool = False


def _both_or_neither(instance: Place, attribute: attrs.Attribute[Any], _value: object) -> None:
    if (instance.lat is None) != (instance.lon is None):
        raise v.FieldValueError(
            attribute.name, _value, "lat and lon go together: give both or neither"
        )


@attrs.frozen(kw_only=True)
class Place:
    """Where an event happened (WGS84 coordinates, both or neither)."""

    name: str = attrs.field(validator=_text)
    country: str | None = _optional(_country)
    admin1: str | None = _optional(_text)
    admin2: str | None = _optional(_text)
    lat: float | None = _optional(v.finite_between(-90, 90))
    lon: float | None = attrs.field(
        default=None, validator=[v.finite_between(-180, 180), _both_or_neither]
    )
    precision: PlacePrecision | None = attrs.field(
        default=None, converter=attrs.converters.optional(PlacePrecision)
    )
    geonames_id: int | None = _optional(v.at_least(1))


@attrs.frozen(kw_only=True)
class Participant:
    """An actor's part in an event."""

    actor: str = attrs.field(validator=_id)
    role: Role = attrs.field(converter=Role)
    #: The side of a two-sided event the actor was on (since schema 1.1).
    side: Side | None = attrs.field(default=None, converter=attrs.converters.optional(Side))


@attrs.frozen(kw_only=True)
class Citation:
    """What one source says about an event, with the exact quote."""

    source: str = attrs.field(validator=_id)
    quote: str | None = _optional(_text)
    locator: str | None = _optional(_text)
    attributed_to: str | None = _optional(_id)
    stance: Stance | None = attrs.field(default=None, converter=attrs.converters.optional(Stance))
    fatalities: Fatalities | None = None


@attrs.frozen(kw_only=True)
class EventRelation:
    """A link from one event to another."""

    event: str = attrs.field(validator=_id)
    relation: RelationType = attrs.field(converter=RelationType)


@attrs.frozen(kw_only=True)
class Classification:
    """A code of an external taxonomy, kept so that imports round-trip."""

    scheme: str = attrs.field(validator=_scheme)
    code: str = attrs.field(validator=_text)
    label: str | None = _optional(_text)


@attrs.frozen(kw_only=True)
class Affiliation:
    """Membership of, or office in, another actor."""

    actor: str = attrs.field(validator=_id)
    role: str | None = _optional(_text)
    start: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    end: PartialDate | None = attrs.field(default=None, converter=_optional_date)


@attrs.frozen(kw_only=True)
class Archive:
    """A preserved copy of a source: where it is, when it was captured, and its SHA-256."""

    url: str = attrs.field(validator=v.uri())
    captured: str = attrs.field(validator=_date_time)
    sha256: str = attrs.field(validator=_sha256)
    tool: str | None = _optional(_text)


@attrs.frozen(kw_only=True, hash=False)
class Source:
    """A piece of evidence that events cite."""

    id: str = attrs.field(validator=_id)
    kind: SourceKind = attrs.field(converter=SourceKind)
    title: str = attrs.field(validator=_text)
    authors: tuple[str, ...] = _texts()
    publisher: str | None = _optional(_text)
    published: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    url: str | None = _optional(v.uri())
    language: str | None = _optional(_language)
    accessed: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    notes: str | None = _optional(_text)
    #: Preserved copies of the source (since schema 1.1).
    archives: tuple[Archive, ...] = attrs.field(factory=tuple, converter=_archives)
    identifiers: dict[str, str] = _identifiers()
    extensions: dict[str, dict[str, Any]] = _extensions()

    __hash__ = _hash_by_id


@attrs.frozen(kw_only=True, hash=False)
class Actor:
    """A state, organisation, group or person that takes part in events."""

    id: str = attrs.field(validator=_id)
    kind: ActorKind = attrs.field(converter=ActorKind)
    name: str = attrs.field(validator=_text)
    names: dict[str, str] = attrs.field(
        factory=dict, converter=_string_map, validator=v.mapping(_language, _text)
    )
    aliases: tuple[str, ...] = _texts()
    country: str | None = _optional(_country)
    affiliations: tuple[Affiliation, ...] = attrs.field(factory=tuple, converter=_affiliations)
    identifiers: dict[str, str] = _identifiers()
    description: str | None = _optional(_text)
    extensions: dict[str, dict[str, Any]] = _extensions()

    __hash__ = _hash_by_id


@attrs.frozen(kw_only=True, hash=False)
class Event:
    """Who did what to whom, when, where, how certain it is, and on which evidence."""

    id: str = attrs.field(validator=_id)
    type: EventType = attrs.field(converter=EventType)
    mode: str | None = _optional(_token)
    contexts: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_strings, validator=v.each(_token, unique=True)
    )
    title: str = attrs.field(validator=_text)
    description: str | None = _optional(_text)
    when: When
    location: Place | None = None
    participants: tuple[Participant, ...] = attrs.field(converter=_participants)
    fatalities: Fatalities | None = None
    status: Status = attrs.field(converter=Status)
    citations: tuple[Citation, ...] = attrs.field(converter=_citations, validator=v.min_items(1))
    related: tuple[EventRelation, ...] = attrs.field(factory=tuple, converter=_relations)
    classifications: tuple[Classification, ...] = attrs.field(
        factory=tuple, converter=_classifications
    )
    identifiers: dict[str, str] = _identifiers()
    tags: tuple[str, ...] = _texts(unique=True)
    notes: str | None = _optional(_text)
    extensions: dict[str, dict[str, Any]] = _extensions()

    __hash__ = _hash_by_id


@attrs.frozen(kw_only=True)
class Metadata:
    """What a dataset is and who made it."""

    title: str = attrs.field(validator=_text)
    description: str | None = _optional(_text)
    license: str | None = _optional(_text)
    creators: tuple[str, ...] = _texts()
    created: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    version: str | None = _optional(_text)


@attrs.frozen(kw_only=True, hash=False)
class Tombstone:
    """A record an upstream dataset withdrew: its id stays taken (since schema 1.1)."""

    id: str = attrs.field(validator=_id)
    #: When it was withdrawn: a date (``YYYY[-MM[-DD]]``) or an RFC 3339 date-time.
    deleted: str = attrs.field(validator=_date_or_date_time)
    identifiers: dict[str, str] = _identifiers()
    reason: str | None = _optional(_text)

    __hash__ = _hash_by_id


@attrs.frozen(kw_only=True, hash=False)
class Dataset:
    """A conflictdata document: metadata, sources, actors and events."""

    schema_version: str = attrs.field(default=SCHEMA_VERSION)
    metadata: Metadata
    sources: tuple[Source, ...] = attrs.field(factory=tuple, converter=_sources)
    actors: tuple[Actor, ...] = attrs.field(factory=tuple, converter=_actors)
    events: tuple[Event, ...] = attrs.field(factory=tuple, converter=_events)
    #: Records an upstream dataset withdrew (since schema 1.1).
    deleted: tuple[Tombstone, ...] = attrs.field(factory=tuple, converter=_tombstones)

    def __hash__(self) -> int:
        return hash((self.metadata, self.sources, self.actors, self.events, self.deleted))

    def get(self, record_id: str) -> Source | Actor | Event:
        """The source, actor or event with this id; ``KeyError`` if there is none."""
        for records in (self.events, self.actors, self.sources):
            for record in records:
                if record.id == record_id:
                    return record
        raise KeyError(record_id)


class RecordKind(str, enum.Enum):
    """The records that stand alone in a stream, in document order.

    Each kind names its dataset member and its class, so no table maps one to
    the other. Members compare equal to their strings (``"event"``).

    >>> RecordKind("event").member, RecordKind.EVENT.record_type.__name__
    ('events', 'Event')
    """

    SOURCE = "source"
    ACTOR = "actor"
    EVENT = "event"
    #: A withdrawn record (since schema 1.1), in the dataset's ``deleted`` list.
    TOMBSTONE = "tombstone"

    # A member equals its string, so it hashes as its string too (Enum hashes
    # by name): a dict or set keyed either way finds the other, at C speed.
    __hash__ = str.__hash__

    def __str__(self) -> str:
        return self.value

    @property
    def member(self) -> str:
        """The dataset member holding records of this kind: ``"events"``."""
        return _MEMBERS[self]

    @property
    def record_type(self) -> type[Source | Actor | Event | Tombstone]:
        """The record class: :class:`Event` for ``EVENT``."""
        return _RECORD_TYPES[self]

    @classmethod
    def named(cls, kind: str) -> RecordKind:
        """The kind called ``kind`` (a member names itself).

        One dict lookup, where ``RecordKind(kind)`` is an enum call: streams
        look a kind up for every record.
        """
        return _BY_NAME.get(kind) or cls(kind)

    @classmethod
    def of(cls, record: Source | Actor | Event | Tombstone) -> RecordKind:
        """The kind of a record."""
        return _KIND_OF_TYPE[type(record)]


# Members hash as their strings, so a member finds itself here too.
_BY_NAME: dict[str, RecordKind] = {kind.value: kind for kind in RecordKind}
_RECORD_TYPES: dict[RecordKind, type[Source | Actor | Event | Tombstone]] = {
    RecordKind.SOURCE: Source,
    RecordKind.ACTOR: Actor,
    RecordKind.EVENT: Event,
    RecordKind.TOMBSTONE: Tombstone,
}
_MEMBERS = {
    RecordKind.SOURCE: "sources",
    RecordKind.ACTOR: "actors",
    RecordKind.EVENT: "events",
    RecordKind.TOMBSTONE: "deleted",
}
_KIND_OF_TYPE = {cls: kind for kind, cls in _RECORD_TYPES.items()}

# The member of each record kind, for modules that index by kind name.
RECORD_LISTS: dict[str, str] = {kind.value: kind.member for kind in RecordKind}
