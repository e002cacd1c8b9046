"""The bundled example: true to the article it is coded from."""

from __future__ import annotations

import re
from collections import Counter

import conflictdata as cd

from .conftest import shared_path

MAIN_SOURCE = "src-eurasianet-2020-09-28"
# Slips of the copy in shared/reference, corrected in the dataset.
OCR_FIXES = {"IlTham": "Ilham"}


def _article_text() -> str:
    text = shared_path("reference", "eurasianet-2020-09-28-kucera.txt").read_text("utf-8")
    for wrong, right in OCR_FIXES.items():
        text = text.replace(wrong, right)
    # Line and page breaks of the copy are not part of the text.
    return re.sub(r"\s+", " ", text)


def test_every_quote_is_verbatim_from_the_article(example: cd.Dataset) -> None:
    text = _article_text()
    quotes = [
        c.quote for e in example.events for c in e.citations if c.source == MAIN_SOURCE and c.quote
    ]
    assert len(quotes) >= 25
    missing = [q for q in quotes if q not in text]
    assert missing == []


def test_only_the_coded_article_is_quoted(example: cd.Dataset) -> None:
    # The linked articles were not read: they are cited, never quoted.
    for event in example.events:
        for citation in event.citations:
            if citation.source != MAIN_SOURCE:
                assert citation.quote is None


def test_every_event_cites_the_article(example: cd.Dataset) -> None:
    for event in example.events:
        assert any(c.source == MAIN_SOURCE and c.quote for c in event.citations), event.id


def test_the_whole_article_is_covered(example: cd.Dataset) -> None:
    titles = " | ".join(e.title for e in example.events).lower()
    for topic in [
        "border",
        "blames armenia",
        "blames azerbaijan",
        "baku demanding war",
        "turkey",
        "russian weapons",
        "putin",
        "georgia",
        "karabakh is armenia",
        "negotiations",
        "reserve",
        "pickup trucks",
        "pkk",
        "provocations",
        "withdrawal",
        "embassies",
        "offensive",
        "counter-offensive",
    ]:
        assert topic in titles, topic


def test_statuses_are_honest(example: cd.Dataset) -> None:
    status = {e.id: e.status for e in example.events}
    assert status["evt-2020-07-border-clash"] is cd.Status.DISPUTED
    assert status["evt-2020-russian-arms-shipments"] is cd.Status.UNCONFIRMED
    assert status["evt-2020-serbian-arms-transit"] is cd.Status.UNCONFIRMED
    assert status["evt-2020-09-pkk-claims"] is cd.Status.UNCONFIRMED
    assert status["evt-2020-09-27-offensive"] is cd.Status.CONFIRMED
    assert Counter(status.values())[cd.Status.REPORTED] >= 8


def test_dates_carry_only_the_precision_the_article_gives(example: cd.Dataset) -> None:
    when = {e.id: e.when for e in example.events}
    assert str(when["evt-2020-07-border-clash"].start) == "2020-07"
    assert str(when["evt-2020-07-baku-demonstration"].start) == "2020-07"
    assert str(when["evt-2020-09-25-embassy-warnings"].start) == "2020-09-25"
    assert str(when["evt-2020-09-27-offensive"].start) == "2020-09-27"
    assert when["evt-pashinyan-karabakh-is-armenia"].uncertain


def test_the_escalation_chain_is_linked(example: cd.Dataset) -> None:
    links = {(e.id, r.event, r.relation) for e in example.events for r in e.related}
    assert (
        "evt-2020-07-baku-demonstration",
        "evt-2020-07-border-clash",
        cd.RelationType.RESPONSE_TO,
    ) in links
    assert (
        "evt-2020-09-27-offensive",
        "evt-2020-07-border-clash",
        cd.RelationType.ESCALATION_OF,
    ) in links
    assert (
        "evt-2020-09-27-offensive",
        "evt-2020-07-baku-demonstration",
        cd.RelationType.FOLLOWS,
    ) in links


def test_key_actors_have_their_names_in_the_region_languages(example: cd.Dataset) -> None:
    aliyev = example.get("per-ilham-aliyev")
    assert isinstance(aliyev, cd.Actor)
    assert aliyev.names == {"az": "İlham Əliyev", "hy": "Իլհամ Ալիև", "ru": "Ильхам Алиев"}
    pashinyan = example.get("per-nikol-pashinyan")
    assert isinstance(pashinyan, cd.Actor)
    assert pashinyan.names["hy"] == "Նիկոլ Փաշինյան"
    for state in ("state-az", "state-am"):
        actor = example.get(state)
        assert isinstance(actor, cd.Actor)
        assert {"az", "hy", "ru"} <= set(actor.names)


def test_claims_name_who_makes_them(example: cd.Dataset) -> None:
    arms = example.get("evt-2020-russian-arms-shipments")
    assert isinstance(arms, cd.Event)
    assert arms.citations[0].attributed_to == "gov-az"
    assert arms.citations[0].stance is cd.Stance.REPORTS
