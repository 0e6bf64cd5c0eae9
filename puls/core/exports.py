"""The shared part of exports built in the background (`ExportJob` rows, DESIGN §8): survey report
PDF/XLSX and a dialogue round's results PDF.

An app requests an export by creating its row and enqueuing its task on commit; the task claims the
row, writes its progress in steps, then the file (or the failure). Pages poll a progress fragment
(`core/_export_progress.html`) and offer the download once the file is there. Who may see an export
is the app's business (its selectors); rows are deleted a day after they were requested by each
app's periodic job through `exports_prune`.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from puls.core.models import ExportJob

ProgressCallback = Callable[[int], None]

KEEP_FOR = timedelta(days=1)
WAITING = (ExportJob.Status.PENDING, ExportJob.Status.RUNNING)
POLL_SECONDS = 1
# An export still waiting after this long was lost (e.g. its worker stopped): stop polling, say so.
GIVE_UP_AFTER = timedelta(hours=1)
# WeasyPrint's log line for each page it lays out; after _PAGES_HALFWAY pages the layout share of a
# progress bar is half done.
_LAYOUT_PAGE = "Step 5 - Creating layout - Page"
_PAGES_HALFWAY = 10


# Writes (the task's side) ---------------------------------------------------------------------------


def export_claim(*, model: type[ExportJob], export_id: uuid.UUID | str) -> bool:
    """Mark a waiting export as being built; False when it is not waiting (built, or claimed by
    another worker), so each export is built once."""
    return bool(
        model._default_manager.filter(pk=export_id, status=ExportJob.Status.PENDING).update(
            status=ExportJob.Status.RUNNING, progress=1
        )
    )


def export_progress_writer(*, model: type[ExportJob], export_id: uuid.UUID | str) -> ProgressCallback:
    """Store progress in steps of at least 5 percentage points (each step is one UPDATE)."""
    last = [0]

    def write(percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent >= last[0] + 5:
            last[0] = percent
            model._default_manager.filter(pk=export_id).update(progress=percent)

    return write


def export_finish(*, model: type[ExportJob], export_id: uuid.UUID | str, content: bytes) -> None:
    model._default_manager.filter(pk=export_id).update(
        content=content, status=ExportJob.Status.DONE, progress=100, finished_at=timezone.now()
    )


def export_fail(*, model: type[ExportJob], export_id: uuid.UUID | str) -> None:
    model._default_manager.filter(pk=export_id).update(
        status=ExportJob.Status.FAILED, finished_at=timezone.now()
    )


def exports_prune(*, model: type[ExportJob], now: datetime | None = None) -> int:
    """Delete exports requested more than a day ago (each app's periodic job); returns how many."""
    moment = now or timezone.now()
    deleted, _by_model = model._default_manager.filter(created_at__lt=moment - KEEP_FOR).delete()
    return deleted


@contextmanager
def weasyprint_page_progress(progress: ProgressCallback, *, start: int, end: int) -> Iterator[None]:
    """Move the progress from `start` towards `end` while WeasyPrint lays out pages in this thread
    (it reports each page on its `weasyprint.progress` logger, kept at INFO in the settings).

    Laying out is most of a long PDF's time, but the page count is known only at the end, so each
    page closes a part of the remaining gap (n / (n + 10) of it): the bar keeps moving and never
    reaches `end` early. Other threads' PDFs are not counted."""
    thread = threading.get_ident()
    pages = [0]

    class PageHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = str(record.msg)
            if record.thread != thread or not message.startswith(_LAYOUT_PAGE) or "up-to-date" in message:
                return
            pages[0] += 1
            progress(start + (end - start) * pages[0] // (pages[0] + _PAGES_HALFWAY))

    handler = PageHandler(level=logging.INFO)
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


# Pages ------------------------------------------------------------------------------------------------


def export_progress_context(
    *, export: ExportJob, dom_id: str, progress_url: str, status_url: str, download_url: str
) -> dict[str, Any]:
    """What `core/_export_progress.html` needs: whether to keep polling, whether it failed (or was
    lost), and where to poll, reload and download. `dom_id` prefixes the fragment's element ids."""
    waiting = export.status in WAITING
    lost = waiting and export.created_at < timezone.now() - GIVE_UP_AFTER
    return {
        "export": export,
        "export_dom_id": dom_id,
        "waiting": waiting and not lost,
        "failed": export.status == ExportJob.Status.FAILED or lost,
        "progress_url": progress_url,
        "status_url": status_url,
        "download_url": download_url,
        "poll_seconds": POLL_SECONDS,
    }


def export_file_response(*, content: bytes, content_type: str, file_name: str) -> HttpResponse:
    """The finished file as an attachment (the caller adds its cache headers)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=file_name) or "attachment"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
