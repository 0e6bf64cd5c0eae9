"""Reads of the participation app. Facilitator reads take the acting user's Access and return only
the organisation's objects (another organisation's object is a 404); the receipt read takes the
Receipt the code led to and nothing else.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string

from puls.core.links import UnknownLinkKind, link_kind_get, link_kinds, links_from
from puls.core.models import Link
from puls.organisations.scoping import Access
from puls.participation.link_kinds import OUTCOME_LINK, THEME_KIND
from puls.participation.models import (
    Contribution,
    Outcome,
    Process,
    Receipt,
    Round,
    RoundItem,
    Theme,
    ThemeMembership,
)
from puls.participation.round_kinds.assessment import TEXT_LABELS as ITEM_TEXT_LABELS
from puls.participation.similarity import duplicate_pairs, similar_to


def may_create_processes(access: Access) -> bool:
    """The organisation admin (HR) and holders of the facilitator role (DESIGN §3): they create
    processes and facilitate every process of the organisation."""
    return access.is_facilitator


def can_facilitate(access: Access, process: Process | None = None) -> bool:
    """Who runs a process: the organisation admin, a holder of the facilitator role, or one of the
    process's own facilitators (that process only). Without a process: whether the user
    facilitates every process of the organisation."""
    if process is not None and process.organisation_id != access.organisation.pk:
        return False
    if access.is_facilitator:
        return True
    if process is None or not access.user.is_authenticated:
        return False
    return process.facilitators.filter(pk=access.user.pk).exists()


def facilitates_any(access: Access) -> bool:
    """May open the facilitator pages at all: an organisation-wide facilitator, or the facilitator
    of at least one of the organisation's processes (who then sees only those)."""
    return access.is_facilitator or _own_processes(access).exists()


def _own_processes(access: Access) -> "QuerySet[Process]":
    """The processes the user may facilitate (all of the organisation's, or those naming them)."""
    processes = Process.objects.filter(organisation=access.organisation)
    if access.is_facilitator:
        return processes
    if not access.user.is_authenticated:
        return processes.none()
    return processes.filter(facilitators=access.user)


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def process_list(*, access: Access) -> list[Process]:
    return list(_own_processes(access).annotate(round_count=Count("rounds")))


def process_get(*, access: Access, process_id: Any) -> Process:
    """A process the user facilitates; another organisation's, or (for a facilitator of single
    processes) another process, is a 404."""
    process = _own_processes(access).filter(pk=_uuid(process_id)).first()
    if process is None:
        raise Http404
    return process


def round_list(*, process: Process) -> list[Round]:
    return list(process.rounds.select_related("ballot").order_by("order"))


def round_get(*, process: Process, round_id: Any) -> Round:
    round_ = (
        Round.objects.select_related("ballot", "process").filter(process=process, pk=_uuid(round_id)).first()
    )
    if round_ is None:
        raise Http404
    return round_


def contribution_get(*, round_: Round, contribution_id: Any) -> Contribution:
    contribution = Contribution.objects.published().filter(round=round_, pk=_uuid(contribution_id)).first()
    if contribution is None:
        raise Http404
    return contribution


def moderation_list(*, round_: Round) -> list[Contribution]:
    """The round's published contributions (hidden ones included, as hidden), with supports, the
    duplicates merged into each, the item each is about and `category_label`: the category as the
    round's kind names it in the reader's language (never a stored code)."""
    from puls.participation.round_kinds import round_kind_get

    kind = round_kind_get(round_.kind)
    contributions = list(
        Contribution.objects.listed()
        .filter(round=round_)
        .select_related("item")
        .annotate(support_count=Count("supports", filter=Q(supports__shuffled=True), distinct=True))
        .prefetch_related(
            Prefetch("merged", queryset=Contribution.objects.order_by("text")),
            "themes",
        )
        .order_by("category", "text")
    )
    for contribution in contributions:
        contribution.category_label = kind.category_label(contribution.category)  # type: ignore[attr-defined]
    return contributions


@dataclass
class DuplicateSuggestion:
    first: Contribution
    second: Contribution
    score: float


def duplicate_suggestions(*, contributions: list[Contribution], limit: int = 20) -> list[DuplicateSuggestion]:
    shown = [c for c in contributions if not c.hidden]
    pairs = duplicate_pairs([c.text for c in shown], limit=limit)
    return [DuplicateSuggestion(shown[i], shown[j], score) for i, j, score in pairs]


def theme_list(*, process: Process) -> list[Theme]:
    return list(process.themes.annotate(member_count=Count("memberships")))


def theme_get(*, process: Process, theme_id: Any) -> Theme:
    theme = (
        Theme.objects.select_related("process__organisation")
        .filter(process=process, pk=_uuid(theme_id))
        .first()
    )
    if theme is None:
        raise Http404
    return theme


def theme_candidates(*, process: Process) -> list[Contribution]:
    """Contributions a theme can hold: published, not merged, of any round of the process."""
    return list(
        Contribution.objects.listed()
        .filter(round__process=process)
        .select_related("round__ballot")
        .prefetch_related("themes")
        .order_by("round__order", "category", "text")
    )


def theme_suggested_ids(*, theme: Theme, candidates: list[Contribution], limit: int = 20) -> set[uuid.UUID]:
    """Non-members most like the theme's title, description and current members' text."""
    members = {c.pk for c in candidates if any(t.pk == theme.pk for t in c.themes.all())}
    query = " ".join([theme.title, theme.description, *(c.text for c in candidates if c.pk in members)])
    others = [c for c in candidates if c.pk not in members and not c.hidden]
    return {others[index].pk for index, _score in similar_to(query, [c.text for c in others], limit=limit)}


@dataclass
class OutcomeLine:
    link: Link
    label: str
    description: str
    available: bool


def _describe(link: Link, organisation: Any) -> OutcomeLine:
    try:
        kind = link_kind_get(link.target_kind)
    except UnknownLinkKind:
        return OutcomeLine(link, link.target_kind, "", False)
    target = kind.resolve(organisation, link.target_id)
    if target is None:
        return OutcomeLine(link, str(kind.label), "", False)
    return OutcomeLine(link, str(kind.label), kind.describe(target, link.target_detail), True)


def theme_outcomes(*, theme: Theme) -> list[OutcomeLine]:
    organisation = theme.process.organisation
    return [
        _describe(link, organisation)
        for link in links_from(organisation=organisation, kind=THEME_KIND, object_id=theme.pk)
        if link.kind == OUTCOME_LINK
    ]


def outcome_list(*, process: Process) -> list[Outcome]:
    return list(process.outcomes.all())


def linkable_kind_names() -> list[str]:
    """Kinds a theme's outcome may point at by address or id (other apps' objects)."""
    return sorted(name for name in link_kinds() if not name.startswith("participation."))


# The receipt page ---------------------------------------------------------------------------------


@dataclass
class ReceiptTheme:
    theme: Theme
    outcomes: list[OutcomeLine] = field(default_factory=list)


@dataclass
class ReceiptEntry:
    contribution: Contribution
    published: bool
    merged_into: Contribution | None
    themes: list[ReceiptTheme]
    # What the text is about when it answers one item (assessment: a strength or a weakness of it).
    item: RoundItem | None = None
    item_text_label: str = ""


@dataclass
class ReceiptRound:
    round: Round
    entries: list[ReceiptEntry]


@dataclass
class ReceiptView:
    process: Process
    round: Round
    entries: list[ReceiptEntry]
    # The rounds of the receipt's chain (earlier and later receipts joined to it), in order.
    rounds: list[ReceiptRound] = field(default_factory=list)


def receipt_view(*, receipt: Receipt) -> ReceiptView:
    """Each contribution under the receipt and under the receipts joined to it in earlier or later
    rounds (DESIGN §4.9), by round: the theme(s) it (or what it was merged into) is grouped under,
    and each theme's outcomes with the facilitator's reasons."""
    from puls.participation.receipt_chains import receipt_chain

    organisation = receipt.process.organisation
    chain = receipt_chain(receipt)
    contributions = list(
        Contribution.objects.filter(receipt__in=[member.pk for member in chain])
        .select_related("round__ballot", "merged_into", "item")
        .order_by("round__order", "item__order", "item__title", "text")
    )
    carriers = {c.pk: (c.merged_into if c.merged_into_id else c) for c in contributions}
    carrier_ids = {carrier.pk for carrier in carriers.values() if carrier is not None}
    themes_of: dict[uuid.UUID, list[Theme]] = {}
    memberships = ThemeMembership.objects.filter(contribution_id__in=carrier_ids).select_related("theme")
    for membership in memberships:
        themes_of.setdefault(membership.contribution_id, []).append(membership.theme)
    outcome_cache: dict[uuid.UUID, list[OutcomeLine]] = {}
    entries = []
    for contribution in contributions:
        carrier = carriers[contribution.pk] or contribution
        receipt_themes = []
        for theme in sorted(themes_of.get(carrier.pk, []), key=lambda t: t.title):
            if theme.pk not in outcome_cache:
                outcome_cache[theme.pk] = [
                    _describe(link, organisation)
                    for link in links_from(organisation=organisation, kind=THEME_KIND, object_id=theme.pk)
                    if link.kind == OUTCOME_LINK
                ]
            receipt_themes.append(ReceiptTheme(theme=theme, outcomes=outcome_cache[theme.pk]))
        entries.append(
            ReceiptEntry(
                contribution=contribution,
                published=contribution.shuffled,
                merged_into=contribution.merged_into,
                themes=receipt_themes,
                item=contribution.item,
                item_text_label=str(ITEM_TEXT_LABELS.get(contribution.category, ""))
                if contribution.item
                else "",
            )
        )
    rounds = [
        ReceiptRound(
            round=member.round, entries=[e for e in entries if e.contribution.receipt_id == member.pk]
        )
        for member in chain
    ]
    return ReceiptView(process=receipt.process, round=receipt.round, entries=entries, rounds=rounds)


@dataclass
class RoundResults:
    round: Round
    shown: bool
    context: dict[str, Any]
    template: str


def round_results_html(results: RoundResults, *, request: Any = None) -> str:
    """The kind's results template rendered with its context (empty when not shown): the same
    markup on the facilitator's round page, the process website and the PDF."""
    if not results.shown:
        return ""
    return render_to_string(results.template, results.context, request=request)


def round_results_shown(*, round_: Round) -> bool:
    """Whether the round's results may be shown: after close (or live when the process says so),
    and for free-text kinds only with at least the free-text threshold of ballots."""
    from puls.participation.round_kinds import round_kind_get

    kind = round_kind_get(round_.kind)
    ballot = round_.ballot
    answered = Receipt.objects.filter(round=round_).count()
    closed = ballot.status == ballot.Status.CLOSED
    allowed = closed or (round_.process.live_results and ballot.status == ballot.Status.OPEN)
    threshold = (ballot.free_text_k if kind.anonymity.free_text else ballot.k) or 0
    return allowed and answered >= max(threshold, 1)


def round_results(*, round_: Round) -> RoundResults:
    """The round's results through its kind, when they may be shown (`round_results_shown`)."""
    from puls.participation.round_kinds import round_kind_get

    kind = round_kind_get(round_.kind)
    shown = round_results_shown(round_=round_)
    return RoundResults(
        round=round_,
        shown=shown,
        context=kind.results_context(round_) if shown else {},
        template=kind.results_template,
    )


# Round results ------------------------------------------------------------------------------------


@dataclass
class IdeaGroup:
    theme: Theme | None  # None: ideas not grouped under any theme
    contributions: list[Contribution]


def ideas_by_theme(*, contributions: list[Contribution]) -> list[IdeaGroup]:
    """An ideas round's results by theme: themes by title, each with its ideas in the given order
    (an idea in two themes is listed under both), then the ideas without a theme. Reads the
    contributions' prefetched themes; hidden ideas stay in their place (shown as hidden)."""
    groups: dict[uuid.UUID, IdeaGroup] = {}
    loose: list[Contribution] = []
    for contribution in contributions:
        themes = list(contribution.themes.all())
        if not themes:
            loose.append(contribution)
        for theme in themes:
            groups.setdefault(theme.pk, IdeaGroup(theme=theme, contributions=[])).contributions.append(
                contribution
            )
    ordered = sorted(groups.values(), key=lambda group: group.theme.title.casefold() if group.theme else "")
    if loose:
        ordered.append(IdeaGroup(theme=None, contributions=loose))
    return ordered
