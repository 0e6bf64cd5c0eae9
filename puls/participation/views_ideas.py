"""The ideas round's participant page: write ideas, remove them, support others' visible ideas.
All of it is a draft until the generic review page submits it (views_answer.review)."""

import uuid

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core.cpr import looks_like_cpr
from puls.invitations.services import BallotError
from puls.participation.forms import IdeaForm
from puls.participation.participant import Participant, answer_render, participant_or_response, refused
from puls.participation.round_kinds.ideas import (
    MAX_IDEAS,
    draft_ideas,
    draft_supports,
    supportable,
    supports_allowed,
)


@never_cache
@require_http_methods(["GET", "POST"])
def ideas(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    participant = participant_or_response(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    round_ = participant.round
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = IdeaForm(request.POST if action == "add" else None, round_=round_)
    my_ideas = draft_ideas(participant.draft)
    others = supportable(round_)
    try:
        if action == "add" and form.is_valid():
            if len(my_ideas) >= MAX_IDEAS:
                form.add_error(None, _max_ideas_message())
            else:
                participant.draft_update(ideas=[*my_ideas, form.idea()])
                return _back_to_ideas(participant)
        elif action.startswith("remove-"):
            index = _index(action.removeprefix("remove-"), len(my_ideas))
            if index is not None:
                participant.draft_update(ideas=[idea for i, idea in enumerate(my_ideas) if i != index])
            return _back_to_ideas(participant)
        elif action == "supports":
            shown = {c.pk.hex for c in others}
            chosen = [key for key in request.POST.getlist("support") if key in shown]
            participant.draft_update(supports=list(dict.fromkeys(chosen)))
            return HttpResponseRedirect(participant.url("review"))
    except BallotError as refusal:
        return refused(request, participant.ballot, refusal)
    supported = set(draft_supports(participant.draft))
    return answer_render(
        request,
        "answer_ideas.html",
        {
            "ballot": participant.ballot,
            "round": round_,
            "process": round_.process,
            "form": form,
            "my_ideas": [
                {"index": i, "cpr_warning": looks_like_cpr(idea.get("text", "")), **idea}
                for i, idea in enumerate(my_ideas)
            ],
            "others": [{"contribution": c, "supported": c.pk.hex in supported} for c in others],
            "supports_allowed": supports_allowed(round_),
            "review_url": participant.url("review"),
        },
    )


def _back_to_ideas(participant: Participant) -> HttpResponse:
    return HttpResponseRedirect(participant.url("ideas") + "#my-ideas")


def _max_ideas_message() -> str:
    return _(
        "You can send at most %(limit)d ideas at a time. Submit these, then add more with your receipt code."
    ) % {"limit": MAX_IDEAS}


def _index(text: str, count: int) -> int | None:
    try:
        index = int(text)
    except ValueError:
        return None
    return index if 0 <= index < count else None
