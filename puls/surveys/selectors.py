"""Reads of the surveys app, always through an Access (see organisations/scoping.py).

HR administrators manage surveys, questionnaires and item banks; unit leaders and MED/AMO
representatives see surveys read-only (settings, questionnaire, frozen audience counts), and
leaders add their units' own questions. Anything of another organisation is a 404.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from puls.core.suppression import TreeNode, suppress_tree
from puls.invitations.kinds import ballot_kind_get
from puls.invitations.models import Ballot, Invitation
from puls.organisations.models import (
    ANONYMITY_K_DEFAULT,
    ANONYMITY_K_MAX,
    ANONYMITY_K_MIN,
    FREE_TEXT_K_DEFAULT,
    Organisation,
    Role,
    Unit,
    UnitQuerySet,
)
from puls.organisations.scoping import Access
from puls.surveys.models import ItemBank, LocalItem, Questionnaire, Section, SectionItem, Survey

DEFAULT_K = ANONYMITY_K_DEFAULT
# A survey's free-text threshold is at least this, and never below its k (DESIGN §4.3).
LOWEST_FREE_TEXT_K = FREE_TEXT_K_DEFAULT
LOWEST_K = ANONYMITY_K_MIN
HIGHEST_K = ANONYMITY_K_MAX


def can_see_surveys(access: Access) -> bool:
    return access.is_org_admin or access.is_leader or access.is_med_rep


def organisation_k(organisation: Organisation) -> int:
    """The organisation's anonymity threshold: a survey may ask for more, never less (DESIGN §4.3)."""
    return int(organisation.anonymity_k)


def organisation_free_text_k(organisation: Organisation) -> int:
    return max(LOWEST_FREE_TEXT_K, int(organisation.free_text_k))


# Item banks ---------------------------------------------------------------------------------------


def item_bank_list(*, access: Access) -> QuerySet[ItemBank]:
    if not access.is_org_admin:
        raise Http404
    return ItemBank.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=access.organisation)
    ).order_by("-organisation", "name")


def item_bank_get(*, access: Access, bank_id: uuid.UUID | str) -> ItemBank:
    bank = (
        item_bank_list(access=access)
        .prefetch_related("domains__scales__items", "domains__scales__reference_values")
        .filter(pk=bank_id)
        .first()
    )
    if bank is None:
        raise Http404
    return bank


# Questionnaires -----------------------------------------------------------------------------------


def _superseded() -> Exists:
    return Exists(Questionnaire.objects.filter(previous_version=OuterRef("pk")))


def questionnaire_list(*, access: Access) -> QuerySet[Questionnaire]:
    """The templates and the latest version of each of the organisation's own questionnaires."""
    if not access.is_org_admin:
        raise Http404
    return (
        Questionnaire.objects.filter(Q(organisation__isnull=True) | Q(organisation=access.organisation))
        .annotate(superseded=_superseded())
        .filter(superseded=False)
        .order_by("-organisation", "name")
    )


def questionnaire_get(*, access: Access, questionnaire_id: uuid.UUID | str) -> Questionnaire:
    questionnaire = (
        Questionnaire.objects.filter(Q(organisation__isnull=True) | Q(organisation=access.organisation))
        .filter(pk=questionnaire_id)
        .first()
    )
    if questionnaire is None or not access.is_org_admin:
        raise Http404
    return questionnaire


def questionnaire_sections(questionnaire: Questionnaire) -> list[Section]:
    """Sections with their items in order, for read-only previews."""
    links = SectionItem.objects.select_related("item", "item__scale").order_by("order")
    return list(
        questionnaire.sections.prefetch_related(Prefetch("section_items", queryset=links)).order_by("order")
    )


def questionnaire_versions(questionnaire: Questionnaire) -> list[Questionnaire]:
    """This version and the earlier ones, newest first."""
    versions = [questionnaire]
    while versions[-1].previous_version_id is not None and len(versions) < 100:
        previous = versions[-1].previous_version
        if previous is None:
            break
        versions.append(previous)
    return versions


def section_item_get(*, questionnaire: Questionnaire, section_item_id: uuid.UUID | str) -> SectionItem:
    link = SectionItem.objects.filter(section__questionnaire=questionnaire, pk=section_item_id).first()
    if link is None:
        raise Http404
    return link


# Surveys ------------------------------------------------------------------------------------------


def survey_list(*, access: Access) -> QuerySet[Survey]:
    if not can_see_surveys(access):
        raise Http404
    return (
        Survey.objects.filter(organisation=access.organisation)
        .select_related("ballot", "questionnaire")
        .order_by("-ballot__opens_at", "ballot__title")
    )


def survey_get(*, access: Access, survey_id: uuid.UUID | str) -> Survey:
    survey = survey_list(access=access).prefetch_related("audience_units").filter(pk=survey_id).first()
    if survey is None:
        raise Http404
    return survey


def previous_survey_choices(*, access: Access, exclude: Survey | None = None) -> QuerySet[Survey]:
    surveys = survey_list(access=access)
    return surveys.exclude(pk=exclude.pk) if exclude is not None else surveys


def audience_size(survey: Survey) -> int:
    """How many people the audience covers today (before launch) or was frozen at (after)."""
    if survey.ballot.status != Ballot.Status.DRAFT:
        return survey.ballot.invited_count
    employments = ballot_kind_get(survey.ballot.kind).audience(survey.ballot)
    return employments.values("person_id").distinct().count()


def letter_invitation_count(survey: Survey) -> int:
    return Invitation.objects.filter(ballot=survey.ballot, channel=Invitation.Channel.LETTER).count()


def unit_choices(organisation: Organisation) -> UnitQuerySet:
    return Unit.objects.filter(organisation=organisation).active().order_by("path")


@dataclass(frozen=True)
class AudienceCount:
    unit: Unit
    invited: int


def frozen_audience_counts(*, access: Access, survey: Survey) -> list[AudienceCount] | None:
    """Invitees per unit subtree as frozen at launch, for the units the viewer may see, with the
    suppression rule over invitee counts (DESIGN §4.4): units below k, and units whose residual would
    isolate fewer than k people, are left out. None before launch.

    Shown to MED/AMO representatives and leaders so that nobody can shrink a group unnoticed
    (DESIGN §4, "an admin could invite fake people"). Suppression runs once over the whole tree.
    """
    ballot = survey.ballot
    if ballot.status == Ballot.Status.DRAFT:
        return None
    direct = dict(
        Invitation.objects.filter(ballot=ballot)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    units = list(Unit.objects.filter(organisation=survey.organisation).order_by("path"))
    nodes = [
        TreeNode(
            id=str(unit.pk),
            parent=str(unit.parent_id) if unit.parent_id else None,
            code=unit.code,
            direct=direct.get(unit.pk, 0),
        )
        for unit in units
    ]
    result = suppress_tree(nodes, ballot.k or DEFAULT_K)
    return [
        AudienceCount(unit=unit, invited=result.n[str(unit.pk)])
        for unit in units
        if result.is_shown(str(unit.pk)) and access.can_see_unit(unit)
    ]


# Local items --------------------------------------------------------------------------------------


def local_item_units(*, access: Access) -> UnitQuerySet:
    """Units the user may add local questions for: every unit for HR, a leader's own subtrees."""
    units = Unit.objects.filter(organisation=access.organisation).active()
    if access.is_org_admin:
        return units.order_by("path")
    return units.within(access.roles.get(Role.UNIT_LEADER, [])).order_by("path")


def can_add_local_items(access: Access) -> bool:
    return access.is_org_admin or access.is_leader


def local_item_list(*, access: Access, survey: Survey) -> QuerySet[LocalItem]:
    items = (
        LocalItem.objects.filter(survey=survey).select_related("unit", "item").order_by("unit__path", "order")
    )
    if access.is_org_admin:
        return items
    return items.filter(unit__in=access.visible_units())


def local_item_get(*, access: Access, survey: Survey, local_item_id: uuid.UUID | str) -> LocalItem:
    local = local_item_list(access=access, survey=survey).filter(pk=local_item_id).first()
    if local is None or local.unit not in local_item_units(access=access):
        raise Http404
    return local
