"""Facilitator pages under /o/<org_slug>/dialogue/: processes, rounds, moderation, themes, outcomes.

Facilitators (the organisation admin, holders of the facilitator role, and each process's own
facilitators for that process only — see selectors.can_facilitate) see published contributions
only — the shuffle publishes them in batches of at least k ballots — and never anything that ties
a contribution to a person.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.core.models import User
from puls.invitations.models import Ballot
from puls.organisations.scoping import Access, org_view
from puls.participation import announcements, selectors, services
from puls.participation.forms import (
    HideForm,
    MergeForm,
    OutcomeForm,
    OutcomeLinkForm,
    ProcessForm,
    RoundForm,
    ThemeForm,
)
from puls.participation.models import Process, Round, Theme
from puls.participation.round_kinds import round_kind_get
from puls.participation.round_kinds.ideas import IDEAS_KIND, supports_allowed
from puls.participation.services import ParticipationError

# Every page below needs a facilitator of some process of the organisation; each page then reads its
# process through selectors.process_get, which is a 404 for a process the user does not facilitate.
facilitates = selectors.facilitates_any


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _slug(request: HttpRequest) -> str:
    return request.organisation.slug  # type: ignore[attr-defined,no-any-return]


def _process(request: HttpRequest, process_id: Any) -> Process:
    return selectors.process_get(access=_access(request), process_id=process_id)


def _to_process(request: HttpRequest, process: Process) -> HttpResponse:
    return redirect("participation:process_detail", org_slug=_slug(request), process_id=process.pk)


def _to_round(request: HttpRequest, round_: Round) -> HttpResponse:
    return redirect(
        "participation:round_detail",
        org_slug=_slug(request),
        process_id=round_.process_id,
        round_id=round_.pk,
    )


def _to_theme(request: HttpRequest, theme: Theme) -> HttpResponse:
    return redirect(
        "participation:theme_detail", org_slug=_slug(request), process_id=theme.process_id, theme_id=theme.pk
    )


# Processes ----------------------------------------------------------------------------------------


@org_view(require=facilitates)
def process_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    return render(
        request,
        "participation/process_list.html",
        {
            "processes": selectors.process_list(access=access),
            "may_create": selectors.may_create_processes(access),
        },
    )


@org_view(require=selectors.may_create_processes)
def process_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = ProcessForm(request.POST or None, organisation=access.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_create(
                actor=_actor(request), organisation=access.organisation, settings=form.settings()
            )
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The process was created. Add its rounds."))
            return _to_process(request, process)
    return render(request, "participation/process_form.html", {"form": form, "process": None})


@org_view(require=facilitates)
def process_edit(request: HttpRequest, process_id: str) -> HttpResponse:
    access = _access(request)
    process = _process(request, process_id)
    form = ProcessForm(
        request.POST or None,
        organisation=access.organisation,
        process=process,
        choose_facilitators=selectors.may_create_processes(access),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.process_update(actor=_actor(request), process=process, settings=form.settings())
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The process was saved."))
            return _to_process(request, process)
    return render(request, "participation/process_form.html", {"form": form, "process": process})


@org_view(require=facilitates)
def process_detail(request: HttpRequest, process_id: str) -> HttpResponse:
    process = _process(request, process_id)
    return render(
        request,
        "participation/process_detail.html",
        {
            "process": process,
            "rounds": selectors.round_list(process=process),
            "themes": selectors.theme_list(process=process),
            "outcomes": selectors.outcome_list(process=process),
            "outcome_form": OutcomeForm(prefix="outcome"),
            "theme_form": ThemeForm(prefix="theme"),
            "outcomes_pending": announcements.outcomes_pending(process),
            "announce_quiet_minutes": int(announcements.quiet_period().total_seconds() // 60),
        },
    )


@org_view(require=facilitates)
@require_POST
def outcomes_announce(request: HttpRequest, process_id: str) -> HttpResponse:
    """Tell every invitee of the process now that its outcomes changed (DESIGN §4.9)."""
    process = _process(request, process_id)
    if announcements.outcomes_announce_now(actor=_actor(request), process=process):
        messages.success(
            request, _("Everyone invited to the process is being told that the outcomes changed.")
        )
    else:
        messages.info(request, _("The outcomes have not changed since everyone was last told."))
    return _to_process(request, process)


# Rounds -------------------------------------------------------------------------------------------


@org_view(require=facilitates)
def round_create(request: HttpRequest, process_id: str) -> HttpResponse:
    process = _process(request, process_id)
    form = RoundForm(request.POST or None, organisation=process.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(actor=_actor(request), process=process, settings=form.settings())
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The round was created. Launch it when it is ready."))
            return _to_round(request, round_)
    return render(request, "participation/round_form.html", {"form": form, "process": process, "round": None})


@org_view(require=facilitates)
def round_edit(request: HttpRequest, process_id: str, round_id: str) -> HttpResponse:
    process = _process(request, process_id)
    round_ = selectors.round_get(process=process, round_id=round_id)
    form = RoundForm(request.POST or None, organisation=process.organisation, round_=round_)
    locked = round_.ballot.status != Ballot.Status.DRAFT
    if locked:  # launched: the settings, audience and texts are shown, not changed
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid() and not locked:
        try:
            services.round_update(actor=_actor(request), round_=round_, settings=form.settings())
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The round was saved."))
            return _to_round(request, round_)
    return render(
        request,
        "participation/round_form.html",
        {"form": form, "process": process, "round": round_, "locked": locked},
    )


@org_view(require=facilitates)
def round_detail(request: HttpRequest, process_id: str, round_id: str) -> HttpResponse:
    process = _process(request, process_id)
    round_ = selectors.round_get(process=process, round_id=round_id)
    contributions = selectors.moderation_list(round_=round_)
    results = selectors.round_results(round_=round_)
    return render(
        request,
        "participation/round_detail.html",
        {
            "process": process,
            "round": round_,
            "ballot": round_.ballot,
            "kind": round_kind_get(round_.kind),
            "is_draft": round_.ballot.status == Ballot.Status.DRAFT,
            "is_open": round_.ballot.status == Ballot.Status.OPEN,
            "contributions": contributions,
            # Supports exist in ideas rounds that allow them; elsewhere "0 supports" would mean nothing.
            "shows_supports": round_.kind == IDEAS_KIND and supports_allowed(round_),
            "duplicates": selectors.duplicate_suggestions(contributions=contributions),
            "results": results,
            "results_html": selectors.round_results_html(results, request=request),
            "hide_form": HideForm(),
        },
    )


@org_view(require=facilitates)
@require_POST
def round_launch(request: HttpRequest, process_id: str, round_id: str) -> HttpResponse:
    round_ = selectors.round_get(process=_process(request, process_id), round_id=round_id)
    try:
        services.round_launch(actor=_actor(request), round_=round_)
    except ParticipationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The round was launched. Invitations go out when it opens."))
    return _to_round(request, round_)


@org_view(require=facilitates)
@require_POST
def round_close(request: HttpRequest, process_id: str, round_id: str) -> HttpResponse:
    round_ = selectors.round_get(process=_process(request, process_id), round_id=round_id)
    try:
        services.round_close(actor=_actor(request), round_=round_)
    except ParticipationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The round was closed."))
    return _to_round(request, round_)


# Moderation ---------------------------------------------------------------------------------------


@org_view(require=facilitates)
@require_POST
def contribution_hide(
    request: HttpRequest, process_id: str, round_id: str, contribution_id: str
) -> HttpResponse:
    round_ = selectors.round_get(process=_process(request, process_id), round_id=round_id)
    contribution = selectors.contribution_get(round_=round_, contribution_id=contribution_id)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write why the contribution is hidden; participants see the reason."))
        return _to_round(request, round_)
    try:
        services.contribution_hide(
            actor=_actor(request), contribution=contribution, reason=form.cleaned_data["reason"]
        )
    except ParticipationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The contribution is hidden; the reason is shown in its place."))
    return _to_round(request, round_)


@org_view(require=facilitates)
@require_POST
def contribution_unhide(
    request: HttpRequest, process_id: str, round_id: str, contribution_id: str
) -> HttpResponse:
    round_ = selectors.round_get(process=_process(request, process_id), round_id=round_id)
    contribution = selectors.contribution_get(round_=round_, contribution_id=contribution_id)
    try:
        services.contribution_unhide(actor=_actor(request), contribution=contribution)
    except ParticipationError as error:
        messages.error(request, str(error))
    return _to_round(request, round_)


@org_view(require=facilitates)
def contribution_merge(
    request: HttpRequest, process_id: str, round_id: str, contribution_id: str
) -> HttpResponse:
    """Mark a contribution as a duplicate of another: choose the other from a list (no drag)."""
    process = _process(request, process_id)
    round_ = selectors.round_get(process=process, round_id=round_id)
    contribution = selectors.contribution_get(round_=round_, contribution_id=contribution_id)
    candidates = selectors.moderation_list(round_=round_)
    form = MergeForm(request.POST or None, contribution=contribution, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        into = selectors.contribution_get(round_=round_, contribution_id=form.into_id())
        try:
            services.contribution_merge(actor=_actor(request), contribution=contribution, into=into)
        except ParticipationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The contributions were merged."))
            return _to_round(request, round_)
    return render(
        request,
        "participation/contribution_merge.html",
        {"process": process, "round": round_, "contribution": contribution, "form": form},
    )


# Themes and outcomes ------------------------------------------------------------------------------


@org_view(require=facilitates)
@require_POST
def theme_create(request: HttpRequest, process_id: str) -> HttpResponse:
    process = _process(request, process_id)
    form = ThemeForm(request.POST, prefix="theme")
    if not form.is_valid():
        messages.error(request, _("Give the theme a title."))
        return _to_process(request, process)
    theme = services.theme_create(
        actor=_actor(request),
        process=process,
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"],
    )
    return _to_theme(request, theme)


@org_view(require=facilitates)
def theme_detail(request: HttpRequest, process_id: str, theme_id: str) -> HttpResponse:
    """The theme, its members as checkboxes over the process's contributions (suggested ones first),
    and its outcome links with reasons."""
    process = _process(request, process_id)
    theme = selectors.theme_get(process=process, theme_id=theme_id)
    candidates = selectors.theme_candidates(process=process)
    if request.method == "POST":
        shown = {_uuid_or_none(value) for value in request.POST.getlist("shown")} - {None}
        chosen = {_uuid_or_none(value) for value in request.POST.getlist("member")} - {None}
        count = services.theme_assign(
            actor=_actor(request),
            theme=theme,
            contribution_ids=cast(set[uuid.UUID], chosen),
            shown_ids=cast(set[uuid.UUID], shown),
        )
        messages.success(request, _("The theme now holds %(count)d contributions.") % {"count": count})
        return _to_theme(request, theme)
    suggested = selectors.theme_suggested_ids(theme=theme, candidates=candidates)
    rows = [
        {
            "contribution": c,
            "member": any(t.pk == theme.pk for t in c.themes.all()),
            "suggested": c.pk in suggested,
            "other_themes": [t for t in c.themes.all() if t.pk != theme.pk],
        }
        for c in candidates
    ]
    rows.sort(key=lambda row: (not row["member"], not row["suggested"]))
    link_form = OutcomeLinkForm(
        outcomes=selectors.outcome_list(process=process), kinds=selectors.linkable_kind_names()
    )
    return render(
        request,
        "participation/theme_detail.html",
        {
            "process": process,
            "theme": theme,
            "rows": rows,
            "outcomes": selectors.theme_outcomes(theme=theme),
            "link_form": link_form,
            "theme_form": ThemeForm(
                prefix="theme", initial={"title": theme.title, "description": theme.description}
            ),
        },
    )


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@org_view(require=facilitates)
@require_POST
def theme_edit(request: HttpRequest, process_id: str, theme_id: str) -> HttpResponse:
    theme = selectors.theme_get(process=_process(request, process_id), theme_id=theme_id)
    form = ThemeForm(request.POST, prefix="theme")
    if form.is_valid():
        services.theme_update(
            actor=_actor(request),
            theme=theme,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
    return _to_theme(request, theme)


@org_view(require=facilitates)
@require_POST
def theme_delete(request: HttpRequest, process_id: str, theme_id: str) -> HttpResponse:
    process = _process(request, process_id)
    theme = selectors.theme_get(process=process, theme_id=theme_id)
    services.theme_delete(actor=_actor(request), theme=theme)
    messages.success(request, _("The theme was deleted."))
    return _to_process(request, process)


@org_view(require=facilitates)
@require_POST
def outcome_create(request: HttpRequest, process_id: str) -> HttpResponse:
    process = _process(request, process_id)
    form = OutcomeForm(request.POST, prefix="outcome")
    if form.is_valid():
        services.outcome_create(actor=_actor(request), process=process, **form.cleaned_data)
        messages.success(request, _("The outcome was added. Link themes to it from each theme's page."))
    else:
        messages.error(request, _("Choose a kind and give the outcome a title."))
    return _to_process(request, process)


@org_view(require=facilitates)
@require_POST
def outcome_link(request: HttpRequest, process_id: str, theme_id: str) -> HttpResponse:
    process = _process(request, process_id)
    theme = selectors.theme_get(process=process, theme_id=theme_id)
    form = OutcomeLinkForm(
        request.POST, outcomes=selectors.outcome_list(process=process), kinds=selectors.linkable_kind_names()
    )
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose an outcome and write the reason.")]:
            messages.error(request, str(error))
        return _to_theme(request, theme)
    target_kind, target_id = form.target()
    try:
        services.outcome_link(
            actor=_actor(request),
            theme=theme,
            target_kind=target_kind,
            target_id=target_id,
            reason=form.cleaned_data["reason"],
        )
    except ParticipationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The theme is linked to the outcome."))
    return _to_theme(request, theme)


@org_view(require=facilitates)
@require_POST
def outcome_unlink(request: HttpRequest, process_id: str, theme_id: str, link_id: str) -> HttpResponse:
    theme = selectors.theme_get(process=_process(request, process_id), theme_id=theme_id)
    link = _uuid_or_none(link_id)
    try:
        if link is None:
            raise ParticipationError(_("The link was not found."))
        services.outcome_unlink(actor=_actor(request), theme=theme, link_id=link)
    except ParticipationError as error:
        messages.error(request, str(error))
    return _to_theme(request, theme)
