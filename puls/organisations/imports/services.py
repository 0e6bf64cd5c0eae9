"""The life of an import job: upload → preview (dry run) → apply once, atomically → file deleted.

Small files are previewed and applied during the request; files with more rows than
IMPORT_BACKGROUND_ROWS are handed to the task worker, which reports progress on the job.
"""

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from puls.core.audit import audit_record
from puls.core.models import User
from puls.organisations.imports.parsing import ImportFile, ImportFileError, read_import_file
from puls.organisations.imports.people import apply_people, plan_people
from puls.organisations.imports.plan import ERROR, Plan
from puls.organisations.imports.units import apply_units, plan_units
from puls.organisations.models import ImportJob, Organisation

logger = logging.getLogger(__name__)

PREVIEW, APPLY = "preview", "apply"
# How many error rows an applied job keeps to show on its result page.
KEPT_ERROR_ROWS = 1000


def import_job_runs_in_background(job: ImportJob) -> bool:
    return job.total_rows > settings.IMPORT_BACKGROUND_ROWS


@transaction.atomic
def _job_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    upload: UploadedFile,
    file_type: str,
    row_count: int,
) -> ImportJob:
    job = ImportJob(
        organisation=organisation,
        kind=kind,
        original_name=(upload.name or "")[:255],
        created_by=actor,
        total_rows=row_count,
        status=ImportJob.Status.QUEUED,
        summary={"phase": PREVIEW},
    )
    # A random name on disk: the uploaded name may say more than it needs to.
    job.file.save(f"{uuid.uuid4().hex}.{file_type}", upload, save=False)
    job.save()
    return job


def import_job_create(
    *,
    actor: User,
    organisation: Organisation,
    kind: str,
    upload: UploadedFile,
    file_type: str,
    row_count: int,
) -> ImportJob:
    """Store the upload and make its preview, here or in the task worker for large files."""
    from puls.organisations.imports import tasks

    job = _job_create(
        actor=actor,
        organisation=organisation,
        kind=kind,
        upload=upload,
        file_type=file_type,
        row_count=row_count,
    )
    if import_job_runs_in_background(job):
        tasks.import_job_preview_task.enqueue(job_id=str(job.pk))
    else:
        import_job_preview(job_id=job.pk)
    job.refresh_from_db()
    return job


def _read(job: ImportJob) -> ImportFile:
    file_type = job.file.name.rsplit(".", 1)[-1]
    with job.file.open("rb") as stream:
        return read_import_file(stream, file_type=file_type, kind=job.kind)


def _plan(job: ImportJob, imported: ImportFile) -> Plan:
    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=min(done, job.total_rows))

    planner = plan_units if job.kind == ImportJob.Kind.UNITS else plan_people
    return planner(organisation=job.organisation, imported=imported, progress=progress)


def _start(job: ImportJob, phase: str, imported: ImportFile | None = None) -> None:
    job.status = ImportJob.Status.RUNNING
    job.processed_rows = 0
    if imported is not None:
        job.total_rows = len(imported.rows)
    job.summary = {**job.summary, "phase": phase}
    job.save(update_fields=["status", "processed_rows", "total_rows", "summary"])


def _fail(job: ImportJob, reason: str, messages: list[str] | None = None) -> None:
    """Give up on the job. Nothing was written; the file goes, since it cannot be used again."""
    if job.file:
        job.file.delete(save=False)
    job.status = ImportJob.Status.FAILED
    job.finished_at = timezone.now()
    job.summary = {"phase": "done", "failure": reason, "messages": messages or []}
    job.save(update_fields=["status", "finished_at", "summary", "file"])


def import_job_preview(*, job_id: uuid.UUID | str) -> None:
    """The dry run: what every row would do, stored on the job for the preview page."""
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    try:
        imported = _read(job)
    except ImportFileError as error:
        _fail(job, "file", [str(message) for message in error.messages])
        return
    _start(job, PREVIEW, imported)
    try:
        plan = _plan(job, imported)
    except Exception:
        logger.exception("Preview of import job %s failed", job.pk)
        _fail(job, "preview")
        return
    job.summary = {"phase": PREVIEW, "preview": plan.preview(), "has_changes": plan.has_changes}
    job.status = ImportJob.Status.PREVIEWED
    job.processed_rows = job.total_rows
    job.save(update_fields=["summary", "status", "processed_rows"])


def import_job_request_apply(*, actor: User, job: ImportJob) -> bool:
    """Apply a previewed job once: a second click, or a second tab, finds it already taken."""
    from puls.organisations.imports import tasks

    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.QUEUED, processed_rows=0
    )
    if not claimed:
        return False
    if import_job_runs_in_background(job):
        tasks.import_job_apply_task.enqueue(job_id=str(job.pk), actor_id=str(actor.pk))
    else:
        import_job_apply(job_id=job.pk, actor_id=actor.pk)
    return True


def import_job_cancel(*, actor: User, job: ImportJob) -> bool:
    """Drop a previewed job and its file without applying it."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.FAILED
    )
    if claimed:
        job.refresh_from_db()
        _fail(job, "cancelled")
    return bool(claimed)


def import_job_apply(*, job_id: uuid.UUID | str, actor_id: uuid.UUID | str | None) -> None:
    """Plan again from the file and, if that is still what the preview showed, write it all in one
    transaction; otherwise show the new preview for confirmation."""
    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    previewed_digest = job.summary.get("preview", {}).get("digest")
    try:
        imported = _read(job)
        _start(job, APPLY, imported)
        plan = _plan(job, imported)
        if plan.digest() != previewed_digest:
            job.summary = {
                "phase": PREVIEW,
                "preview": plan.preview(),
                "has_changes": plan.has_changes,
                "outdated": True,
            }
            job.status = ImportJob.Status.PREVIEWED
            job.processed_rows = job.total_rows
            job.save(update_fields=["summary", "status", "processed_rows"])
            return
        with transaction.atomic():
            written = _write(job, plan, actor)
            _finish(job, plan, written, actor)
    except ImportFileError as error:
        _fail(job, "file", [str(message) for message in error.messages])
        return
    except Exception:
        logger.exception("Import job %s failed; nothing was saved", job.pk)
        _fail(job, "apply")
        return
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _write(job: ImportJob, plan: Plan, actor: User | None) -> dict[str, int]:
    if job.kind == ImportJob.Kind.UNITS:
        return apply_units(organisation=job.organisation, plan=plan, actor=actor)  # type: ignore[arg-type]
    return apply_people(organisation=job.organisation, plan=plan, actor=actor)  # type: ignore[arg-type]


def _finish(job: ImportJob, plan: Plan, written: dict[str, int], actor: User | None) -> None:
    counts: dict[str, Any] = {**plan.counts(), **written}
    errors = [outcome.as_json() for outcome in plan.outcomes if outcome.outcome == ERROR][:KEPT_ERROR_ROWS]
    job.status = ImportJob.Status.APPLIED
    job.finished_at = timezone.now()
    job.processed_rows = job.total_rows
    # Only counts and the refused rows stay: the full preview held everyone's names.
    job.summary = {"phase": "done", "result": counts, "errors": errors}
    job.save(update_fields=["status", "finished_at", "processed_rows", "summary"])
    audit_record(
        actor=actor,
        action="import.apply",
        organisation=job.organisation,
        target=job,
        summary=(
            f"{job.kind}: {counts['new']} new, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged, {counts['error']} refused"
        ),
        data=counts,
    )


def import_jobs_discard_stale(*, now: datetime | None = None) -> int:
    """Expire previews nobody applied or cancelled within IMPORT_PREVIEW_HOURS: their file and the
    stored preview hold everyone's names, so they must not stay around."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.IMPORT_PREVIEW_HOURS)
    stale = ImportJob.objects.filter(status=ImportJob.Status.PREVIEWED, created_at__lt=cutoff)
    count = 0
    for job in stale:
        _fail(job, "expired")
        count += 1
    return count
