"""The baseline of the submit benchmark: the rows a survey submit stores (one Response, its Answers,
the invitation's completed flag) written with raw SQL in one transaction, without the answering flow,
validation, token, cookie or draft. Served only by the bench server (PULS_BENCH=1)."""

import os
import uuid

from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

ANSWER_PREFIX = "q_"


@csrf_exempt
@require_POST
def baseline_submit(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    if os.environ.get("PULS_BENCH") != "1":
        raise Http404
    invitation_id = uuid.UUID(request.POST["invitation"])
    answers = [
        (uuid.UUID(key[len(ANSWER_PREFIX) :]), int(request.POST[key]))
        for key in request.POST
        if key.startswith(ANSWER_PREFIX)
    ]
    response_id = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE invitations_invitation SET completed = true "
            "WHERE id = %s AND ballot_id = %s AND completed = false",
            [invitation_id, ballot_id],
        )
        if cursor.rowcount != 1:
            return HttpResponse("already answered", status=409, content_type="text/plain")
        cursor.execute(
            "INSERT INTO surveys_response (id, survey_id, cell_id, shuffled) "
            "SELECT %s, survey.id, invitation.cell_id, false FROM invitations_invitation invitation "
            "JOIN surveys_survey survey ON survey.ballot_id = invitation.ballot_id WHERE invitation.id = %s",
            [response_id, invitation_id],
        )
        values = ", ".join(["(%s, %s, %s, %s, NULL, '')"] * len(answers))
        cursor.execute(
            f"INSERT INTO surveys_answer (id, response_id, item_id, value, choices, text) VALUES {values}",  # nosec B608
            [param for item_id, value in answers for param in (uuid.uuid4(), response_id, item_id, value)],
        )
    return HttpResponse("ok", content_type="text/plain")
