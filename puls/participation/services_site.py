"""Writes of the process website: a round's results PDF, made by a task (DESIGN §8: heavy work is
not done on the request path; a large ideas round takes WeasyPrint many seconds).

An export is a `RoundExport` row (`puls.core.exports`): the task writes its progress and then the
file into the row, so any app server can report progress and serve the download. The PDF is what
`site_exports.round_pdf` renders for the round page's context, in the language of the request;
it holds what every reader of the round's results may see, so a second request for the same round
and language while the first is still being built gets the first. Rows are deleted a day after they
were requested.
"""

import logging
import uuid
from datetime import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from puls.core import exports
from puls.participation import selectors_site
from puls.participation.models import RoundExport
from puls.participation.site_exports import round_file_name, round_pdf

logger = logging.getLogger(__name__)


def round_pdf_request(*, site_round: selectors_site.SiteRound) -> RoundExport:
    """Queue the PDF of a round whose results may be shown (the caller has checked who asks)."""
    round_ = site_round.round
    language = (translation.get_language() or "da")[:2]
    with transaction.atomic():
        waiting = (
            RoundExport.objects.defer("content")
            .filter(
                round=round_,
                language=language,
                status__in=exports.WAITING,
                created_at__gte=timezone.now() - exports.GIVE_UP_AFTER,
            )
            .order_by("-created_at")
            .first()
        )
        if waiting is not None:
            waiting.round = round_
            return waiting
        export = RoundExport.objects.create(
            round=round_, language=language, file_name=round_file_name(site_round, "pdf")
        )
        export_id = str(export.pk)
        transaction.on_commit(lambda: _enqueue(export_id))
    return export


def _enqueue(export_id: str) -> None:
    from puls.participation.tasks import round_pdf_task

    round_pdf_task.enqueue(export_id)


def round_pdf_build(*, export_id: uuid.UUID | str) -> str:
    """Build a waiting export (the task's work); returns its final status. The results are read as
    they are now: a round whose results may no longer be shown fails."""
    if not exports.export_claim(model=RoundExport, export_id=export_id):
        return "skipped"
    export = (
        RoundExport.objects.defer("content").select_related("round__process__organisation").get(pk=export_id)
    )
    progress = exports.export_progress_writer(model=RoundExport, export_id=export.pk)
    try:
        with translation.override(export.language):
            context = selectors_site.site_round_context(
                process=export.round.process, round_id=export.round_id
            )
            if not context["results"].shown:
                raise Http404
            progress(5)
            data = round_pdf(context=context, progress=progress)
    except Http404:
        exports.export_fail(model=RoundExport, export_id=export.pk)
        return RoundExport.Status.FAILED
    except Exception:
        logger.exception("Round PDF export %s failed", export.pk)
        exports.export_fail(model=RoundExport, export_id=export.pk)
        raise
    exports.export_finish(model=RoundExport, export_id=export.pk, content=data)
    return RoundExport.Status.DONE


def round_exports_prune(*, now: datetime | None = None) -> int:
    """Delete exports requested more than a day ago (the periodic job); returns how many."""
    return exports.exports_prune(model=RoundExport, now=now)
