"""Writes of the participation app: processes, rounds, moderation, themes, outcome links, and
more ideas through a receipt code. Participant submits go through `invitations.services`.

Nothing here logs or audits contribution text; audit rows of moderation hold ids and the actor.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.links import link_create, link_kind_get
from puls.core.models import Link, User
from puls.invitations import services as ballots
from puls.invitations.models import Ballot
from puls.organisations.models import EmployeePanel, Organisation, Person, Unit
from puls.participation.ballot_kind import ROUND_BALLOT_KIND
from puls.participation.link_kinds import OUTCOME_LINK, THEME_KIND
from puls.participation.models import (
    Contribution,
    NamedAuthorship,
    Outcome,
    Process,
    Receipt,
    Round,
    Theme,
    ThemeMembership,
)
from puls.participation.receipts import receipt_code_hmac, receipt_code_normalise
from puls.participation.round_kinds import round_kind_get, round_kinds
from puls.participation.round_kinds.ideas import IDEAS_KIND, MAX_IDEAS, idea_errors


class ParticipationError(Exception):
    """A user-facing refusal (message is translated)."""


@dataclass
class ProcessSettings:
    title: str
    purpose: str = ""
    mode: str = Process.Mode.ANONYMOUS
    results: str = Process.Results.INTERNAL
    live_results: bool = False
    audience_everyone: bool = True
    audience_units: list[Unit] = field(default_factory=list)
    audience_job_groups: list[str] = field(default_factory=list)
    audience_panel: EmployeePanel | None = None
    # Users who facilitate this process only; None leaves them as they are.
    facilitators: list[User] | None = None


def _check_audience(organisation: Organisation, units: list[Unit], panel: EmployeePanel | None) -> None:
    if any(unit.organisation_id != organisation.pk for unit in units) or (
        panel is not None and panel.organisation_id != organisation.pk
    ):
        raise ParticipationError(_("The audience must be of this organisation."))


def _set_facilitators(process: Process, facilitators: list[User] | None) -> None:
    if facilitators is None:
        return
    allowed = set(
        Person.objects.filter(
            organisation_id=process.organisation_id, anonymised_at__isnull=True, user__isnull=False
        ).values_list("user_id", flat=True)
    )
    if any(user.pk not in allowed for user in facilitators):
        raise ParticipationError(_("A facilitator must be a person of this organisation."))
    process.facilitators.set(facilitators)


def _facilitator_data(settings: ProcessSettings) -> dict[str, Any]:
    """Who was given the process's facilitation (user ids: access changes are audited)."""
    if settings.facilitators is None:
        return {}
    return {"facilitators": sorted(str(user.pk) for user in settings.facilitators)}


def _launched(process: Process) -> bool:
    return process.rounds.exclude(ballot__status=Ballot.Status.DRAFT).exists()


def _apply(process: Process, settings: ProcessSettings, *, locked: bool) -> None:
    audience_changed = (
        process.audience_everyone != settings.audience_everyone
        or sorted(process.audience_job_groups or []) != sorted(settings.audience_job_groups)
        or process.audience_panel_id != (settings.audience_panel.pk if settings.audience_panel else None)
        or (
            process.pk
            and {u.pk for u in process.audience_units.all()} != {u.pk for u in settings.audience_units}
        )
    )
    if locked and (process.mode != settings.mode or audience_changed):
        raise ParticipationError(
            _("A round has been launched, so the process's anonymity and audience can no longer change.")
        )
    process.title = settings.title
    process.purpose = settings.purpose
    process.mode = settings.mode
    process.results = settings.results
    process.live_results = settings.live_results
    process.audience_everyone = settings.audience_everyone
    process.audience_job_groups = list(settings.audience_job_groups)
    process.audience_panel = settings.audience_panel


@transaction.atomic
def process_create(*, actor: User, organisation: Organisation, settings: ProcessSettings) -> Process:
    _check_audience(organisation, settings.audience_units, settings.audience_panel)
    process = Process(organisation=organisation, created_by=actor)
    _apply(process, settings, locked=False)
    process.save()
    process.audience_units.set(settings.audience_units)
    _set_facilitators(process, settings.facilitators)
    audit_record(
        actor=actor,
        action="dialogue.process.create",
        organisation=organisation,
        target=process,
        summary=process.title,
        data=_facilitator_data(settings),
    )
    return process


@transaction.atomic
def process_update(*, actor: User, process: Process, settings: ProcessSettings) -> Process:
    process = Process.objects.select_for_update().get(pk=process.pk)
    _check_audience(process.organisation, settings.audience_units, settings.audience_panel)
    _apply(process, settings, locked=_launched(process))
    process.save()
    process.audience_units.set(settings.audience_units)
    _set_facilitators(process, settings.facilitators)
    audit_record(
        actor=actor,
        action="dialogue.process.update",
        organisation=process.organisation,
        target=process,
        summary=process.title,
        data=_facilitator_data(settings),
    )
    return process


@dataclass
class RoundSettings:
    title: str
    kind: str
    opens_at: datetime
    closes_at: datetime
    question: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    reminder_days: list[int] = field(default_factory=list)
    # Who is invited: the process's audience unless audience_from_process is False.
    audience_from_process: bool = True
    audience_everyone: bool = True
    audience_units: list[Unit] = field(default_factory=list)
    audience_job_groups: list[str] = field(default_factory=list)
    audience_panel: EmployeePanel | None = None
    # The facilitator's own words in the invitation and reminder e-mails, above the standard text.
    invitation_text: str = ""
    reminder_text: str = ""


def _apply_round_audience(round_: Round, settings: RoundSettings) -> None:
    _check_audience(round_.process.organisation, settings.audience_units, settings.audience_panel)
    inherit = settings.audience_from_process
    round_.audience_from_process = inherit
    round_.audience_everyone = True if inherit else settings.audience_everyone
    round_.audience_job_groups = [] if inherit else list(settings.audience_job_groups)
    round_.audience_panel = None if inherit else settings.audience_panel


@transaction.atomic
def round_create(*, actor: User, process: Process, settings: RoundSettings) -> Round:
    if settings.kind not in round_kinds():
        raise ParticipationError(_("This kind of round is not available."))
    if settings.closes_at <= settings.opens_at:
        raise ParticipationError(_("The round must close after it opens."))
    process = Process.objects.select_for_update().get(pk=process.pk)
    ballot = Ballot.objects.create(
        organisation=process.organisation,
        kind=ROUND_BALLOT_KIND,
        title=settings.title,
        opens_at=settings.opens_at,
        closes_at=settings.closes_at,
        reminder_days=list(settings.reminder_days),
        invitation_text=settings.invitation_text,
        reminder_text=settings.reminder_text,
    )
    order = (process.rounds.aggregate(last=Max("order"))["last"] or 0) + 1
    kind_settings = {**round_kind_get(settings.kind).settings_defaults(), **settings.settings}
    round_ = Round(
        process=process,
        ballot=ballot,
        order=order,
        kind=settings.kind,
        question=settings.question,
        settings=kind_settings,
    )
    _apply_round_audience(round_, settings)
    round_.save()
    round_.audience_units.set([] if settings.audience_from_process else settings.audience_units)
    audit_record(
        actor=actor,
        action="dialogue.round.create",
        organisation=process.organisation,
        target=round_,
        summary=f"{process.title}: {settings.title}",
    )
    return round_


@transaction.atomic
def round_update(*, actor: User, round_: Round, settings: RoundSettings) -> Round:
    """Change a round that has not been launched (a launched one can only be extended)."""
    round_ = Round.objects.select_for_update().select_related("ballot", "process").get(pk=round_.pk)
    ballot = round_.ballot
    if ballot.status != Ballot.Status.DRAFT:
        raise ParticipationError(_("The round has been launched, so it can no longer be changed."))
    if settings.closes_at <= settings.opens_at:
        raise ParticipationError(_("The round must close after it opens."))
    ballot.title = settings.title
    ballot.opens_at = settings.opens_at
    ballot.closes_at = settings.closes_at
    ballot.reminder_days = list(settings.reminder_days)
    ballot.invitation_text = settings.invitation_text
    ballot.reminder_text = settings.reminder_text
    ballot.save()
    round_.question = settings.question
    round_.settings = {**round_.settings, **settings.settings}
    _apply_round_audience(round_, settings)
    round_.save()
    round_.audience_units.set([] if settings.audience_from_process else settings.audience_units)
    audit_record(
        actor=actor,
        action="dialogue.round.update",
        organisation=round_.process.organisation,
        target=round_,
        summary=settings.title,
    )
    return round_


def round_launch(*, actor: User, round_: Round) -> Round:
    """Freeze audience and thresholds and create the invitations (the invitations app does it)."""
    problems = round_kind_get(round_.kind).launch_errors(round_)
    if problems:
        raise ParticipationError(" ".join(problems))
    try:
        ballots.ballot_launch(actor=actor, ballot=round_.ballot)
    except ballots.BallotError as error:
        raise ParticipationError(str(error)) from None
    round_.ballot.refresh_from_db()
    return round_


def round_close(*, actor: User, round_: Round) -> Round:
    try:
        ballots.ballot_close(actor=actor, ballot=round_.ballot)
    except ballots.BallotError as error:
        raise ParticipationError(str(error)) from None
    round_.ballot.refresh_from_db()
    return round_


# Moderation ---------------------------------------------------------------------------------------


def _moderated(contribution: Contribution) -> Contribution:
    """The contribution, locked; only published (shuffled) contributions can be moderated."""
    locked = (
        Contribution.objects.select_for_update()
        .select_related("round__process__organisation")
        .get(pk=contribution.pk)
    )
    if not locked.shuffled:
        raise ParticipationError(_("This contribution is not published yet."))
    return locked


@transaction.atomic
def contribution_hide(*, actor: User, contribution: Contribution, reason: str) -> Contribution:
    reason = reason.strip()
    if not reason:
        raise ParticipationError(_("Write why the contribution is hidden; participants see the reason."))
    contribution = _moderated(contribution)
    contribution.hidden = True
    contribution.hidden_reason = reason[:500]
    contribution.save(update_fields=["hidden", "hidden_reason"])
    audit_record(
        actor=actor,
        action="dialogue.contribution.hide",
        organisation=contribution.round.process.organisation,
        target=contribution,
        data={"round": str(contribution.round_id)},
    )
    return contribution


@transaction.atomic
def contribution_unhide(*, actor: User, contribution: Contribution) -> Contribution:
    contribution = _moderated(contribution)
    contribution.hidden = False
    contribution.hidden_reason = ""
    contribution.save(update_fields=["hidden", "hidden_reason"])
    audit_record(
        actor=actor,
        action="dialogue.contribution.unhide",
        organisation=contribution.round.process.organisation,
        target=contribution,
        data={"round": str(contribution.round_id)},
    )
    return contribution


@transaction.atomic
def contribution_merge(*, actor: User, contribution: Contribution, into: Contribution) -> Contribution:
    """Mark `contribution` a duplicate of `into` (same round). Its themes, supports' meaning and
    earlier duplicates move to `into`; receipts of both lead to `into`'s themes and outcomes."""
    contribution = _moderated(contribution)
    into = _moderated(into)
    if into.round_id != contribution.round_id:
        raise ParticipationError(_("Only contributions of the same round can be merged."))
    if (
        into.pk == contribution.pk
        or into.merged_into_id is not None
        or contribution.merged_into_id is not None
    ):
        raise ParticipationError(_("Choose another contribution that has not been merged itself."))
    Contribution.objects.filter(merged_into=contribution).update(merged_into=into)
    contribution.merged_into = into
    contribution.save(update_fields=["merged_into"])
    for membership in ThemeMembership.objects.filter(contribution=contribution):
        ThemeMembership.objects.get_or_create(theme_id=membership.theme_id, contribution=into)
    ThemeMembership.objects.filter(contribution=contribution).delete()
    audit_record(
        actor=actor,
        action="dialogue.contribution.merge",
        organisation=contribution.round.process.organisation,
        target=contribution,
        data={"round": str(contribution.round_id), "into": str(into.pk)},
    )
    return contribution


# Themes and outcomes ------------------------------------------------------------------------------


@transaction.atomic
def theme_create(*, actor: User, process: Process, title: str, description: str = "") -> Theme:
    theme = Theme.objects.create(process=process, title=title.strip(), description=description.strip())
    audit_record(
        actor=actor,
        action="dialogue.theme.create",
        organisation=process.organisation,
        target=theme,
        summary=theme.title,
    )
    return theme


@transaction.atomic
def theme_update(*, actor: User, theme: Theme, title: str, description: str = "") -> Theme:
    theme.title = title.strip()
    theme.description = description.strip()
    theme.save(update_fields=["title", "description"])
    return theme


@transaction.atomic
def theme_assign(
    *, actor: User, theme: Theme, contribution_ids: set[uuid.UUID], shown_ids: set[uuid.UUID]
) -> int:
    """Make the theme's members among `shown_ids` (the contributions the form listed) exactly
    `contribution_ids`; members not listed on the form are kept. Returns the number of members."""
    allowed = set(
        Contribution.objects.listed()
        .filter(round__process_id=theme.process_id, pk__in=shown_ids)
        .values_list("pk", flat=True)
    )
    wanted = set(contribution_ids) & allowed
    current = set(theme.memberships.values_list("contribution_id", flat=True))
    ThemeMembership.objects.filter(theme=theme, contribution_id__in=(current & allowed) - wanted).delete()
    ThemeMembership.objects.bulk_create(
        [ThemeMembership(theme=theme, contribution_id=pk) for pk in wanted - current]
    )
    audit_record(
        actor=actor,
        action="dialogue.theme.assign",
        organisation=theme.process.organisation,
        target=theme,
        data={"added": len(wanted - current), "removed": len((current & allowed) - wanted)},
    )
    return theme.memberships.count()


def _outcomes_changed(process_id: uuid.UUID) -> None:
    """What became of the input changed: all invitees are told once it has been quiet for a while
    (`announcements`, DESIGN §4.9)."""
    Process.objects.filter(pk=process_id).update(outcomes_changed_at=timezone.now())


@transaction.atomic
def theme_delete(*, actor: User, theme: Theme) -> None:
    links = Link.objects.filter(
        organisation=theme.process.organisation, source_kind=THEME_KIND, source_id=theme.pk
    )
    if links.filter(kind=OUTCOME_LINK).exists():
        _outcomes_changed(theme.process_id)
    links.delete()
    audit_record(
        actor=actor,
        action="dialogue.theme.delete",
        organisation=theme.process.organisation,
        summary=theme.title,
    )
    theme.delete()


@transaction.atomic
def outcome_create(*, actor: User, process: Process, kind: str, title: str, description: str = "") -> Outcome:
    if kind not in Outcome.Kind.values:
        raise ParticipationError(_("Choose a kind of outcome."))
    outcome = Outcome.objects.create(
        process=process, kind=kind, title=title.strip(), description=description.strip()
    )
    audit_record(
        actor=actor,
        action="dialogue.outcome.create",
        organisation=process.organisation,
        target=outcome,
        summary=outcome.title,
    )
    return outcome


def outcome_link(*, actor: User, theme: Theme, target_kind: str, target_id: uuid.UUID, reason: str) -> Link:
    """Link a theme to what became of it (a policy node, an action, a process outcome), with a
    reason participants read on their receipt page."""
    reason = reason.strip()
    if not reason:
        raise ParticipationError(_("Write the reason; participants read it on their receipt page."))
    organisation = theme.process.organisation
    try:
        link_kind_get(target_kind)
    except LookupError:
        raise ParticipationError(_("Puls cannot link to this kind of object.")) from None
    with transaction.atomic():
        exists = Link.objects.filter(
            organisation=organisation,
            source_kind=THEME_KIND,
            source_id=theme.pk,
            target_kind=target_kind,
            target_id=target_id,
            kind=OUTCOME_LINK,
        ).exists()
        if exists:
            raise ParticipationError(_("The theme is already linked to this outcome."))
        try:
            link = link_create(
                organisation=organisation,
                source_kind=THEME_KIND,
                source_id=theme.pk,
                target_kind=target_kind,
                target_id=target_id,
                kind=OUTCOME_LINK,
                reason=reason,
                created_by=actor,
            )
        except LookupError:
            raise ParticipationError(_("Puls found nothing to link to in this organisation.")) from None
        audit_record(
            actor=actor,
            action="dialogue.outcome.link",
            organisation=organisation,
            target=theme,
            data={"target_kind": target_kind, "target_id": str(target_id)},
        )
        _outcomes_changed(theme.process_id)
    return link


@transaction.atomic
def outcome_unlink(*, actor: User, theme: Theme, link_id: uuid.UUID) -> None:
    deleted, _rows = Link.objects.filter(
        pk=link_id,
        organisation=theme.process.organisation,
        source_kind=THEME_KIND,
        source_id=theme.pk,
        kind=OUTCOME_LINK,
    ).delete()
    if not deleted:
        raise ParticipationError(_("The link was not found."))
    _outcomes_changed(theme.process_id)
    audit_record(
        actor=actor, action="dialogue.outcome.unlink", organisation=theme.process.organisation, target=theme
    )


# More input through the receipt code --------------------------------------------------------------


def receipt_for_code(code: str) -> Receipt | None:
    normalised = receipt_code_normalise(code)
    if not normalised:
        return None
    return (
        Receipt.objects.select_related("process__organisation", "round__ballot")
        .filter(code_hmac=receipt_code_hmac(normalised))
        .first()
    )


@transaction.atomic
def ideas_add_by_receipt(*, round_: Round, receipt: Receipt, ideas: list[dict[str, str]]) -> int:
    """More ideas in the same open round, under the participant's receipt (DESIGN §4.7, §4.9).

    Stored like submitted ones: the receipt's cell, no date, unshuffled until the next shuffle."""
    if receipt.round_id != round_.pk or round_.kind != IDEAS_KIND:
        raise ParticipationError(_("This receipt code belongs to another round."))
    if not round_.ballot.is_open:
        raise ParticipationError(_("The round is closed."))
    if not ideas or len(ideas) > MAX_IDEAS:
        raise ParticipationError(_("Write at least one idea."))
    for idea in ideas:
        problems = idea_errors(round_, idea.get("text"), idea.get("category", ""))
        if problems:
            raise ParticipationError(problems[0])
    named = round_.process.is_named
    author = None
    if named:
        author = (
            NamedAuthorship.objects.filter(contribution__receipt=receipt)
            .values_list("person_id", flat=True)
            .first()
        )
        if author is None:
            raise ParticipationError(_("This receipt cannot take more ideas."))
    contributions = [
        Contribution(
            round=round_,
            cell_id=receipt.cell_id,
            receipt=receipt,
            text=idea["text"].strip(),
            category=idea.get("category") or "",
            shuffled=named,
        )
        for idea in ideas
    ]
    Contribution.objects.bulk_create(contributions)
    if author is not None:
        NamedAuthorship.objects.bulk_create(
            [NamedAuthorship(contribution=contribution, person_id=author) for contribution in contributions]
        )
    return len(contributions)
