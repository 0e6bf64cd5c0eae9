"""The participant behind a dialogue round's ballot cookie, shared by every round kind's pages
under /b/<ballot id>/dialogue/ (DESIGN §4.6, §4.7).

The cookie lookup, the draft and the closed / no access / already pages come from the invitations
app (`puls.invitations.participant`); what is the round's own is here: the round and process the
participant answers, and the "already taken part" page, which offers more ideas through the
receipt code and opens the process website. Each kind keeps its own keys in the draft.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from puls.invitations import participant as invitations_participant
from puls.invitations.models import Ballot
from puls.invitations.participant import ParticipantPages
from puls.participation.ballot_kind import ROUND_BALLOT_KIND
from puls.participation.models import Process, Round
from puls.participation.site_access import site_cookie_grant


class Participant(invitations_participant.Participant):
    url_namespace = "dialogue_answer"

    @property
    def round(self) -> Round:
        return self.ballot.dialogue_round  # type: ignore[attr-defined,no-any-return]

    @property
    def process(self) -> Process:
        return self.round.process


def more_url(ballot: Ballot) -> str:
    return reverse("dialogue_answer:more", kwargs={"ballot_id": ballot.pk})


class _RoundPages(ParticipantPages[Participant]):
    def already(self, request: HttpRequest, ballot: Ballot) -> HttpResponse:
        from puls.participation.round_kinds import round_kind_get

        round_: Round = ballot.dialogue_round  # type: ignore[attr-defined]
        more = more_url(ballot) if round_kind_get(round_.kind).more_by_receipt else ""
        response = self.render(request, "answer_already.html", {"ballot": ballot, "more_url": more})
        return site_cookie_grant(response, round_.process)


PAGES = _RoundPages(
    kind=ROUND_BALLOT_KIND,
    participant=Participant,
    templates="participation",
    # Read with the invitation on every participant request: the round, its process, the storage cell.
    related=("ballot__dialogue_round__process__organisation", "cell"),
)


# The names the round kinds' views use.
answer_render = PAGES.render
closed = PAGES.closed
refused = PAGES.refused
ballot_and_holder = PAGES.ballot_and_holder
participant_or_response = PAGES.participant_or_response
