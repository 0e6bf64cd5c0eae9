"""The prioritise round's participant page, /b/<ballot>/dialogue/prioritise/, in the round's method:

- dots: a number field per item, at most the round's dots in all;
- ranking: a place (select) per item, without JavaScript; "Sort the list" shows the new order;
- pairwise: one pair at a time, drawn at random on the server when the participant first comes
  (stored in the draft, no pair twice, sides random), two big buttons and "I can't choose".

Everything is a draft until the generic review page submits it (views_answer.review).
"""

import random
import uuid
from itertools import combinations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.invitations.services import BallotError
from puls.participation.forms_prioritise import DotsForm, RankingForm
from puls.participation.models import RoundItem
from puls.participation.participant import Participant, answer_render, participant_or_response, refused
from puls.participation.round_kinds.prioritise import (
    CANNOT_CHOOSE,
    DOTS,
    PAIRWISE,
    PRIORITISE_KIND,
    RANKING,
    PairwiseDraft,
    draft_dots,
    draft_pairwise,
    draft_ranking,
    round_dots,
    round_items,
    round_method,
    round_pairs,
)

CANNOT_CHOOSE_VALUE = "cannot"


@never_cache
@require_http_methods(["GET", "POST"])
def prioritise(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    participant = participant_or_response(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    if participant.round.kind != PRIORITISE_KIND:
        raise Http404
    items = round_items(participant.round)
    handler = {DOTS: _dots, RANKING: _ranking, PAIRWISE: _pairwise}[round_method(participant.round)]
    try:
        return handler(request, participant, items)
    except BallotError as refusal:
        return refused(request, participant.ballot, refusal)


def _context(participant: Participant, **extra: object) -> dict[str, object]:
    round_ = participant.round
    return {
        "ballot": participant.ballot,
        "round": round_,
        "process": round_.process,
        "review_url": participant.url("review"),
        **extra,
    }


def _dots(request: HttpRequest, participant: Participant, items: list[RoundItem]) -> HttpResponse:
    form = DotsForm(
        request.POST if request.method == "POST" else None,
        round_=participant.round,
        items=items,
        initial_dots=draft_dots(participant.draft),
    )
    if request.method == "POST" and form.is_valid():
        participant.draft_update(dots=form.dots())
        return HttpResponseRedirect(participant.url("review"))
    return answer_render(
        request,
        "answer_prioritise_dots.html",
        _context(
            participant, form=form, dots_limit=round_dots(participant.round), dots_used=form.total_shown()
        ),
    )


def _ranking(request: HttpRequest, participant: Participant, items: list[RoundItem]) -> HttpResponse:
    keys = {item.pk.hex for item in items}
    order = [key for key in draft_ranking(participant.draft) if key in keys]
    if set(order) != keys:
        # The first visit: the items in a random order of the participant's own, so the
        # facilitator's order does not lead everyone's ranking.
        missing = [item.pk.hex for item in items if item.pk.hex not in order]
        random.SystemRandom().shuffle(missing)
        order += missing
        participant.draft_update(ranking=order)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = RankingForm(request.POST if action else None, items=items, order=order)
    if action and form.is_valid():
        participant.draft_update(ranking=form.ranking())
        if action == "review":
            return HttpResponseRedirect(participant.url("review"))
        return HttpResponseRedirect(participant.url("prioritise") + "#ranking")
    return answer_render(request, "answer_prioritise_ranking.html", _context(participant, form=form))


def _draw_pairs(items: list[RoundItem], count: int) -> list[list[str]]:
    """`count` different pairs of items at random, each side at random."""
    rng = random.SystemRandom()
    pairs = [list(pair) for pair in rng.sample(list(combinations([item.pk.hex for item in items], 2)), count)]
    for pair in pairs:
        rng.shuffle(pair)
    return pairs


def _pairwise(request: HttpRequest, participant: Participant, items: list[RoundItem]) -> HttpResponse:
    by_key = {item.pk.hex: item for item in items}
    state = draft_pairwise(participant.draft)
    if not state.pairs or any(key not in by_key for pair in state.pairs for key in pair):
        state = PairwiseDraft(
            pairs=_draw_pairs(items, round_pairs(participant.round, len(items))), answers=[]
        )
        participant.draft_update(pairwise=state.as_draft())
    if request.method == "POST":
        return _pairwise_answer(request, participant, state)
    number = len(state.answers)
    current = None if state.done else state.pairs[number]
    return answer_render(
        request,
        "answer_prioritise_pairwise.html",
        _context(
            participant,
            done=state.done,
            number=number + 1,
            answered=number,
            total=len(state.pairs),
            left=by_key[current[0]] if current else None,
            right=by_key[current[1]] if current else None,
            cannot_choose=CANNOT_CHOOSE_VALUE,
        ),
    )


def _pairwise_answer(request: HttpRequest, participant: Participant, state: PairwiseDraft) -> HttpResponse:
    action = request.POST.get("action", "")
    answered = len(state.answers)
    if action == "back" and state.answers:
        state.answers.pop()
    elif action == "restart":
        state.answers = []
    elif action == "choose" and request.POST.get("pair") == str(answered) and not state.done:
        # The pair number guards against a second click or a page reloaded from history
        # answering the next pair with this pair's choice.
        choice = request.POST.get("choice", "")
        if choice == CANNOT_CHOOSE_VALUE:
            state.answers.append(CANNOT_CHOOSE)
        elif choice in state.pairs[answered]:
            state.answers.append(choice)
    else:
        return HttpResponseRedirect(participant.url("prioritise"))
    participant.draft_update(pairwise=state.as_draft())
    if state.done and action == "choose":
        return HttpResponseRedirect(participant.url("review"))
    return HttpResponseRedirect(participant.url("prioritise"))
