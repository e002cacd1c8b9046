"""CAMEO event codes -> the sixteen PLOVER event types, as data.

PLOVER keeps only CAMEO's two-digit cue categories, so a code maps by its
root (the first two digits) unless the PLOVER crosswalk sends part of that
root elsewhere: CAMEO 08 YIELD is split into verbal CONCEDE and material
RETREAT, and a few codes of 16, 17 and 19 change type. The exceptions come
from ``CAMEO2PLOVER-2021.txt`` of the openeventdata/PLOVER repository; the
roots from the PLOVER manual, with the draft type DEMAND under its current
name REQUEST. ``docs/interop.md`` has the table and where each row comes
from; a test holds the two together. GDELT and ICEWS use the same codes.
"""

from __future__ import annotations

import re

from .._vocab import EventType

__all__ = [
    "EXCEPTIONS",
    "ROOTS",
    "STATEMENT",
    "code_for",
    "event_type",
    "is_code",
    "plover_type",
    "quad_class",
]

_E = EventType

#: Root code -> (CAMEO name, PLOVER type). ``None``: PLOVER has no type for
#: it (the manual drops CAMEO's public statements).
ROOTS: dict[str, tuple[str, EventType | None]] = {
    "01": ("Make public statement", None),
    "02": ("Appeal", _E.REQUEST),
    "03": ("Express intent to cooperate", _E.AGREE),
    "04": ("Consult", _E.CONSULT),
    "05": ("Engage in diplomatic cooperation", _E.SUPPORT),
    "06": ("Engage in material cooperation", _E.COOPERATE),
    "07": ("Provide aid", _E.AID),
    "08": ("Yield", _E.CONCEDE),
    "09": ("Investigate", _E.ACCUSE),
    "10": ("Demand", _E.REQUEST),
    "11": ("Disapprove", _E.ACCUSE),
    "12": ("Reject", _E.REJECT),
    "13": ("Threaten", _E.THREATEN),
    "14": ("Protest", _E.PROTEST),
    "15": ("Exhibit force posture", _E.MOBILIZE),
    "16": ("Reduce relations", _E.SANCTION),
    "17": ("Coerce", _E.COERCE),
    "18": ("Assault", _E.ASSAULT),
    "19": ("Fight", _E.ASSAULT),
    "20": ("Use unconventional mass violence", _E.ASSAULT),
}

#: Event code -> (CAMEO name, PLOVER type) where it differs from its root's;
#: a code also covers the longer codes under it (084 covers 0841 and 0842).
EXCEPTIONS: dict[str, tuple[str, EventType]] = {
    "0813": ("Ease curfew", _E.RETREAT),
    "0814": ("Ease state of emergency or martial law", _E.RETREAT),
    "084": ("Return, release", _E.RETREAT),
    "085": ("Ease economic sanctions, boycott, embargo", _E.RETREAT),
    "086": ("Allow international involvement", _E.RETREAT),
    "087": ("De-escalate military engagement", _E.RETREAT),
    "163": ("Impose embargo, boycott, or sanctions", _E.COERCE),
    "1712": ("Destroy property", _E.ASSAULT),
    "175": ("Use tactics of violent repression", _E.ASSAULT),
    "191": ("Impose blockade, restrict movement", _E.COERCE),
    "192": ("Occupy territory", _E.COERCE),
}

_CODE = re.compile(r"(0[1-9]|1[0-9]|20)[0-9]{0,2}")


def is_code(text: str) -> bool:
    """Whether ``text`` is a CAMEO event code: a root 01-20 and up to two more digits."""
    return _CODE.fullmatch(text) is not None


def plover_type(code: str) -> EventType | None:
    """The PLOVER type of a CAMEO event code; ``None`` for a code PLOVER does not code.

    Raises:
        ValueError: ``code`` is not a CAMEO event code.
    """
    if not is_code(code):
        raise ValueError(f"not a CAMEO event code: {code!r}")
    for length in (4, 3):
        exception = EXCEPTIONS.get(code[:length]) if len(code) >= length else None
        if exception is not None:
            return exception[1]
    return ROOTS[code[:2]][1]


#: The type GDELT and ICEWS events of root 01 (public statements) are kept
#: under: those datasets are read row for row, and of the verbal
#: cooperation types SUPPORT ("praise or endorse", "defend verbally") is the
#: nearest to a statement, an empathetic comment or an expression of accord.
#: The event keeps its CAMEO code, which says what it was.
STATEMENT = EventType.SUPPORT


def event_type(code: str) -> EventType:
    """The type of a GDELT or ICEWS event coded ``code``: the crosswalk's, or :data:`STATEMENT`.

    Raises:
        ValueError: ``code`` is not a CAMEO event code.
    """
    found = plover_type(code)
    return STATEMENT if found is None else found


#: PLOVER type -> the CAMEO code written for an event from elsewhere: the
#: general code of the root the crosswalk sends wholly to it (DEMAND, not
#: APPEAL, for REQUEST; DISAPPROVE, not INVESTIGATE, for ACCUSE).
_CODE_FOR: dict[EventType, str] = {
    _E.AGREE: "030",
    _E.CONSULT: "040",
    _E.SUPPORT: "050",
    _E.CONCEDE: "080",
    _E.COOPERATE: "060",
    _E.AID: "070",
    _E.RETREAT: "084",
    _E.REQUEST: "100",
    _E.ACCUSE: "110",
    _E.REJECT: "120",
    _E.THREATEN: "130",
    _E.SANCTION: "160",
    _E.PROTEST: "140",
    _E.MOBILIZE: "150",
    _E.COERCE: "170",
    _E.ASSAULT: "180",
}


def code_for(kind: EventType) -> str:
    """A CAMEO event code the crosswalk gives ``kind`` for, to write an event from elsewhere."""
    return _CODE_FOR[kind]


def quad_class(code: str) -> str:
    """GDELT's QuadClass of a CAMEO code: 1 verbal and 2 material cooperation, 3 and 4 conflict."""
    root = int(code[:2])
    return "1" if root <= 5 else "2" if root <= 8 else "3" if root <= 13 else "4"
