"""Reads of import jobs, through an Access like every other read of tenant data."""

import uuid

from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.http import Http404

from puls.organisations.models import ImportJob
from puls.organisations.scoping import Access


def import_job_list(*, access: Access, limit: int = 10) -> QuerySet[ImportJob]:
    if not access.can_manage_people:
        raise Http404
    return (
        ImportJob.objects.filter(organisation=access.organisation)
        .defer("summary")
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    )


def import_job_progress_get(*, access: Access, job_id: uuid.UUID | str) -> ImportJob:
    """The job without its (possibly large) preview, for the progress bar polled every second."""
    if not access.can_manage_people:
        raise Http404
    job = (
        ImportJob.objects.filter(organisation=access.organisation, pk=job_id)
        .defer("summary")
        .annotate(phase=KT("summary__phase"))
        .first()
    )
    if job is None:
        raise Http404
    return job
