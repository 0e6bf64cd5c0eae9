"""Writes of the surveys app: item banks, questionnaires and their versions, surveys, local items.

A questionnaire used by a launched survey is frozen; editing it makes a new version
(`previous_version` points back), so a survey's results always refer to the questions it asked.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.models import User
from puls.invitations import services as invitation_services
from puls.invitations.models import AnonymitySettingsLocked, Ballot
from puls.organisations.models import Organisation, Unit
from puls.surveys import itembank
from puls.surveys.models import Item, ItemBank, LocalItem, Questionnaire, Section, SectionItem, Survey

SURVEY_BALLOT_KIND = "surveys.survey"
LOCAL_ITEMS_PER_UNIT = 5


class QuestionnaireNotEditable(Exception):
    """Templates shipped with Puls are copied, never edited."""


# Item banks ---------------------------------------------------------------------------------------


def item_bank_import(
    *,
    actor: User | None,
    organisation: Organisation | None,
    stream: IO[bytes],
    file_name: str,
    name: str = "",
) -> ItemBank:
    """Read, check and save a bank (JSON or XLSX) for the organisation, or raise ItemBankError with
    every bad row. Nothing is saved unless the whole file is good."""
    raw = itembank.read_file(stream, file_name=file_name)
    if name:
        raw.meta["name"] = name
        raw.meta.pop("code", None)
    default_name = file_name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    clean = itembank.check(raw, default_name=default_name)
    if ItemBank.objects.filter(organisation=organisation, code=clean.code).exists():
        raise itembank.ItemBankError(
            [
                itembank.RowError(
                    "bank",
                    None,
                    _("An item bank with the code %(code)s already exists. Give the new bank another name.")
                    % {"code": clean.code},
                )
            ]
        )
    with transaction.atomic():
        bank = itembank.bank_save(
            clean,
            organisation_id=organisation.pk if organisation else None,
            models=itembank.BankModels.current(),
        )
        audit_record(
            actor=actor,
            action="surveys.item_bank_import",
            organisation=organisation,
            target=bank,
            summary=bank.name,
            data={
                "scales": len(clean.scales),
                "items": len(clean.items),
                "reference_values": len(clean.reference_values),
            },
        )
    return bank


# Questionnaires -----------------------------------------------------------------------------------


def _copy_sections(source: Questionnaire, target: Questionnaire) -> None:
    links: list[SectionItem] = []
    for section in source.sections.prefetch_related("section_items"):
        copy = Section.objects.create(
            questionnaire=target, title_da=section.title_da, title_en=section.title_en, order=section.order
        )
        links.extend(
            SectionItem(section=copy, item_id=link.item_id, order=link.order)
            for link in section.section_items.all()
        )
    SectionItem.objects.bulk_create(links)


@transaction.atomic
def questionnaire_copy_for(
    *, organisation: Organisation, template: Questionnaire, actor: User | None = None
) -> Questionnaire:
    """The organisation's own editable copy of a template (items are shared, sections copied)."""
    copy = Questionnaire.objects.create(organisation=organisation, kind=template.kind, name=template.name)
    _copy_sections(template, copy)
    audit_record(
        actor=actor,
        action="surveys.questionnaire_copy",
        organisation=organisation,
        target=copy,
        summary=copy.name,
        data={"template": str(template.pk)},
    )
    return copy


def questionnaire_latest(questionnaire: Questionnaire) -> Questionnaire:
    current = questionnaire
    while (
        newer := Questionnaire.objects.filter(previous_version=current).order_by("-version").first()
    ) is not None:
        current = newer
    return current


@transaction.atomic
def questionnaire_editable(*, questionnaire: Questionnaire) -> Questionnaire:
    """The version to edit: the latest one, or a new version of it when it is frozen."""
    if questionnaire.organisation_id is None:
        raise QuestionnaireNotEditable
    latest = questionnaire_latest(questionnaire)
    if not latest.frozen:
        return latest
    version = Questionnaire.objects.create(
        organisation_id=latest.organisation_id,
        kind=latest.kind,
        name=latest.name,
        version=latest.version + 1,
        previous_version=latest,
    )
    _copy_sections(latest, version)
    return version


def questionnaire_freeze(*, questionnaire: Questionnaire) -> None:
    if not questionnaire.frozen:
        questionnaire.frozen = True
        questionnaire.save(update_fields=["frozen"])


@dataclass(frozen=True)
class NewItem:
    """An organisation's or a unit's own question."""

    kind: str
    text_da: str
    text_en: str = ""
    options: tuple[dict[str, str], ...] = ()


def _item_create(*, organisation: Organisation, new_item: NewItem, prefix: str) -> Item:
    options = list(new_item.options)
    if new_item.kind == Item.Kind.LIKERT and not options:
        options = itembank.shipped_option_sets()["extent"]
    return Item.objects.create(
        organisation=organisation,
        code=f"{prefix}-{uuid.uuid4().hex[:12]}",
        kind=new_item.kind,
        text_da=new_item.text_da,
        text_en=new_item.text_en,
        options=options,
    )


@transaction.atomic
def questionnaire_item_add(
    *,
    actor: User,
    questionnaire: Questionnaire,
    new_item: NewItem,
    section: Section | None = None,
    new_section_title_da: str = "",
    new_section_title_en: str = "",
) -> tuple[Questionnaire, Item]:
    """Add the organisation's own item to a section (or a new section at the end). Returns the
    version that was edited, which is new when the questionnaire was frozen."""
    version = questionnaire_editable(questionnaire=questionnaire)
    if section is not None:
        # The same section in the version being edited (a new version has copies of the sections).
        target = version.sections.filter(order=section.order, title_da=section.title_da).first()
    else:
        last = version.sections.order_by("-order").first()
        target = Section.objects.create(
            questionnaire=version,
            title_da=new_section_title_da,
            title_en=new_section_title_en,
            order=(last.order + 1) if last else 0,
        )
    if target is None:
        raise ValidationError(_("The section no longer exists."))
    item = _item_create(organisation=version.organisation, new_item=new_item, prefix="own")  # type: ignore[arg-type]
    last_link = target.section_items.order_by("-order").first()
    SectionItem.objects.create(section=target, item=item, order=(last_link.order + 1) if last_link else 0)
    audit_record(
        actor=actor,
        action="surveys.questionnaire_item_add",
        organisation=version.organisation,
        target=version,
        summary=f"{version} – {item.text_da[:80]}",
    )
    return version, item


@transaction.atomic
def questionnaire_item_remove(
    *, actor: User, questionnaire: Questionnaire, section_item: SectionItem
) -> Questionnaire:
    version = questionnaire_editable(questionnaire=questionnaire)
    section = section_item.section
    target = SectionItem.objects.filter(
        section__questionnaire=version,
        section__order=section.order,
        section__title_da=section.title_da,
        item_id=section_item.item_id,
    ).first()
    if target is not None:
        target.delete()
        Section.objects.filter(questionnaire=version, section_items__isnull=True).delete()
    audit_record(
        actor=actor,
        action="surveys.questionnaire_item_remove",
        organisation=version.organisation,
        target=version,
        summary=str(version),
        data={"item": str(section_item.item_id)},
    )
    return version


# Surveys ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveySettings:
    """What HR chooses when creating (or, before launch, editing) a survey."""

    title: str
    questionnaire: Questionnaire
    opens_at: datetime
    closes_at: datetime
    audience_everyone: bool = True
    audience_units: tuple[Unit, ...] = ()
    audience_job_groups: tuple[str, ...] = ()
    reminder_days: tuple[int, ...] = ()
    requested_k: int | None = None
    requested_free_text_k: int | None = None
    attributes: tuple[str, ...] = ()
    previous_survey: Survey | None = None
    # HR's own words in the invitation and reminder e-mails, above the standard text.
    invitation_text: str = ""
    reminder_text: str = ""


def _questionnaire_for(
    organisation: Organisation, questionnaire: Questionnaire, actor: User
) -> Questionnaire:
    if questionnaire.organisation_id is None:
        return questionnaire_copy_for(organisation=organisation, template=questionnaire, actor=actor)
    return questionnaire


@transaction.atomic
def survey_create(*, actor: User, organisation: Organisation, settings: SurveySettings) -> Survey:
    """A draft survey: its Ballot (kind "surveys.survey") and the Survey row, in one transaction."""
    ballot = Ballot.objects.create(
        organisation=organisation,
        kind=SURVEY_BALLOT_KIND,
        title=settings.title,
        opens_at=settings.opens_at,
        closes_at=settings.closes_at,
        requested_k=settings.requested_k,
        requested_free_text_k=settings.requested_free_text_k,
        attributes=list(settings.attributes),
        reminder_days=list(settings.reminder_days),
        invitation_text=settings.invitation_text,
        reminder_text=settings.reminder_text,
    )
    survey = Survey.objects.create(
        organisation=organisation,
        ballot=ballot,
        questionnaire=_questionnaire_for(organisation, settings.questionnaire, actor),
        audience_everyone=settings.audience_everyone,
        audience_job_groups=list(settings.audience_job_groups),
        previous_survey=settings.previous_survey,
    )
    survey.audience_units.set(settings.audience_units)
    audit_record(
        actor=actor,
        action="surveys.survey_create",
        organisation=organisation,
        target=survey,
        summary=settings.title,
    )
    return survey


@transaction.atomic
def survey_update(*, actor: User, survey: Survey, settings: SurveySettings) -> Survey:
    """Change a draft survey. After launch every setting is locked (DESIGN §4.8)."""
    ballot = Ballot.objects.select_for_update().get(pk=survey.ballot_id)
    if ballot.status != Ballot.Status.DRAFT:
        raise AnonymitySettingsLocked("The survey has been launched")
    ballot.title = settings.title
    ballot.opens_at = settings.opens_at
    ballot.closes_at = settings.closes_at
    ballot.requested_k = settings.requested_k
    ballot.requested_free_text_k = settings.requested_free_text_k
    ballot.attributes = list(settings.attributes)
    ballot.reminder_days = list(settings.reminder_days)
    ballot.invitation_text = settings.invitation_text
    ballot.reminder_text = settings.reminder_text
    ballot.save()
    survey.ballot = ballot
    survey.questionnaire = _questionnaire_for(survey.organisation, settings.questionnaire, actor)
    survey.audience_everyone = settings.audience_everyone
    survey.audience_job_groups = list(settings.audience_job_groups)
    survey.previous_survey = settings.previous_survey
    survey.save()
    survey.audience_units.set(settings.audience_units)
    audit_record(
        actor=actor,
        action="surveys.survey_update",
        organisation=survey.organisation,
        target=survey,
        summary=settings.title,
    )
    return survey


@transaction.atomic
def survey_launch(*, actor: User, survey: Survey) -> Survey:
    """Launch the survey's ballot (audience and thresholds frozen, invitations created) and freeze
    its questionnaire. Raises invitations' BallotError with a message for the user. The launch is
    audited by the invitations app."""
    survey.ballot = invitation_services.ballot_launch(actor=actor, ballot=survey.ballot)
    questionnaire_freeze(questionnaire=survey.questionnaire)
    return survey


def survey_extend(*, actor: User, survey: Survey, closes_at: datetime) -> Survey:
    survey.ballot = invitation_services.ballot_extend(actor=actor, ballot=survey.ballot, closes_at=closes_at)
    return survey


def survey_close(*, actor: User, survey: Survey) -> Survey:
    survey.ballot = invitation_services.ballot_close(ballot=survey.ballot, actor=actor)
    return survey


# Local items --------------------------------------------------------------------------------------


@transaction.atomic
def local_item_add(*, actor: User, survey: Survey, unit: Unit, new_item: NewItem) -> LocalItem:
    """A unit's own question for its subtree, before launch, at most five per unit and survey."""
    ballot = Ballot.objects.select_for_update().get(pk=survey.ballot_id)
    if ballot.status != Ballot.Status.DRAFT:
        raise ValidationError(_("The survey has been launched; its questions can no longer change."))
    count = LocalItem.objects.filter(survey=survey, unit=unit).count()
    if count >= LOCAL_ITEMS_PER_UNIT:
        raise ValidationError(
            {
                "unit": _(
                    "%(unit)s already has %(limit)d questions of its own in this survey, the most allowed."
                )
                % {"unit": unit.name, "limit": LOCAL_ITEMS_PER_UNIT}
            }
        )
    item = _item_create(organisation=survey.organisation, new_item=new_item, prefix="local")
    local = LocalItem.objects.create(survey=survey, unit=unit, item=item, order=count)
    audit_record(
        actor=actor,
        action="surveys.local_item_add",
        organisation=survey.organisation,
        target=survey,
        summary=f"{unit.name}: {item.text_da[:80]}",
    )
    return local


@transaction.atomic
def local_item_remove(*, actor: User, local_item: LocalItem) -> None:
    survey = local_item.survey
    ballot = Ballot.objects.select_for_update().get(pk=survey.ballot_id)
    if ballot.status != Ballot.Status.DRAFT:
        raise ValidationError(_("The survey has been launched; its questions can no longer change."))
    item = local_item.item
    summary = f"{local_item.unit.name}: {item.text_da[:80]}"
    local_item.delete()
    item.delete()
    audit_record(
        actor=actor,
        action="surveys.local_item_remove",
        organisation=survey.organisation,
        target=survey,
        summary=summary,
    )
