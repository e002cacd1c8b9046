"""Closed vocabularies of the data model, one enum each.

Every enum is a ``str`` subclass whose values are the JSON spellings, so a
member compares equal to its JSON value and serialises as itself.
"""

from __future__ import annotations

import enum

__all__ = [
    "ActorKind",
    "EventType",
    "PlacePrecision",
    "RelationType",
    "Role",
    "Side",
    "SourceKind",
    "Stance",
    "Status",
]


class _Vocabulary(str, enum.Enum):
    """Base of the vocabularies: ``str()`` gives the JSON value."""

    def __str__(self) -> str:
        return str(self.value)


class EventType(_Vocabulary):
    """The sixteen PLOVER event types, grouped by quad class."""

    # verbal cooperation
    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    # material cooperation
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    # verbal conflict
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    SANCTION = "SANCTION"
    # material conflict
    PROTEST = "PROTEST"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class Status(_Vocabulary):
    """How well an event is established."""

    CONFIRMED = "confirmed"
    REPORTED = "reported"
    UNCONFIRMED = "unconfirmed"
    DISPUTED = "disputed"
    DENIED = "denied"


class Role(_Vocabulary):
    """An actor's part in an event."""

    INITIATOR = "initiator"
    TARGET = "target"
    PARTICIPANT = "participant"
    SUPPORTER = "supporter"
    MEDIATOR = "mediator"
    VICTIM = "victim"
    OBSERVER = "observer"


class Side(_Vocabulary):
    """The side of a two-sided event an actor was on (a dyad's side A or B)."""

    A = "a"
    B = "b"


class RelationType(_Vocabulary):
    """How one event relates to another."""

    PART_OF = "part_of"
    ESCALATION_OF = "escalation_of"
    RESPONSE_TO = "response_to"
    FOLLOWS = "follows"
    SAME_AS = "same_as"


class Stance(_Vocabulary):
    """What a source does with an event: asserts it, denies it or reports a claim."""

    ASSERTS = "asserts"
    DENIES = "denies"
    REPORTS = "reports"


class SourceKind(_Vocabulary):
    """What kind of evidence a source is."""

    NEWS_ARTICLE = "news_article"
    REPORT = "report"
    OFFICIAL_STATEMENT = "official_statement"
    SOCIAL_MEDIA = "social_media"
    DATASET = "dataset"
    INTERVIEW = "interview"
    OTHER = "other"


class ActorKind(_Vocabulary):
    """What kind of actor takes part in events."""

    STATE = "state"
    GOVERNMENT = "government"
    MILITARY = "military"
    ARMED_GROUP = "armed_group"
    POLITICAL_PARTY = "political_party"
    PERSON = "person"
    ORGANIZATION = "organization"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    MEDIA = "media"
    CIVILIANS = "civilians"
    PROTESTERS = "protesters"
    OTHER = "other"


class PlacePrecision(_Vocabulary):
    """How precisely a place is known, from a point to a whole country."""

    EXACT = "exact"
    NEAR = "near"
    ADMIN2 = "admin2"
    ADMIN1 = "admin1"
    REGION = "region"
    COUNTRY = "country"
