"""HR pages for surveys: item banks, questionnaires, creating and launching surveys.

Unit leaders and MED/AMO representatives see the survey list and a survey's page read-only
(with the frozen audience per unit); leaders add their units' own questions before launch.
"""

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.core.models import User
from puls.invitations.coarsening import report_lines
from puls.invitations.letters import letters_pdf
from puls.invitations.models import AnonymitySettingsLocked, Ballot
from puls.invitations.services import BallotError
from puls.organisations.scoping import Access, org_view
from puls.surveys import itembank, selectors, services
from puls.surveys.forms import (
    ExtendForm,
    ItemBankUploadForm,
    LocalItemForm,
    QuestionnaireItemForm,
    SurveyForm,
)
from puls.surveys.models import LocalItem, Survey


def _is_admin(access: Access) -> bool:
    return access.is_org_admin


def _slug(request: HttpRequest) -> str:
    return request.organisation.slug  # type: ignore[attr-defined]


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined]


def _actor(request: HttpRequest) -> User:
    # org_view lets only logged-in users through.
    return cast(User, request.user)


def _survey_redirect(request: HttpRequest, survey: Survey) -> HttpResponse:
    return redirect("surveys:survey_detail", org_slug=_slug(request), survey_id=survey.pk)


# Surveys ------------------------------------------------------------------------------------------


@org_view(require=selectors.can_see_surveys)
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = selectors.survey_list(access=_access(request))
    return render(request, "surveys/admin_survey_list.html", {"surveys": surveys})


@org_view(require=_is_admin)
def survey_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = SurveyForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(
            actor=_actor(request), organisation=access.organisation, settings=form.settings()
        )
        messages.success(request, _("The survey was created. Check it, then launch it."))
        return _survey_redirect(request, survey)
    return render(request, "surveys/admin_survey_form.html", {"form": form, "survey": None})


@org_view(require=_is_admin)
def survey_edit(request: HttpRequest, survey_id: str) -> HttpResponse:
    access = _access(request)
    survey = selectors.survey_get(access=access, survey_id=survey_id)
    form = SurveyForm(request.POST or None, access=access, survey=survey)
    locked = survey.ballot.status != Ballot.Status.DRAFT
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(actor=_actor(request), survey=survey, settings=form.settings())
        except AnonymitySettingsLocked:
            locked = True
            form.add_error(None, _("The survey has been launched, so its settings can no longer be changed."))
        else:
            messages.success(request, _("The survey settings were saved."))
            return _survey_redirect(request, survey)
    return render(
        request, "surveys/admin_survey_form.html", {"form": form, "survey": survey, "locked": locked}
    )


@org_view(require=selectors.can_see_surveys)
def survey_detail(request: HttpRequest, survey_id: str) -> HttpResponse:
    access = _access(request)
    survey = selectors.survey_get(access=access, survey_id=survey_id)
    ballot = survey.ballot
    context: dict[str, Any] = {
        "survey": survey,
        "ballot": ballot,
        "is_admin": access.is_org_admin,
        "is_draft": ballot.status == Ballot.Status.DRAFT,
        "is_open": ballot.status == Ballot.Status.OPEN,
        "audience_units": list(survey.audience_units.all()),
        "sections": selectors.questionnaire_sections(survey.questionnaire),
        "local_items": selectors.local_item_list(access=access, survey=survey),
        "can_add_local_items": selectors.can_add_local_items(access) and ballot.status == Ballot.Status.DRAFT,
        "audience_counts": selectors.frozen_audience_counts(access=access, survey=survey),
        "org_k": selectors.organisation_k(access.organisation),
    }
    if access.is_org_admin:
        context["audience_size"] = selectors.audience_size(survey)
        context["coarsening_lines"] = (
            report_lines(ballot.coarsening_report) if ballot.coarsening_report else []
        )
    return render(request, "surveys/admin_survey_detail.html", context)


@org_view(require=_is_admin)
def survey_launch(request: HttpRequest, survey_id: str) -> HttpResponse:
    access = _access(request)
    survey = selectors.survey_get(access=access, survey_id=survey_id)
    if survey.ballot.status != Ballot.Status.DRAFT:
        messages.warning(request, _("The survey has already been launched."))
        return _survey_redirect(request, survey)
    if request.method == "POST":
        try:
            services.survey_launch(actor=_actor(request), survey=survey)
        except BallotError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The survey was launched. Invitations go out when it opens."))
        return _survey_redirect(request, survey)
    context = {"survey": survey, "audience_size": selectors.audience_size(survey)}
    return render(request, "surveys/admin_survey_launch.html", context)


@org_view(require=_is_admin)
def survey_extend(request: HttpRequest, survey_id: str) -> HttpResponse:
    survey = selectors.survey_get(access=_access(request), survey_id=survey_id)
    if survey.ballot.status != Ballot.Status.OPEN:
        messages.warning(request, _("Only an open survey can be extended."))
        return _survey_redirect(request, survey)
    form = ExtendForm(request.POST or None, current_closes_at=survey.ballot.closes_at)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_extend(
                actor=_actor(request), survey=survey, closes_at=form.cleaned_data["closes_at"]
            )
        except BallotError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The survey was extended."))
            return _survey_redirect(request, survey)
    return render(request, "surveys/admin_survey_extend.html", {"survey": survey, "form": form})


@org_view(require=_is_admin)
def survey_close(request: HttpRequest, survey_id: str) -> HttpResponse:
    survey = selectors.survey_get(access=_access(request), survey_id=survey_id)
    if survey.ballot.status != Ballot.Status.OPEN:
        messages.warning(request, _("Only an open survey can be closed."))
        return _survey_redirect(request, survey)
    if request.method == "POST":
        try:
            services.survey_close(actor=_actor(request), survey=survey)
        except BallotError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The survey was closed. It cannot be reopened."))
        return _survey_redirect(request, survey)
    return render(request, "surveys/admin_survey_close.html", {"survey": survey})


@org_view(require=_is_admin)
def survey_letters(request: HttpRequest, survey_id: str) -> HttpResponse:
    """Printed letters for the invitees without e-mail: a confirmation page, then the PDF (audited)."""
    survey = selectors.survey_get(access=_access(request), survey_id=survey_id)
    if survey.ballot.status != Ballot.Status.OPEN:
        messages.warning(request, _("Letters can only be printed while the survey is open."))
        return _survey_redirect(request, survey)
    if request.method == "POST":
        try:
            pdf = letters_pdf(actor=_actor(request), ballot=survey.ballot)
        except BallotError as error:
            messages.error(request, str(error))
            return _survey_redirect(request, survey)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="letters.pdf"'
        add_never_cache_headers(response)
        return response
    context = {"survey": survey, "letter_count": selectors.letter_invitation_count(survey)}
    return render(request, "surveys/admin_survey_letters.html", context)


# Local items --------------------------------------------------------------------------------------


def _local_counts(survey: Survey) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for unit_id in LocalItem.objects.filter(survey=survey).values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    return counts


@org_view(require=selectors.can_add_local_items)
def local_items(request: HttpRequest, survey_id: str) -> HttpResponse:
    access = _access(request)
    survey = selectors.survey_get(access=access, survey_id=survey_id)
    is_draft = survey.ballot.status == Ballot.Status.DRAFT
    units = list(selectors.local_item_units(access=access))
    form = LocalItemForm(request.POST or None, units=units, counts=_local_counts(survey))
    if request.method == "POST" and is_draft and form.is_valid():
        try:
            services.local_item_add(
                actor=_actor(request),
                survey=survey,
                unit=form.cleaned_data["unit"],
                new_item=form.new_item(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question was added."))
            return redirect("surveys:local_items", org_slug=_slug(request), survey_id=survey.pk)
    context = {
        "survey": survey,
        "form": form,
        "is_draft": is_draft,
        "local_items": selectors.local_item_list(access=access, survey=survey),
        "editable_unit_ids": {unit.pk for unit in units},
        "limit": services.LOCAL_ITEMS_PER_UNIT,
    }
    return render(request, "surveys/admin_local_items.html", context)


@org_view(require=selectors.can_add_local_items)
@require_POST
def local_item_remove(request: HttpRequest, survey_id: str, local_item_id: str) -> HttpResponse:
    access = _access(request)
    survey = selectors.survey_get(access=access, survey_id=survey_id)
    local = selectors.local_item_get(access=access, survey=survey, local_item_id=local_item_id)
    try:
        services.local_item_remove(actor=_actor(request), local_item=local)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question was removed."))
    return redirect("surveys:local_items", org_slug=_slug(request), survey_id=survey.pk)


# Questionnaires -----------------------------------------------------------------------------------


@org_view(require=_is_admin)
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    questionnaires = list(selectors.questionnaire_list(access=_access(request)))
    context = {
        "own": [q for q in questionnaires if q.organisation_id is not None],
        "templates": [q for q in questionnaires if q.organisation_id is None],
    }
    return render(request, "surveys/admin_questionnaire_list.html", context)


@org_view(require=_is_admin)
def questionnaire_detail(request: HttpRequest, questionnaire_id: str) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(access=_access(request), questionnaire_id=questionnaire_id)
    latest = services.questionnaire_latest(questionnaire)
    context = {
        "questionnaire": questionnaire,
        "latest": latest,
        "is_template": questionnaire.organisation_id is None,
        "sections": selectors.questionnaire_sections(questionnaire),
        "versions": selectors.questionnaire_versions(latest),
        "surveys": questionnaire.surveys.select_related("ballot").order_by("-ballot__opens_at"),
    }
    return render(request, "surveys/admin_questionnaire_detail.html", context)


@org_view(require=_is_admin)
@require_POST
def questionnaire_copy(request: HttpRequest, questionnaire_id: str) -> HttpResponse:
    access = _access(request)
    template = selectors.questionnaire_get(access=access, questionnaire_id=questionnaire_id)
    copy = services.questionnaire_copy_for(
        organisation=access.organisation, template=template, actor=_actor(request)
    )
    messages.success(request, _("Your own copy was made. You can add your own questions to it."))
    return redirect("surveys:questionnaire_detail", org_slug=_slug(request), questionnaire_id=copy.pk)


@org_view(require=_is_admin)
def questionnaire_item_add(request: HttpRequest, questionnaire_id: str) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(access=_access(request), questionnaire_id=questionnaire_id)
    if questionnaire.organisation_id is None:
        messages.warning(request, _("Templates cannot be changed. Make your own copy first."))
        return redirect(
            "surveys:questionnaire_detail", org_slug=_slug(request), questionnaire_id=questionnaire.pk
        )
    latest = services.questionnaire_latest(questionnaire)
    form = QuestionnaireItemForm(request.POST or None, questionnaire=latest)
    if request.method == "POST" and form.is_valid():
        version, _item = services.questionnaire_item_add(
            actor=_actor(request),
            questionnaire=latest,
            new_item=form.new_item(),
            section=form.chosen_section,
            new_section_title_da=form.cleaned_data["new_section_da"].strip(),
            new_section_title_en=form.cleaned_data["new_section_en"].strip(),
        )
        if version.pk != latest.pk:
            messages.success(
                request,
                _(
                    "The question was added to a new version (%(version)d): "
                    "the earlier version is used by a launched survey."
                )
                % {"version": version.version},
            )
        else:
            messages.success(request, _("The question was added."))
        return redirect("surveys:questionnaire_detail", org_slug=_slug(request), questionnaire_id=version.pk)
    return render(request, "surveys/admin_questionnaire_item.html", {"questionnaire": latest, "form": form})


@org_view(require=_is_admin)
@require_POST
def questionnaire_item_remove(
    request: HttpRequest, questionnaire_id: str, section_item_id: str
) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(access=_access(request), questionnaire_id=questionnaire_id)
    if questionnaire.organisation_id is None:
        messages.warning(request, _("Templates cannot be changed. Make your own copy first."))
        return redirect(
            "surveys:questionnaire_detail", org_slug=_slug(request), questionnaire_id=questionnaire.pk
        )
    link = selectors.section_item_get(questionnaire=questionnaire, section_item_id=section_item_id)
    version = services.questionnaire_item_remove(
        actor=_actor(request), questionnaire=questionnaire, section_item=link
    )
    messages.success(
        request, _("The question was removed from version %(version)d.") % {"version": version.version}
    )
    return redirect("surveys:questionnaire_detail", org_slug=_slug(request), questionnaire_id=version.pk)


# Item banks ---------------------------------------------------------------------------------------


@org_view(require=_is_admin)
def item_bank_list(request: HttpRequest) -> HttpResponse:
    banks = selectors.item_bank_list(access=_access(request))
    return render(request, "surveys/admin_item_bank_list.html", {"banks": banks})


@org_view(require=_is_admin)
def item_bank_upload(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = ItemBankUploadForm(request.POST or None, request.FILES or None)
    errors: list[itembank.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            bank = services.item_bank_import(
                actor=_actor(request),
                organisation=access.organisation,
                stream=upload,
                file_name=upload.name,
                name=form.cleaned_data["name"].strip(),
            )
        except itembank.ItemBankError as error:
            errors = error.errors
            form.add_error(
                "file",
                _("The file has %(count)d problems, listed below. Nothing was saved.")
                % {"count": len(errors)},
            )
        else:
            messages.success(
                request, _("The item bank %(name)s was loaded with a questionnaire.") % {"name": bank.name}
            )
            return redirect("surveys:item_bank_detail", org_slug=_slug(request), bank_id=bank.pk)
    context = {"form": form, "errors": errors, "columns": list(itembank.COLUMNS.items())}
    return render(request, "surveys/admin_item_bank_upload.html", context)


@org_view(require=_is_admin)
def item_bank_detail(request: HttpRequest, bank_id: str) -> HttpResponse:
    bank = selectors.item_bank_get(access=_access(request), bank_id=bank_id)
    other_items = bank.items.filter(scale__isnull=True).order_by("order")
    return render(request, "surveys/admin_item_bank_detail.html", {"bank": bank, "other_items": other_items})
