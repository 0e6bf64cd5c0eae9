"""The prioritise round kind: the facilitator's items page, dot voting, ranking and pairwise
comparison through the participant pages, the sealed submit, and the results with intervals —
shown only after close with at least k ballots, read only from shuffled rows. The property test
plants a Bradley–Terry order and checks that the round's own result function recovers it."""

import re
import uuid
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from scipy.stats import kendalltau

from puls.core.models import AuditEntry
from puls.invitations import services as ballots
from puls.invitations.models import Ballot, BallotCell, Draft, Invitation
from puls.participation import round_items, selectors, services
from puls.participation.models import (
    DotVote,
    PairwiseChoice,
    RankingPosition,
    Receipt,
    Round,
    RoundExport,
    RoundItem,
)
from puls.participation.round_kinds import round_kind_get
from puls.participation.round_kinds.prioritise import prioritise_result, top_items
from puls.participation.tests.conftest import Dialogue, facilitator_client

pytestmark = pytest.mark.django_db

ITEMS = [
    "Tid til kerneopgaven",
    "Bedre overlevering",
    "Færre møder",
    "Mere faglig sparring",
    "Ro på kontoret",
]


@pytest.fixture(autouse=True)
def _few_resamples(settings):
    # The bootstrap's arithmetic is the same with fewer resamples; the tests need not wait for 500.
    settings.PRIORITISE_RESAMPLES = 60
    cache.clear()


def prioritise_round(
    dialogue: Dialogue,
    *,
    method: str,
    items: list[str] = ITEMS,
    launch: bool = True,
    **settings: int,
) -> Dialogue:
    """A prioritise round after the dialogue's ideas round, its items from a list, launched."""
    personas = dialogue.personas
    now = timezone.now()
    round_ = services.round_create(
        actor=personas.org_admin,
        process=dialogue.process,
        settings=services.RoundSettings(
            title="Runde 2: Hvad er vigtigst?",
            kind="prioritise",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=7),
            settings={"method": method, **settings},
        ),
    )
    if items:
        round_items.items_from_list(actor=personas.org_admin, round_=round_, text="\n".join(items))
    if launch:
        services.round_launch(actor=personas.org_admin, round_=round_)
    return Dialogue(personas=personas, process=dialogue.process, round=Round.objects.get(pk=round_.pk))


def items_of(dialogue: Dialogue) -> dict[str, RoundItem]:
    return {item.title: item for item in RoundItem.objects.filter(round=dialogue.round)}


def submit(client, dialogue: Dialogue) -> str:
    code = client.get(dialogue.url("review")).context["code"]
    done = client.post(dialogue.url("review"), {"receipt_code": code})
    assert done.status_code == 200
    assert done.context["code"].replace("-", "") == code
    return code


def close(dialogue: Dialogue) -> None:
    services.round_close(actor=dialogue.personas.org_admin, round_=dialogue.round)


def results_page(dialogue: Dialogue):
    client = facilitator_client(dialogue.personas)
    return client.get(dialogue.admin_url("round_detail", round_id=dialogue.round.pk))


def result_order(page) -> list[str]:
    """The item titles in the order the results table lists them."""
    html = page.content.decode()
    table = html[html.index("Priorities, most important first") :]
    table = table[: table.index("</table>")]
    return re.findall(r'<th scope="row">([^<]+)</th>', table)


# The facilitator's items page ------------------------------------------------------------------


def test_facilitator_sets_items_from_a_list_themes_and_an_earlier_round_and_the_method(dialogue):
    draft = prioritise_round(dialogue, method="dots", items=[], launch=False)
    client = facilitator_client(dialogue.personas)
    url = draft.admin_url("round_items", round_id=draft.round.pk)
    detail = client.get(draft.admin_url("round_detail", round_id=draft.round.pk))
    assert url in detail.content.decode(), "the draft round's page links to its items"

    page = client.get(url)
    assert page.status_code == 200
    assert "No items yet" in page.content.decode()
    response = client.post(
        url, {"action": "list", "list-items": "Ro på kontoret\n\nFærre møder\nro på kontoret"}
    )
    assert response.status_code == 302
    assert [i.title for i in round_items.item_list(round_=draft.round)] == ["Ro på kontoret", "Færre møder"]

    theme = services.theme_create(actor=dialogue.personas.org_admin, process=dialogue.process, title="Pauser")
    client.post(url, {"action": "themes", "themes-themes": [str(theme.pk)]})
    titles = [i.title for i in round_items.item_list(round_=draft.round)]
    assert titles == ["Ro på kontoret", "Færre møder", "Pauser"]
    assert RoundItem.objects.get(round=draft.round, title="Pauser").theme == theme
    # A theme already taken is not offered again.
    assert theme not in round_items.theme_choices(round_=draft.round)

    pauser = RoundItem.objects.get(round=draft.round, title="Pauser")
    client.post(url, {"action": f"up-{pauser.pk.hex}"})
    client.post(url, {"action": f"remove-{RoundItem.objects.get(title='Færre møder').pk.hex}"})
    assert [i.title for i in round_items.item_list(round_=draft.round)] == ["Ro på kontoret", "Pauser"]

    saved = client.post(
        url,
        {"action": "settings", "settings-method": "pairwise", "settings-dots": "10", "settings-pairs": "1"},
    )
    assert saved.status_code == 302
    draft.round.refresh_from_db()
    assert draft.round.settings["method"] == "pairwise"
    assert draft.round.settings["pairs"] == 1
    assert AuditEntry.objects.filter(action__startswith="dialogue.round.items.").count() == 5

    # A later round takes this round's items over.
    later = services.round_create(
        actor=dialogue.personas.org_admin,
        process=dialogue.process,
        settings=services.RoundSettings(
            title="Runde 3",
            kind="prioritise",
            opens_at=timezone.now() + timedelta(days=8),
            closes_at=timezone.now() + timedelta(days=15),
        ),
    )
    later_url = draft.admin_url("round_items", round_id=later.pk)
    client.post(later_url, {"action": "round", "source-source": str(draft.round.pk), "source-top": ""})
    copied = round_items.item_list(round_=later)
    assert [i.title for i in copied] == ["Ro på kontoret", "Pauser"]
    assert {i.source_item.round_id for i in copied if i.source_item} == {draft.round.pk}
    assert all(i.source_item for i in copied)


def test_items_page_shows_errors_at_the_field_and_stores_nothing(dialogue):
    draft = prioritise_round(dialogue, method="dots", items=["A"], launch=False)
    client = facilitator_client(dialogue.personas)
    url = draft.admin_url("round_items", round_id=draft.round.pk)
    page = client.post(url, {"action": "list", "list-items": "   \n  "})
    assert page.status_code == 200
    assert page.context["forms"]["list"].errors["items"] == ["Write at least one item."]
    assert 'id="id_list-items-error"' in page.content.decode()
    bad = client.post(
        url, {"action": "settings", "settings-method": "dots", "settings-dots": "0", "settings-pairs": "12"}
    )
    assert bad.status_code == 200
    assert "dots" in bad.context["forms"]["settings"].errors
    assert RoundItem.objects.filter(round=draft.round).count() == 1
    # One item is not enough to launch.
    assert "Add at least 2 items" in page.content.decode()
    launch = client.post(draft.admin_url("round_launch", round_id=draft.round.pk), follow=True)
    assert "Add at least 2 items" in launch.content.decode()
    assert Ballot.objects.get(pk=draft.round.ballot_id).status == Ballot.Status.DRAFT


def test_pairwise_round_cannot_ask_more_pairs_than_there_are(dialogue):
    draft = prioritise_round(dialogue, method="pairwise", items=["A", "B", "C"], launch=False, pairs=4)
    errors = round_kind_get("prioritise").launch_errors(draft.round)
    assert errors == ["3 items make only 3 different pairs. Ask at most that many, or add items."]


def test_items_cannot_change_after_launch(dialogue):
    launched = prioritise_round(dialogue, method="dots")
    client = facilitator_client(dialogue.personas)
    url = launched.admin_url("round_items", round_id=launched.round.pk)
    page = client.get(url)
    assert "can no longer change" in page.content.decode()
    assert "Move up" not in page.content.decode()
    item = next(iter(items_of(launched).values()))
    response = client.post(url, {"action": f"remove-{item.pk.hex}"}, follow=True)
    assert "can no longer change" in response.content.decode()
    assert RoundItem.objects.filter(round=launched.round).count() == len(ITEMS)
    with pytest.raises(services.ParticipationError):
        round_items.items_from_list(actor=dialogue.personas.org_admin, round_=launched.round, text="Ny")


def test_items_page_is_a_404_for_an_ideas_round(dialogue):
    client = facilitator_client(dialogue.personas)
    assert client.get(dialogue.admin_url("round_items", round_id=dialogue.round.pk)).status_code == 404


# Dot voting ------------------------------------------------------------------------------------


def test_dots_end_to_end_with_the_total_checked_at_the_field(dialogue):
    voting = prioritise_round(dialogue, method="dots", dots=5)
    items = items_of(voting)
    person = voting.people()[0]
    client = voting.participant(person)
    start = client.get(voting.url("start"))
    assert start["Location"] == voting.url("prioritise")
    page = client.get(voting.url("prioritise"))
    assert page.status_code == 200
    assert "Place your 5 dots" in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    too_many = {f"dots-{items['Færre møder'].pk.hex}": "4", f"dots-{items['Ro på kontoret'].pk.hex}": "3"}
    refused = client.post(voting.url("prioritise"), too_many)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "You have placed 7 dots, but you have 5. Take away 2." in html
    assert 'id="dots-error"' in html
    assert not Draft.objects.filter(ballot_id=voting.round.ballot_id).exists(), "nothing saved"
    negative = client.post(voting.url("prioritise"), {f"dots-{items['Færre møder'].pk.hex}": "-1"})
    assert "Write 0 or more dots." in negative.content.decode()
    assert negative.context["form"][f"dots-{items['Færre møder'].pk.hex}"].errors

    fine = {f"dots-{items['Færre møder'].pk.hex}": "3", f"dots-{items['Ro på kontoret'].pk.hex}": "2"}
    assert client.post(voting.url("prioritise"), fine)["Location"] == voting.url("review")
    review = client.get(voting.url("review"))
    assert "You placed 5 of 5 dots." in review.content.decode()
    submit(client, voting)
    receipt = Receipt.objects.get(round=voting.round)
    votes = {vote.item.title: vote.dots for vote in DotVote.objects.filter(receipt=receipt)}
    assert votes == {"Færre møder": 3, "Ro på kontoret": 2}
    invitation = Invitation.objects.get(ballot_id=voting.round.ballot_id, person=person)
    assert {vote.cell_id for vote in DotVote.objects.all()} == {invitation.cell_id}
    assert invitation.completed is True
    assert not Draft.objects.filter(ballot_id=voting.round.ballot_id).exists()


def test_dots_results_after_close_with_intervals_and_the_same_numbers_in_the_xlsx_sheet(dialogue):
    voting = prioritise_round(dialogue, method="dots", dots=4)
    items = items_of(voting)
    for index, person in enumerate(voting.people()[:6]):
        client = voting.participant(person)
        votes = {"Færre møder": "3", "Bedre overlevering": "1"} if index < 4 else {"Ro på kontoret": "3"}
        client.post(
            voting.url("prioritise"), {f"dots-{items[title].pk.hex}": n for title, n in votes.items()}
        )
        submit(client, voting)
    close(voting)
    page = results_page(voting)
    assert page.context["results"].shown is True
    assert result_order(page)[:3] == ["Færre møder", "Ro på kontoret", "Bedre overlevering"]
    html = page.content.decode()
    assert "mean number of dots a participant put on it" in html
    assert 'role="img"' in html
    result = prioritise_result(voting.round)
    top = result.rows[0]
    assert (top.score, top.total_dots, top.share) == (2.0, 12, 54.5)
    assert top.low <= top.score <= top.high
    sheet = round_kind_get("prioritise").export_sheets(voting.round)[0]
    assert sheet.rows[0][:7] == [1, "Færre møder", top.score, top.low, top.high, 12, 54.5]


# Ranking ---------------------------------------------------------------------------------------


def test_ranking_end_to_end_duplicate_places_shown_at_each_field(dialogue):
    ranking = prioritise_round(dialogue, method="ranking")
    items = items_of(ranking)
    client = ranking.participant(ranking.people()[0])
    page = client.get(ranking.url("prioritise"))
    assert page.status_code == 200
    form = page.context["form"]
    # Every item has a place from the start (a random order of the participant's own).
    assert sorted(int(form[name].value()) for name in form.fields) == [1, 2, 3, 4, 5]

    wanted = [
        "Ro på kontoret",
        "Færre møder",
        "Tid til kerneopgaven",
        "Bedre overlevering",
        "Mere faglig sparring",
    ]
    places = {f"place-{items[title].pk.hex}": str(place) for place, title in enumerate(wanted, start=1)}
    clash = {**places, f"place-{items['Bedre overlevering'].pk.hex}": "1", "action": "review"}
    refused = client.post(ranking.url("prioritise"), clash)
    assert refused.status_code == 200
    assert "Place 1 is given to 2 items. Give each item its own place." in refused.content.decode()
    assert refused.context["form"][f"place-{items['Ro på kontoret'].pk.hex}"].errors
    assert refused.context["form"][f"place-{items['Bedre overlevering'].pk.hex}"].errors

    sorted_page = client.post(ranking.url("prioritise"), {**places, "action": "sort"}, follow=True)
    labels = [sorted_page.context["form"].fields[name].label for name in sorted_page.context["form"].fields]
    assert labels == wanted
    assert client.post(ranking.url("prioritise"), {**places, "action": "review"})["Location"] == ranking.url(
        "review"
    )
    review = client.get(ranking.url("review"))
    assert [item.title for item in review.context["ranked"]] == wanted
    submit(client, ranking)
    stored = RankingPosition.objects.filter(round=ranking.round).order_by("position")
    assert [(row.position, row.item.title) for row in stored] == list(enumerate(wanted, start=1))


def test_ranking_results_read_as_bradley_terry_scores_with_mean_place(dialogue):
    ranking = prioritise_round(dialogue, method="ranking")
    items = items_of(ranking)
    order = [
        "Ro på kontoret",
        "Færre møder",
        "Tid til kerneopgaven",
        "Bedre overlevering",
        "Mere faglig sparring",
    ]
    for index, person in enumerate(ranking.people()[:6]):
        mine = order if index else list(reversed(order))
        places = {f"place-{items[title].pk.hex}": str(place) for place, title in enumerate(mine, start=1)}
        client = ranking.participant(person)
        client.post(ranking.url("prioritise"), {**places, "action": "review"})
        submit(client, ranking)
    close(ranking)
    page = results_page(ranking)
    assert result_order(page) == order
    result = page.context["results"].context["result"]
    assert result.rows[0].mean_rank == round((1 * 5 + 5) / 6, 1)
    assert 50 < result.rows[0].score <= 100
    assert result.rows[-1].score < 50
    assert "pairwise preferences it implies" in page.content.decode()


# Pairwise comparison ---------------------------------------------------------------------------


def test_pairwise_end_to_end_one_pair_at_a_time(dialogue):
    pairwise = prioritise_round(dialogue, method="pairwise", pairs=6)
    client = pairwise.participant(pairwise.people()[0])
    page = client.get(pairwise.url("prioritise"))
    html = page.content.decode()
    assert "Which matters more?" in html
    assert "1 of 6" in html
    assert "I can&#x27;t choose" in html or "I can't choose" in html
    # The pairs are drawn on the server and kept in the draft: the same pair on reload.
    assert client.get(pairwise.url("prioritise")).context["left"] == page.context["left"]

    chosen: list[tuple[str, str]] = []
    for number in range(6):
        page = client.get(pairwise.url("prioritise"))
        assert f"{number + 1} of 6" in page.content.decode()
        left, right = page.context["left"], page.context["right"]
        if number == 2:
            response = client.post(
                pairwise.url("prioritise"), {"action": "choose", "pair": "2", "choice": "cannot"}
            )
        else:
            response = client.post(
                pairwise.url("prioritise"), {"action": "choose", "pair": str(number), "choice": left.pk.hex}
            )
            chosen.append((left.title, right.title))
        if number == 0:
            # The same click again (a double click) does not answer the next pair.
            client.post(pairwise.url("prioritise"), {"action": "choose", "pair": "0", "choice": left.pk.hex})
            assert "2 of 6" in client.get(pairwise.url("prioritise")).content.decode()
    assert response["Location"] == pairwise.url("review")
    review = client.get(pairwise.url("review"))
    assert "In 1 pair you could not choose." in review.content.decode()
    assert [(c["winner"].title, c["loser"].title) for c in review.context["choices"]] == chosen
    submit(client, pairwise)
    stored = {(c.winner.title, c.loser.title) for c in PairwiseChoice.objects.filter(round=pairwise.round)}
    assert stored == set(chosen)
    assert len({frozenset(pair) for pair in stored}) == 5, "no pair twice"


def test_pairwise_back_and_start_again(dialogue):
    pairwise = prioritise_round(dialogue, method="pairwise", pairs=3)
    client = pairwise.participant(pairwise.people()[0])
    page = client.get(pairwise.url("prioritise"))
    client.post(
        pairwise.url("prioritise"), {"action": "choose", "pair": "0", "choice": page.context["left"].pk.hex}
    )
    client.post(pairwise.url("prioritise"), {"action": "back"})
    again = client.get(pairwise.url("prioritise"))
    assert "1 of 3" in again.content.decode()
    assert again.context["left"] == page.context["left"]


def test_pairwise_results_hidden_below_k_and_shown_from_k(dialogue):
    pairwise = prioritise_round(dialogue, method="pairwise", pairs=10)
    for person in pairwise.people()[:4]:
        client = pairwise.participant(person)
        for number in range(10):
            left = client.get(pairwise.url("prioritise")).context["left"]
            client.post(
                pairwise.url("prioritise"), {"action": "choose", "pair": str(number), "choice": left.pk.hex}
            )
        submit(client, pairwise)
    close(pairwise)
    assert pairwise.ballot.k == 5
    page = results_page(pairwise)
    assert page.context["results"].shown is False
    assert "Priorities, most important first" not in page.content.decode()
    assert top_items(pairwise.round, 3) == []


# Validation of the sealed submit ---------------------------------------------------------------


def test_invalid_submissions_store_nothing(dialogue):
    voting = prioritise_round(dialogue, method="dots", dots=5)
    items = items_of(voting)
    person = voting.people()[0]
    holder = ballots.TokenHolder(ballot=voting.ballot, token=voting.token(person))
    foreign = uuid.uuid4().hex
    one = items["Færre møder"].pk.hex
    cases: list[tuple[dict[str, Any], str]] = [
        ({"dots": {foreign: 1}}, "Some of the items you voted on are not in this round."),
        ({"dots": {one: 6}}, "You have placed 6 dots, but you have 5. Take away 1."),
        ({"dots": {one: -1}}, "Write a whole number of dots, 0 or more."),
        ({"dots": {}}, "Place at least one dot."),
        ({"dots": {one: 1}, "ranking": [one]}, "Your input could not be read."),
    ]
    for data, message in cases:
        with pytest.raises(ballots.InvalidSubmission) as raised:
            ballots.ballot_submit(holder=holder, data={"receipt_code": "0123456789ABCDEF", **data})
        assert message in [m for messages in raised.value.errors.values() for m in messages]
    assert not Receipt.objects.exists()
    assert not DotVote.objects.exists()
    assert Invitation.objects.get(ballot_id=voting.round.ballot_id, person=person).completed is False


def test_ranking_and_pairs_validation(dialogue):
    kind = round_kind_get("prioritise")
    ranking = prioritise_round(dialogue, method="ranking", items=["A", "B", "C"])
    keys = [item.pk.hex for item in RoundItem.objects.filter(round=ranking.round).order_by("order")]
    assert kind.validate(ranking.round, {"ranking": keys}) == {}
    assert kind.validate(ranking.round, {"ranking": [keys[0], keys[0], keys[1]]}) == {
        "ranking": ["Each item can have only one place."]
    }
    assert kind.validate(ranking.round, {"ranking": keys[:2]}) == {"ranking": ["Give every item a place."]}

    pairwise = prioritise_round(
        Dialogue(personas=dialogue.personas, process=dialogue.process, round=ranking.round),
        method="pairwise",
        items=["A", "B", "C"],
        pairs=2,
    )
    a, b, c = [item.pk.hex for item in RoundItem.objects.filter(round=pairwise.round).order_by("order")]
    assert kind.validate(pairwise.round, {"pairs": [[a, b], [c, a]]}) == {}
    assert kind.validate(pairwise.round, {"pairs": [[a, b], [b, a]]}) == {
        "pairs": ["The same pair was answered twice."]
    }
    assert kind.validate(pairwise.round, {"pairs": [[a, a]]}) == {
        "pairs": ["An item cannot be compared with itself."]
    }
    assert kind.validate(pairwise.round, {"pairs": [[a, b], [b, c], [a, c]]}) == {
        "pairs": ["You answered more pairs than this round asks for."]
    }
    assert kind.validate(pairwise.round, {"pairs": [[a, keys[0]]]}) == {
        "pairs": ["Some of the items you compared are not in this round."]
    }


# Results: only shuffled rows, cached, the top items for a later round ---------------------------


def test_live_results_read_only_shuffled_rows_and_the_result_is_cached(dialogue):
    dialogue.process.live_results = True
    dialogue.process.save()
    voting = prioritise_round(dialogue, method="dots", dots=2)
    items = items_of(voting)
    for person in voting.people()[:5]:
        client = voting.participant(person)
        client.post(voting.url("prioritise"), {f"dots-{items['Færre møder'].pk.hex}": "2"})
        submit(client, voting)
    results = selectors.round_results(round_=Round.objects.get(pk=voting.round.pk))
    assert results.shown is True
    assert results.context["result"].ballots == 0, "nothing is shown before the shuffle publishes it"
    voting.publish()
    published = prioritise_result(voting.round)
    assert published.ballots == 5
    assert published.rows[0].item.title == "Færre møder"
    assert any(key for key in cache._cache if "participation:prioritise" in key)  # type: ignore[attr-defined]


def test_top_items_feed_a_later_round_once_the_result_is_shown(dialogue):
    voting = prioritise_round(dialogue, method="dots", dots=3)
    items = items_of(voting)
    for index, person in enumerate(voting.people()[:6]):
        client = voting.participant(person)
        favourite = "Ro på kontoret" if index < 4 else "Færre møder"
        client.post(voting.url("prioritise"), {f"dots-{items[favourite].pk.hex}": "3"})
        submit(client, voting)
    later = prioritise_round(voting, method="pairwise", items=[], launch=False)
    with pytest.raises(services.ParticipationError):
        round_items.items_from_round(
            actor=dialogue.personas.org_admin, round_=later.round, source=voting.round, top=2
        )
    close(voting)
    assert [item.title for item in top_items(voting.round, 2)] == ["Ro på kontoret", "Færre møder"]
    added = round_items.items_from_round(
        actor=dialogue.personas.org_admin, round_=later.round, source=voting.round, top=2
    )
    assert added == 2
    assert [i.title for i in round_items.item_list(round_=later.round)] == ["Ro på kontoret", "Færre møder"]


def test_the_round_page_and_the_process_website_show_the_same_numbers(dialogue):
    voting = prioritise_round(dialogue, method="pairwise", pairs=4)
    for person in voting.people()[:5]:
        client = voting.participant(person)
        for number in range(4):
            left = client.get(voting.url("prioritise")).context["left"]
            client.post(
                voting.url("prioritise"), {"action": "choose", "pair": str(number), "choice": left.pk.hex}
            )
        submit(client, voting)
    close(voting)
    page = results_page(voting)
    cache.clear()  # computed again from the rows: the seeded bootstrap gives the same intervals
    site = facilitator_client(dialogue.personas).get(
        reverse(
            "dialogue_site:round",
            kwargs={
                "org_slug": dialogue.personas.org.slug,
                "process_id": voting.process.pk,
                "round_id": voting.round.pk,
            },
        )
    )
    assert site.status_code == 200
    first = page.context["results"].context["result"].rows
    second = prioritise_result(voting.round).rows
    assert [(r.item.pk, r.score, r.low, r.high) for r in first] == [
        (r.item.pk, r.score, r.low, r.high) for r in second
    ]
    assert f"{first[0].low:.0f}–{first[0].high:.0f}" in site.content.decode()


def test_the_rounds_pdf_and_xlsx_hold_the_ranking(dialogue, django_capture_on_commit_callbacks):
    ranking = prioritise_round(dialogue, method="ranking", items=["A", "B", "C"])
    items = items_of(ranking)
    for person in ranking.people()[:5]:
        client = ranking.participant(person)
        places = {f"place-{items[title].pk.hex}": str(place) for place, title in enumerate("BAC", start=1)}
        client.post(ranking.url("prioritise"), {**places, "action": "review"})
        submit(client, ranking)
    close(ranking)
    client = facilitator_client(dialogue.personas)
    kwargs = {
        "org_slug": dialogue.personas.org.slug,
        "process_id": ranking.process.pk,
        "round_id": ranking.round.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):  # the PDF's task runs on commit
        assert client.post(reverse("dialogue_site:round_pdf", kwargs=kwargs)).status_code == 302
    export = RoundExport.objects.get(round=ranking.round)
    pdf = client.get(reverse("dialogue_site:round_pdf_download", kwargs={**kwargs, "export_id": export.pk}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("dialogue_site:round_xlsx", kwargs=kwargs))
    assert xlsx.status_code == 200
    sheet = round_kind_get("prioritise").export_sheets(ranking.round)[0]
    assert [row[1] for row in sheet.rows] == ["B", "A", "C"]
    assert [row[5] for row in sheet.rows] == [1.0, 2.0, 3.0]


# Property: the ranking recovers a planted Bradley–Terry order ---------------------------------


@pytest.mark.parametrize("seed", [11, 29, 47])
def test_pairwise_results_recover_a_planted_order(dialogue, settings, seed):
    """200 simulated participants × 12 random pairs of 8 items whose Bradley–Terry strengths are
    planted; the round's own result (prioritise_result) must put them back in order."""
    settings.PRIORITISE_RESAMPLES = 40
    titles = [f"Punkt {letter}" for letter in "ABCDEFGH"]
    rng = np.random.default_rng(seed)
    strengths = dict(zip(titles, np.linspace(1.5, -1.5, len(titles)), strict=True))
    planted = sorted(titles, key=lambda title: -strengths[title])
    shuffled_titles = list(rng.permutation(titles))  # the facilitator's order says nothing
    pairwise = prioritise_round(dialogue, method="pairwise", items=shuffled_titles, pairs=12)
    items = items_of(pairwise)
    cell = BallotCell.objects.filter(ballot_id=pairwise.round.ballot_id).first()
    receipts = Receipt.objects.bulk_create(
        [
            Receipt(
                process=pairwise.process,
                round=pairwise.round,
                cell=cell,
                code_hmac=uuid.uuid4().hex,
                shuffled=True,
            )
            for _ in range(200)
        ]
    )
    all_pairs = [(a, b) for i, a in enumerate(titles) for b in titles[i + 1 :]]
    choices = []
    for receipt in receipts:
        for index in rng.choice(len(all_pairs), size=12, replace=False):
            a, b = all_pairs[index]
            a_wins = rng.random() < 1 / (1 + np.exp(strengths[b] - strengths[a]))
            winner, loser = (a, b) if a_wins else (b, a)
            choices.append(
                PairwiseChoice(
                    round=pairwise.round,
                    receipt=receipt,
                    winner=items[winner],
                    loser=items[loser],
                    cell=cell,
                    shuffled=True,
                )
            )
    PairwiseChoice.objects.bulk_create(choices)

    result = prioritise_result(pairwise.round)
    recovered = [row.item.title for row in result.rows]
    tau = kendalltau([planted.index(t) for t in recovered], range(len(recovered))).statistic
    assert tau >= 0.8, (recovered, planted)
    assert recovered[0] == planted[0]
    assert result.ballots == 200
    assert result.comparisons == 2400
    for row in result.rows:
        assert 0 <= row.low <= row.score <= row.high <= 100
