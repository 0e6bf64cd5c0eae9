"""The assessment round kind: strengths and weaknesses of today's culture against the round's items,
on a scale with "Don't know" and two optional texts per item (DESIGN §5). Through the participant
pages: draft, errors at the field, review, sealed submit; the results (profile with intervals,
texts per item) only when the round may show them; texts traced through the receipt page."""

import io
import math
import statistics
from collections.abc import Callable
from datetime import timedelta
from html import unescape

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puls.invitations import services as ballots
from puls.invitations.models import Draft, Invitation
from puls.organisations.models import Person
from puls.participation import selectors, services
from puls.participation.ballot_kind import DialogueRoundKind
from puls.participation.models import (
    Assessment,
    Contribution,
    NamedAuthorship,
    Process,
    Receipt,
    Round,
    RoundItem,
    Support,
)
from puls.participation.round_kinds import round_kind_get
from puls.participation.services import ParticipationError
from puls.participation.tests.conftest import Dialogue, facilitator_client
from puls.testing import Personas

pytestmark = pytest.mark.django_db

ITEMS = ["Tillid", "Faglighed", "Ordentlighed"]
RECEIPT_URL = reverse("dialogue_receipt:receipt")
# Student's t, 97.5 % quantile, 9 degrees of freedom (ten scores): from a printed table.
T_975_9 = 2.2622


def assessment_round(personas: Personas, titles: list[str], *, mode: str = Process.Mode.ANONYMOUS) -> Round:
    process = services.process_create(
        actor=personas.org_admin,
        organisation=personas.org,
        settings=services.ProcessSettings(title="Fælles værdier 2027", purpose="Værdier", mode=mode),
    )
    now = timezone.now()
    return services.round_create(
        actor=personas.org_admin,
        process=process,
        settings=services.RoundSettings(
            title="Runde 3: Hvor står vi i dag?",
            kind="assessment",
            question="Hvor stærk er vores kultur i dag på hver af værdierne?",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=7),
        ),
    )


@pytest.fixture
def make_assessment(crowd: Personas) -> Callable[..., Dialogue]:
    def _make(titles: list[str] = ITEMS, *, mode: str = Process.Mode.ANONYMOUS) -> Dialogue:
        round_ = assessment_round(crowd, titles, mode=mode)
        for order, title in enumerate(titles):
            RoundItem.objects.create(
                round=round_, title=title, description=f"Om {title.lower()}", order=order
            )
        services.round_launch(actor=crowd.org_admin, round_=round_)
        return Dialogue(personas=crowd, process=round_.process, round=Round.objects.get(pk=round_.pk))

    return _make


@pytest.fixture
def assessment(make_assessment: Callable[..., Dialogue]) -> Dialogue:
    return make_assessment()


def items(dialogue: Dialogue) -> list[RoundItem]:
    return list(RoundItem.objects.filter(round=dialogue.round).order_by("order"))


def answers(dialogue: Dialogue, given: dict[str, dict[str, str]], action: str = "save") -> dict[str, str]:
    """The page's form data: every item's fields, filled where `given` (by item title) says."""
    data = {"action": action}
    for item in items(dialogue):
        entry = given.get(item.title, {})
        data[f"{item.pk.hex}-score"] = entry.get("score", "")
        data[f"{item.pk.hex}-strength"] = entry.get("strength", "")
        data[f"{item.pk.hex}-weakness"] = entry.get("weakness", "")
    return data


def submit(dialogue: Dialogue, person: Person, given: dict[str, dict[str, str]]) -> tuple[Client, str]:
    """Answer through the pages, submit on the review page; return (client, receipt code)."""
    client = dialogue.participant(person)
    response = client.post(dialogue.url("assessment"), answers(dialogue, given, action="review"))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == dialogue.url("review")
    code = client.get(dialogue.url("review")).context["code"]
    done = client.post(dialogue.url("review"), {"receipt_code": code})
    assert done.status_code == 200
    assert done.context["code"].replace("-", "") == code
    return client, code


def close(dialogue: Dialogue) -> None:
    services.round_close(actor=dialogue.personas.org_admin, round_=Round.objects.get(pk=dialogue.round.pk))


def site_round_page(dialogue: Dialogue) -> str:
    url = reverse(
        "dialogue_site:round",
        kwargs={
            "org_slug": dialogue.personas.org.slug,
            "process_id": dialogue.process.pk,
            "round_id": dialogue.round.pk,
        },
    )
    response = facilitator_client(dialogue.personas).get(url)
    assert response.status_code == 200
    return response.content.decode()


# Setting up ------------------------------------------------------------------------------------------


def test_the_kind_is_registered_with_its_needs():
    kind = round_kind_get("assessment")
    assert kind.anonymity.free_text
    assert kind.anonymity.votes
    assert kind.more_by_receipt is False
    assert kind.setup_view == "participation:round_items"
    assert kind.admin_urls() == []
    assert kind.settings_defaults() == {"scale_labels": []}


def test_a_round_without_items_cannot_be_launched(crowd):
    round_ = assessment_round(crowd, [])
    with pytest.raises(ParticipationError, match="Add the items"):
        services.round_launch(actor=crowd.org_admin, round_=round_)
    RoundItem.objects.create(round=round_, title="Tillid")
    services.round_launch(actor=crowd.org_admin, round_=round_)


# Answering -------------------------------------------------------------------------------------------


def test_participant_assesses_items_reviews_and_submits(assessment):
    person = assessment.people()[0]
    client = assessment.participant(person)
    start = client.get(assessment.url("start"))
    assert start["Location"] == assessment.url("assessment")
    page = client.get(assessment.url("assessment"))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = unescape(page.content.decode())
    tillid, faglighed, _ordentlighed = items(assessment)
    # One fieldset per item, headed and reachable from the list at the top.
    for number, item in enumerate(items(assessment), start=1):
        assert f'<fieldset class="puls-review-section" id="item-{item.pk.hex}"' in html
        assert f'<a href="#item-{item.pk.hex}" class="function-link">{item.title}</a>' in html
        assert f'<legend><h2 class="h3">{number}. {item.title}</h2></legend>' in html
    assert "1 – Very weak" in html
    assert "5 – Very strong" in html
    assert "Don't know" in html
    assert "What works well today (strength)" in html
    assert "What gets in the way (weakness)" in html

    saved = client.post(
        assessment.url("assessment"),
        answers(
            assessment,
            {
                "Tillid": {"score": "4", "strength": "Vi taler åbent om fejl", "weakness": "Travlhed"},
                "Faglighed": {"score": "dont-know"},
            },
            action=f"save-{faglighed.pk.hex}",
        ),
    )
    assert saved.status_code == 302
    assert saved["Location"] == assessment.url("assessment") + f"#item-{faglighed.pk.hex}"
    # A draft, not answers, until the submit.
    assert not Assessment.objects.exists()
    assert not Contribution.objects.exists()
    again = client.get(assessment.url("assessment")).content.decode()
    assert "You have answered 2 items so far." in again
    assert f'value="4" class="form-radio" id="id_{tillid.pk.hex}-score_3" checked' in again
    assert f'value="dont-know" class="form-radio" id="id_{faglighed.pk.hex}-score_5" checked' in again
    assert "Vi taler åbent om fejl</textarea>" in again

    to_review = client.post(
        assessment.url("assessment"), {**answers_of(again, assessment), "action": "review"}
    )
    assert to_review["Location"] == assessment.url("review")
    review = client.get(assessment.url("review"))
    text = unescape(review.content.decode())
    assert "1. Tillid" in text
    assert "4 – Strong" in text
    assert "Vi taler åbent om fejl" in text
    assert "2. Faglighed" in text
    assert "Don't know" in text
    assert "3. Ordentlighed" not in text
    assert "You did not answer 1 item." in text
    done = client.post(assessment.url("review"), {"receipt_code": review.context["code"]})
    assert done.status_code == 200
    assert review.context["code_shown"] in done.content.decode()

    receipt = Receipt.objects.get()
    invitation = Invitation.objects.get(ballot_id=assessment.round.ballot_id, person=person)
    assert invitation.completed is True
    assert not Draft.objects.exists()
    scores = {(a.item.title, a.score) for a in Assessment.objects.select_related("item")}
    assert scores == {("Tillid", 4), ("Faglighed", None)}
    assert set(Assessment.objects.values_list("receipt_id", "cell_id", "shuffled")) == {
        (receipt.pk, invitation.cell_id, False)
    }
    texts = sorted(
        Contribution.objects.values_list(
            "item__title", "category", "text", "receipt_id", "cell_id", "shuffled"
        )
    )
    assert texts == [
        ("Tillid", "strength", "Vi taler åbent om fejl", receipt.pk, invitation.cell_id, False),
        ("Tillid", "weakness", "Travlhed", receipt.pk, invitation.cell_id, False),
    ]
    assert not NamedAuthorship.objects.exists()
    # No "more input later" in an assessment round.
    assert "more_url" not in done.context or done.context["more_url"] == ""
    assert Client().get(assessment.url("more")).status_code == 404


def answers_of(html: str, dialogue: Dialogue) -> dict[str, str]:
    """What the browser would post back from the page as it is (checked radios, textarea texts)."""
    data = {}
    for item in items(dialogue):
        prefix = item.pk.hex
        data[f"{prefix}-score"] = ""
        for value in ("1", "2", "3", "4", "5", "dont-know"):
            if f'value="{value}" class="form-radio" id="id_{prefix}-score_' in html:
                start = html.index(f'value="{value}" class="form-radio" id="id_{prefix}-score_')
                if html[start : html.index(">", start)].endswith("checked"):
                    data[f"{prefix}-score"] = value
        for name in ("strength", "weakness"):
            marker = f'id="id_{prefix}-{name}">'
            start = html.index(marker) + len(marker)
            data[f"{prefix}-{name}"] = html[start : html.index("</textarea>", start)].strip()
    return data


def test_errors_are_shown_at_the_field_and_nothing_is_saved(assessment):
    client = assessment.participant(assessment.people()[0])
    tillid, faglighed, _ordentlighed = items(assessment)
    client.post(assessment.url("assessment"), answers(assessment, {"Tillid": {"score": "2"}}))
    before = Draft.objects.get().pk

    too_long = "x" * 2001
    response = client.post(
        assessment.url("assessment"),
        answers(assessment, {"Tillid": {"score": "5"}, "Faglighed": {"score": "3", "weakness": too_long}}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    field = f"id_{faglighed.pk.hex}-weakness"
    assert f'<span class="form-error-message" id="{field}-error">' in html
    assert 'aria-invalid="true"' in html
    assert f'href="#{field}"' in html  # the summary links to the field
    assert "Nothing was saved." in html
    assert "<title>Error:" in html
    # The draft still holds what was saved before: Tillid 2, nothing for Faglighed.
    page = client.get(assessment.url("assessment")).content.decode()
    assert f'value="2" class="form-radio" id="id_{tillid.pk.hex}-score_1" checked' in page
    assert f'id="id_{faglighed.pk.hex}-score_2" checked' not in page
    assert Draft.objects.get().pk == before

    # A value outside the scale is refused at the field too.
    bad = client.post(assessment.url("assessment"), answers(assessment, {"Tillid": {"score": "7"}}))
    assert f'id="id_{tillid.pk.hex}-score-error"' in bad.content.decode()


def test_review_needs_at_least_one_answer(assessment):
    client = assessment.participant(assessment.people()[0])
    response = client.post(assessment.url("assessment"), answers(assessment, {}, action="review"))
    assert response.status_code == 200
    assert "Answer at least one item" in response.content.decode()
    # Only a text counts as an answer too.
    response = client.post(
        assessment.url("assessment"),
        answers(assessment, {"Ordentlighed": {"strength": "Vi holder det, vi lover"}}, action="review"),
    )
    assert response["Location"] == assessment.url("review")


def test_a_text_that_looks_like_a_cpr_number_is_warned_about(assessment):
    client = assessment.participant(assessment.people()[0])
    tillid = items(assessment)[0]
    client.post(
        assessment.url("assessment"), answers(assessment, {"Tillid": {"weakness": "Ring til 010190-1234"}})
    )
    page = client.get(assessment.url("assessment")).content.decode()
    assert "Looks like it contains a CPR number" in page
    assert f'aria-describedby="id_{tillid.pk.hex}-weakness-cpr"' in page
    assert "Looks like it contains a CPR number" in client.get(assessment.url("review")).content.decode()


def test_an_invalid_submission_stores_nothing(assessment):
    person = assessment.people()[1]
    tillid = items(assessment)[0]
    other_round_item = RoundItem.objects.create(
        round=assessment_round(assessment.personas, []), title="Andet"
    )
    bad_submissions = [
        {tillid.pk.hex: {"score": 9, "strength": "", "weakness": ""}},
        {tillid.pk.hex: {"score": True, "strength": "", "weakness": ""}},
        {tillid.pk.hex: {"score": 3, "strength": "x" * 2001, "weakness": ""}},
        {other_round_item.pk.hex: {"score": 3, "strength": "", "weakness": ""}},
        {tillid.pk.hex: {"strength": "  ", "weakness": ""}},  # nothing answered
        {},
        "tillid",
    ]
    for bad in bad_submissions:
        holder = ballots.TokenHolder(ballot=assessment.ballot, token=assessment.token(person))
        with pytest.raises(ballots.InvalidSubmission):
            ballots.ballot_submit(
                holder=holder, data={"receipt_code": "0123456789ABCDEF", "assessments": bad}
            )
    assert not Receipt.objects.exists()
    assert not Assessment.objects.exists()
    assert not Contribution.objects.exists()
    assert Invitation.objects.get(ballot_id=assessment.round.ballot_id, person=person).completed is False

    # Through the review page: a draft that no longer validates is shown with the errors, not stored.
    client = assessment.participant(person)
    ballots.draft_save(
        holder=ballots.TokenHolder(ballot=assessment.ballot, token=assessment.token(person)),
        data={"assessments": {tillid.pk.hex: {"score": 9, "strength": "", "weakness": ""}}},
    )
    review = client.get(assessment.url("review"))
    response = client.post(assessment.url("review"), {"receipt_code": review.context["code"]})
    assert response.status_code == 200
    assert "Your input could not be accepted" in response.content.decode()
    assert "Tillid: Choose a point of the scale" in response.content.decode()
    assert not Receipt.objects.exists()
    assert not Assessment.objects.exists()


def test_the_page_belongs_to_assessment_rounds_only(dialogue):
    client = dialogue.participant(dialogue.people()[0])
    assert client.get(dialogue.url("assessment")).status_code == 404


def test_named_process_writes_authorship_of_the_texts_only(make_assessment):
    dialogue = make_assessment(mode=Process.Mode.NAMED)
    person = dialogue.people()[0]
    submit(dialogue, person, {"Tillid": {"score": "3", "strength": "Åbenhed"}})
    authorship = NamedAuthorship.objects.get()
    assert (authorship.person_id, authorship.contribution.text) == (person.pk, "Åbenhed")
    assert Assessment.objects.get().shuffled is True


# Shuffle ----------------------------------------------------------------------------------------------


def test_answer_tables_are_listed_once_and_the_shuffle_rewrites_both_kinds(assessment, dialogue):
    tables = DialogueRoundKind().answer_models()
    assert len(tables) == len(set(tables))
    assert {Receipt, Contribution, Support, Assessment} <= set(tables)

    people = assessment.people()
    submit(assessment, people[0], {"Tillid": {"score": "5", "strength": "Tillid til hinanden"}})
    submit(assessment, people[1], {"Tillid": {"score": "2"}, "Faglighed": {"weakness": "For lidt tid"}})
    dialogue.submit_ideas(dialogue.people()[2], ["Fælles frokost"])
    before = {
        "assessments": sorted(Assessment.objects.values_list("receipt_id", "item_id", "score")),
        "texts": sorted(Contribution.objects.values_list("receipt_id", "item_id", "category", "text")),
    }
    assert not Assessment.objects.filter(shuffled=True).exists()

    assessment.publish()
    assert not Assessment.objects.filter(shuffled=False).exists()
    assert not Contribution.objects.filter(round=assessment.round, shuffled=False).exists()
    assert Contribution.objects.get(round=dialogue.round).shuffled is False  # the other round waits
    dialogue.publish()
    assert not Contribution.objects.filter(shuffled=False).exists()
    assert not Receipt.objects.filter(shuffled=False).exists()
    after = {
        "assessments": sorted(Assessment.objects.values_list("receipt_id", "item_id", "score")),
        "texts": sorted(Contribution.objects.values_list("receipt_id", "item_id", "category", "text")),
    }
    assert after == before


# Results ---------------------------------------------------------------------------------------------

PROFILE_SCORES = ["1", "2", "3", "3", "4", "4", "4", "4", "5", "5"]


@pytest.fixture
def closed_assessment(assessment: Dialogue) -> Dialogue:
    """Ten ballots (the free-text threshold): Tillid scored by all ten, Faglighed by three (below
    k = 5) and "Don't know" by two; texts on Tillid, one of them hidden after close."""
    people = assessment.people()[:10]
    for index, person in enumerate(people):
        given: dict[str, dict[str, str]] = {"Tillid": {"score": PROFILE_SCORES[index]}}
        if index < 3:
            given["Faglighed"] = {"score": "4"}
        elif index < 5:
            given["Faglighed"] = {"score": "dont-know"}
        if index == 0:
            given["Tillid"]["strength"] = "Ledelsen lytter"
        if index == 1:
            given["Tillid"]["weakness"] = "Beslutninger kommer fra oven"
        if index == 2:
            given["Tillid"]["weakness"] = "Kollegaen Jens sladrer"
        submit(assessment, person, given)
    close(assessment)
    services.contribution_hide(
        actor=assessment.personas.org_admin,
        contribution=Contribution.objects.get(text="Kollegaen Jens sladrer"),
        reason="Nævner en person",
    )
    return assessment


def test_results_are_hidden_below_the_free_text_threshold(assessment):
    for person in assessment.people()[:9]:
        submit(assessment, person, {"Tillid": {"score": "4", "strength": "Åbenhed"}})
    close(assessment)
    results = selectors.round_results(round_=Round.objects.get(pk=assessment.round.pk))
    assert results.shown is False
    assert results.context == {}
    page = site_round_page(assessment)
    assert "Strengths and weaknesses profile" not in page
    assert "Åbenhed" not in page
    assert "The results appear when enough people have taken part" in page


def test_the_profile_shows_scores_means_intervals_and_the_texts(closed_assessment):
    dialogue = closed_assessment
    results = selectors.round_results(round_=Round.objects.get(pk=dialogue.round.pk))
    assert results.shown
    tillid, faglighed, ordentlighed = results.context["items"]

    values = [(int(score) - 1) * 25 for score in PROFILE_SCORES]
    mean = statistics.mean(values)  # 62.5
    margin = T_975_9 * statistics.stdev(values) / math.sqrt(len(values))
    assert (tillid.scores, tillid.mean, tillid.dont_know) == (10, 63, 0)  # 62.5 rounds half up
    assert (tillid.low, tillid.high) == (math.floor(mean - margin + 0.5), math.floor(mean + margin + 0.5))
    assert tillid.counts == [1, 1, 2, 4, 2]
    assert tillid.percents == [10, 10, 20, 40, 20]
    assert (faglighed.shown, ordentlighed.shown) == (False, False)  # 3 and 0 scores: below k
    assert faglighed.mean is None
    assert faglighed.counts == []

    page = site_round_page(dialogue)
    assert 'role="img"' in page
    assert "<title id=" in page
    assert "1. Tillid: mean 63, 10 scores" in page
    assert f"Mean 63 (95 % interval {tillid.low}–{tillid.high}) from 10 scores." in page
    assert '<td class="align-text-right">40 %</td>' in page
    assert "2. Faglighed: too few scores to show" in page
    assert "Too few scores to show (fewer than 5)." in page
    # The texts, per item; the hidden one as hidden, with the reason.
    assert "Ledelsen lytter" in page
    assert "Beslutninger kommer fra oven" in page
    assert "Kollegaen Jens" not in page
    assert "Hidden by moderator: Nævner en person" in page


def test_the_export_has_the_same_numbers_and_texts(closed_assessment):
    dialogue = closed_assessment
    round_ = Round.objects.get(pk=dialogue.round.pk)
    profile, texts = round_kind_get("assessment").export_sheets(round_)
    first = dict(zip(profile.header, profile.rows[0], strict=False))
    assert first["Item"] == "Tillid"
    assert (first["Scores"], first["Mean (0–100)"], first["Don't know"]) == (10, 63, 0)
    assert (first["Very strong"], first["Very strong (%)"]) == (2, 20)
    assert profile.rows[1][2] == "Too few scores to show"
    assert sorted(row[2:] for row in texts.rows) == [
        ["Strength", "Ledelsen lytter"],
        ["Weakness", "Beslutninger kommer fra oven"],
        ["Weakness", "Hidden by moderator: Nævner en person"],
    ]
    # The process website's spreadsheet carries the kind's sheets.
    url = reverse(
        "dialogue_site:round_xlsx",
        kwargs={
            "org_slug": dialogue.personas.org.slug,
            "process_id": dialogue.process.pk,
            "round_id": round_.pk,
        },
    )
    response = facilitator_client(dialogue.personas).get(url)
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Ledelsen lytter" in cells
    assert 63 in cells


# Moderation ------------------------------------------------------------------------------------------


def test_the_moderation_list_names_the_texts_as_participants_saw_them(assessment):
    """Strengths and weaknesses are listed with their translated kind and item, never the stored
    category code; a category no longer known is "Other"."""
    people = assessment.people()
    submit(assessment, people[0], {"Tillid": {"score": "4", "strength": "Ledelsen lytter"}})
    submit(assessment, people[1], {"Faglighed": {"weakness": "For lidt sparring"}})
    submit(assessment, people[2], {"Ordentlighed": {"weakness": "Gammel tekst"}})
    assessment.publish()
    Contribution.objects.filter(text="Gammel tekst").update(category="opportunity")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(assessment.personas.org_admin, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(assessment.admin_url("round_detail", round_id=assessment.round.pk))

    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Strength – about “Tillid”" in page
    assert "Weakness – about “Faglighed”" in page
    assert "Other – about “Ordentlighed”" in page
    for code in ("strength", "weakness", "opportunity"):
        assert f"{code} ·" not in page
        assert f"{code} –" not in page
    assert "opportunity" not in page
    # Texts of an assessment cannot be supported: no "0 supports" beside them.
    assert "support" not in page


# Receipt ---------------------------------------------------------------------------------------------


def test_strengths_and_weaknesses_are_traced_through_the_receipt_code(assessment):
    people = assessment.people()
    _client, code = submit(
        assessment,
        people[0],
        {
            "Tillid": {"score": "4", "strength": "Ledelsen lytter"},
            "Faglighed": {"weakness": "For lidt sparring"},
        },
    )
    before = Client(HTTP_ACCEPT_LANGUAGE="en").post(RECEIPT_URL, {"code": code}).content.decode()
    assert "Strength – about “Tillid”" in before
    assert "Not published yet" in before
    assessment.publish()
    theme = services.theme_create(
        actor=assessment.personas.org_admin, process=assessment.process, title="Sparring"
    )
    weakness = Contribution.objects.get(text="For lidt sparring")
    services.theme_assign(
        actor=assessment.personas.org_admin,
        theme=theme,
        contribution_ids={weakness.pk},
        shown_ids={weakness.pk},
    )
    page = Client(HTTP_ACCEPT_LANGUAGE="en").post(RECEIPT_URL, {"code": code}).content.decode()
    assert "Strength – about “Tillid”" in page
    assert "Weakness – about “Faglighed”" in page
    assert page.index("Ledelsen lytter") < page.index("For lidt sparring")  # in the items' order
    assert "Theme: Sparring" in page
    assert "Not published yet" not in page
