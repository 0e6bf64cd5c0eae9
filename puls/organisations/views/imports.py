"""Import of units and people: upload, preview (dry run), apply, progress of large files."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from puls.organisations import selectors
from puls.organisations.forms_import import ImportUploadForm
from puls.organisations.imports import selectors as import_selectors
from puls.organisations.imports import services
from puls.organisations.imports.messages import OUTCOME_LABELS, describe
from puls.organisations.models import ImportJob
from puls.organisations.scoping import org_view

ROWS_PER_PAGE = 100
SHOWN_ERRORS = 1000
RUNNING = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def _manages_people(access: Any) -> bool:
    return bool(access.can_manage_people)


def _job_url(request: HttpRequest, name: str, job: ImportJob) -> str:
    return reverse(f"organisations:{name}", kwargs={"org_slug": request.organisation.slug, "job_id": job.pk})  # type: ignore[attr-defined]


@org_view(require=_manages_people)
def import_start(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if form.is_bound and form.is_valid():
        job = services.import_job_create(
            actor=request.user,  # type: ignore[arg-type]
            organisation=request.organisation,  # type: ignore[attr-defined]
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            file_type=form.file_type,
            row_count=form.row_count,
        )
        return redirect(_job_url(request, "import_preview", job))
    jobs = import_selectors.import_job_list(access=request.access)  # type: ignore[attr-defined]
    return render(request, "organisations/import_start.html", {"form": form, "jobs": jobs})


def _rows_for_display(rows: list[list[Any]]) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "outcome": outcome,
            "outcome_label": OUTCOME_LABELS.get(outcome, outcome),
            "key": key,
            "label": label,
            "details": [describe(code, params) for code, params in details],
        }
        for number, outcome, key, label, details in rows
    ]


@org_view(require=_manages_people)
@never_cache
def import_preview(request: HttpRequest, job_id: str) -> HttpResponse:
    """The page of one import job: progress while a task works, the preview, or the result."""
    job = selectors.import_job_get(access=request.access, job_id=job_id)  # type: ignore[attr-defined]
    context: dict[str, Any] = {"job": job, "is_people": job.kind == ImportJob.Kind.PEOPLE}
    if job.status in RUNNING:
        context["phase"] = job.summary.get("phase", services.PREVIEW)
        context["progress_url"] = _job_url(request, "import_progress", job)
        return render(request, "organisations/import_running.html", context)
    if job.status != ImportJob.Status.PREVIEWED or "preview" not in job.summary:
        summary = job.summary
        context["result"] = summary.get("result")
        context["failure"] = summary.get("failure") or ("" if summary.get("result") else "preview")
        context["failure_messages"] = summary.get("messages", [])
        context["errors"] = _rows_for_display(summary.get("errors", []))
        return render(request, "organisations/import_result.html", context)

    preview = job.summary["preview"]
    rows = preview["rows"]
    show = request.GET.get("show", "all")
    if show not in OUTCOME_LABELS:
        show = "all"
    shown = rows if show == "all" else [row for row in rows if row[1] == show]
    page = Paginator(shown, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    errors = [row for row in rows if row[1] == "error"]
    context.update(
        {
            "counts": preview["counts"],
            "show": show,
            "filters": [("all", _("All rows")), *[(key, label) for key, label in OUTCOME_LABELS.items()]],
            "page_obj": page,
            "rows": _rows_for_display(list(page.object_list)),
            "errors": _rows_for_display(errors[:SHOWN_ERRORS]),
            "errors_cut": max(len(errors) - SHOWN_ERRORS, 0),
            "absent": preview["absent"],
            "outdated": job.summary.get("outdated", False),
            "has_changes": job.summary.get("has_changes", False),
        }
    )
    return render(request, "organisations/import_preview.html", context)


@org_view(require=_manages_people)
@require_POST
def import_apply(request: HttpRequest, job_id: str) -> HttpResponse:
    job = selectors.import_job_get(access=request.access, job_id=job_id)  # type: ignore[attr-defined]
    if request.POST.get("action") == "cancel":
        if services.import_job_cancel(actor=request.user, job=job):  # type: ignore[arg-type]
            messages.success(
                request, _("The import was cancelled and the file deleted. Nothing was changed.")
            )
        return redirect("organisations:import_start", org_slug=request.organisation.slug)  # type: ignore[attr-defined]
    if not services.import_job_request_apply(actor=request.user, job=job):  # type: ignore[arg-type]
        messages.warning(request, _("This import has already been applied or is being applied."))
    return redirect(_job_url(request, "import_preview", job))


@org_view(require=_manages_people)
@require_GET
@never_cache
def import_progress(request: HttpRequest, job_id: str) -> HttpResponse:
    """Polled by htmx every second while a task works; sends the browser on when it is done."""
    job = import_selectors.import_job_progress_get(access=request.access, job_id=job_id)  # type: ignore[attr-defined]
    done = job.status not in RUNNING
    preview_url = _job_url(request, "import_preview", job)
    if done and request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(preview_url)
    context = {"job": job, "phase": job.phase, "done": done, "preview_url": preview_url, "oob": True}  # type: ignore[attr-defined]
    return render(request, "organisations/_import_progress.html", context)
