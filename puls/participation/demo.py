"""The dialogue demo of Demo Kommune: the process "Fælles værdier 2027" (issue 6), built through the
real services and the participants' sealed submit, so its rows are exactly what participants and a
facilitator would have produced.

- A standing employee panel of 230 people from every unit (about one in nine of each unit) is the
  process's audience; the demo logins' people are among them, so they can open the internal process
  website. Results are internal: a values process is the employees' own business, and the one page
  that needs no login, the receipt page, is public anyway.
- Round 1 (ideas), closed: about 190 ballots with 400+ ideas (near-duplicates included), supports
  of the ideas published so far (published in shuffled batches, as the periodic job does), four
  ideas hidden with a reason, duplicates merged, nine themes, and outcome links with a reason for
  every theme (draft values and a draft text as process outcomes, policy nodes of the demo staff
  policy, one theme not taken forward).
- Round 2 (prioritise, pairwise), closed: about 180 ballots of 12 pairs each, chosen after a planted
  Bradley–Terry order of the eight themes taken forward.
- Round 3 (assessment of round 2's top five), open since three days, closing in four: about 85
  ballots in, published in batches of at least k; the rest of the panel has still to answer.

Three round-1 ballots were submitted with receipt codes derived from the server's secret
(`demo_receipt_code`), so `manage.py demo_logins` can print them while only their HMAC is stored.
Fixed seed, dates relative to today, idempotent: nothing happens when the process exists.
"""

import hashlib
import hmac
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puls.core.models import Link, User
from puls.invitations import services as ballots
from puls.invitations import tokens
from puls.invitations.models import Ballot, DailyCount, Invitation
from puls.organisations import services as organisation_services
from puls.organisations.demo.structure import DEMO_LOGINS
from puls.organisations.models import EmployeePanel, Employment, Organisation, Person, Role
from puls.participation import demo_texts as texts
from puls.participation import round_items, services
from puls.participation.link_kinds import OUTCOME_KIND, THEME_KIND
from puls.participation.models import (
    Contribution,
    Process,
    Receipt,
    Round,
    RoundItem,
    Theme,
)
from puls.participation.receipts import receipt_code_format, receipt_code_hmac, receipt_code_new

SEED = 2027
PANEL_NAME = "Medarbejderpanelet"
PANEL_SIZE = 230
BATCH = 25  # ballots between two shuffles: what the periodic job would find waiting (≥ k)

ROUND1_BALLOTS = 192
ROUND1_IDEAS = 420  # at least this many ideas in round 1
MERGES = 12  # duplicates the facilitator merged (besides the one on a demo receipt)
ROUND2_BALLOTS = 180
PAIRS = 12
ROUND3_BALLOTS = 86
ROUND3_ITEMS = 5

# Days relative to today.
PROCESS_CREATED = -84
ROUND1_OPENS, ROUND1_CLOSES = -70, -56
OUTCOMES_PUBLISHED = -45
ROUND2_OPENS, ROUND2_CLOSES = -35, -24
ROUND3_OPENS, ROUND3_CLOSES = -3, 4

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class DemoReceipt:
    number: int
    ideas: tuple[tuple[str, str], ...]  # (topic key, text)
    shows: str | Promise


# The three printed receipts. Receipt 2's first idea repeats MERGE_TARGET's core: it is merged into it.
MERGE_TARGET = (
    "workload",
    "Der er for mange opgaver og for lidt tid. Mange af os tager arbejde med hjem. "
    "Nye opgaver bør komme med tid eller penge.",
)
DEMO_RECEIPTS = (
    DemoReceipt(
        1,
        (
            (
                "workload",
                "Vi har for travlt til at løse opgaverne ordentligt. Det går ud over kvaliteten. "
                "Lad os blive enige om, hvad vi holder op med at gøre.",
            ),
            (
                "trust",
                "Beslutninger bliver truffet, uden at vi ved hvorfor. "
                "Fortæl, hvorfor beslutninger bliver truffet, også når svaret er nej.",
            ),
        ),
        gettext_lazy("two ideas, their themes, draft values and staff policy, joined with rounds 2 and 3"),
    ),
    DemoReceipt(
        2,
        (
            ("workload", "Der er for mange opgaver og for lidt tid."),
            ("premises", "Der er for få parkeringspladser ved rådhuset. Det burde kunne løses hurtigt."),
        ),
        gettext_lazy("a duplicate merged into another idea, and a theme not taken forward"),
    ),
    DemoReceipt(
        3,
        (
            (
                "recruitment",
                "Nye kolleger bliver kastet ud i det uden introduktion. "
                "Alle nye skal have en fast makker de første måneder.",
            ),
            (texts.HIDDEN[0][0], texts.HIDDEN[0][1]),
        ),
        gettext_lazy("an idea hidden by the moderator with the reason, and one that went to HR"),
    ),
)
# Where in round 1 the planted ballots are submitted (ballot index).
MERGE_TARGET_AT = 3
DEMO_RECEIPTS_AT = {1: 30, 2: 55, 3: 80}
HIDDEN_AT = (44, 101, 150)  # the other three hidden ideas
# Demo receipt 1's participant joins their ballots of rounds 2 and 3 to it (DESIGN §4.9), so its code
# shows all three rounds; they answer as the CHAINED_AT-th participant of those rounds if not drawn.
CHAINED_RECEIPT = 1
CHAINED_AT = 20
CHAINED_ASSESSMENT = {
    "time": {"strength": "Kollegerne hjælper hinanden, når det brænder på.", "weakness": ""},
    "trust": {"strength": "", "weakness": "Beslutninger om budgettet kommer uden forklaring."},
}


def demo_receipt_code(number: int) -> str:
    """The demo receipt's code: an HMAC of a fixed label under the server's secret, as 16 Crockford
    base32 characters. Only its HMAC is stored; `demo_logins` derives the code again to print it."""
    secret = getattr(settings, "INVITATION_SECRET", "") or settings.SECRET_KEY
    digest = hmac.new(secret.encode(), f"puls.participation.demo-receipt:{number}".encode(), hashlib.sha256)
    value = int.from_bytes(digest.digest()[:10], "big")
    return "".join(_CROCKFORD[(value >> (5 * shift)) & 31] for shift in reversed(range(16)))


@dataclass
class DialogueDemoSummary:
    created: bool = False
    process: Process | None = None
    invited: int = 0
    ideas: int = 0
    themes: int = 0
    ballots: list[int] = field(default_factory=list)


def dialogue_demo_exists(organisation: Organisation) -> bool:
    return Process.objects.filter(organisation=organisation, title=texts.PROCESS_TITLE).exists()


def dialogue_clear(organisation: Organisation) -> None:
    """Delete the organisation's dialogue processes (before a reset deletes their ballots: answer
    rows protect the ballots' storage cells) and the outcome links of their themes."""
    themes = Theme.objects.filter(process__organisation=organisation).values_list("pk", flat=True)
    Link.objects.filter(
        organisation=organisation, source_kind=THEME_KIND, source_id__in=list(themes)
    ).delete()
    for process in Process.objects.filter(organisation=organisation):
        process.delete()


def _local(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _facilitator(organisation: Organisation) -> User:
    """The demo facilitator (the HR administrator when there is none)."""
    for role in (Role.FACILITATOR, Role.ORG_ADMIN):
        person = (
            Person.objects.filter(organisation=organisation, role_assignments__role=role, user__isnull=False)
            .select_related("user")
            .order_by("employee_number")
            .first()
        )
        if person is not None and person.user is not None:
            return person.user
    raise RuntimeError("The dialogue demo needs the organisation's facilitator or HR administrator")


# The audience -------------------------------------------------------------------------------------


def _panel(organisation: Organisation, actor: User, rng: random.Random) -> EmployeePanel:
    """The standing employee panel: PANEL_SIZE people, each unit in proportion to its staff (at least
    one), the demo logins' people among them."""
    existing = EmployeePanel.objects.filter(organisation=organisation, name=PANEL_NAME).first()
    if existing is not None:
        return existing
    staff: dict[Any, list[Person]] = {}
    employments = (
        Employment.objects.current()
        .filter(unit__organisation=organisation, person__anonymised_at__isnull=True)
        .select_related("person")
        .order_by("person__employee_number")
    )
    for employment in employments:
        staff.setdefault(employment.unit_id, []).append(employment.person)
    total = sum(len(people) for people in staff.values())
    shares = {unit: len(people) * PANEL_SIZE / total for unit, people in staff.items()}
    quotas = {unit: max(1, math.floor(share)) for unit, share in shares.items()}
    # The largest remainders get the seats left over, so the panel has exactly PANEL_SIZE members.
    for unit in sorted(staff, key=lambda unit: (-(shares[unit] % 1), staff[unit][0].employee_number)):
        if sum(quotas.values()) >= PANEL_SIZE:
            break
        quotas[unit] += 1
    logins = {login.email for login in DEMO_LOGINS}
    chosen: list[Person] = []
    for unit, people in sorted(staff.items(), key=lambda pair: pair[1][0].employee_number):
        wanted = [person for person in people if person.email in logins]
        others = [person for person in people if person.email not in logins]
        chosen += wanted + rng.sample(others, max(0, min(len(others), quotas[unit] - len(wanted))))
    return organisation_services.panel_save(
        actor=actor,
        organisation=organisation,
        name=PANEL_NAME,
        numbers="\n".join(person.employee_number for person in chosen),
    )


# Rounds and ballots -------------------------------------------------------------------------------


def _round_create(
    process: Process, actor: User, index: int, kind: str, kind_settings: dict[str, Any]
) -> Round:
    """A draft round. It is launched with an opening time ahead, so no invitation e-mail is queued;
    `_launch` then moves it to its own dates, as if the invitations had gone out back then."""
    now = timezone.now()
    return services.round_create(
        actor=actor,
        process=process,
        settings=services.RoundSettings(
            title=texts.ROUND_TITLES[index],
            kind=kind,
            question=texts.ROUND_QUESTIONS[index],
            opens_at=now + timedelta(hours=1),
            closes_at=now + timedelta(hours=2),
            settings=kind_settings,
        ),
    )


def _launch(actor: User, round_: Round, opens_at: datetime, closes_at: datetime) -> Ballot:
    services.round_launch(actor=actor, round_=round_)
    launched = opens_at - timedelta(days=2)
    # Closed rounds stay open until the simulated ballots are in; `_close` moves their closing back.
    Ballot.objects.filter(pk=round_.ballot_id).update(
        opens_at=opens_at,
        closes_at=max(closes_at, timezone.now() + timedelta(days=1)),
        launched_at=launched,
        invitations_sent_at=opens_at,
        created_at=launched - timedelta(days=5),
    )
    return Ballot.objects.select_related("organisation", "dialogue_round__process").get(pk=round_.ballot_id)


def _close(actor: User, ballot: Ballot, closes_at: datetime) -> None:
    ballots.ballot_close(ballot=ballot, actor=actor)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=closes_at, closed_at=closes_at)
    DailyCount.objects.filter(ballot=ballot).update(day=timezone.localdate(closes_at))


def _participants(ballot: Ballot, rng: random.Random, count: int, include: Any = None) -> list[Invitation]:
    """`count` of the ballot's invitations in the order they answer, the person `include` among them."""
    invitations = list(
        Invitation.objects.filter(ballot=ballot).select_related("cell").order_by("person__employee_number")
    )
    chosen = rng.sample(invitations, min(count, len(invitations)))
    if include is not None and all(invitation.person_id != include for invitation in chosen):
        chosen[min(CHAINED_AT, len(chosen) - 1)] = next(i for i in invitations if i.person_id == include)
    for invitation in chosen:
        invitation.ballot = ballot
    return chosen


class _Submitter:
    """Submits ballots as participants do (`ballot_submit` with the token the invitation's letter or
    e-mail carries) and lets the shuffle publish them in batches, as the periodic job does."""

    def __init__(self, ballot: Ballot) -> None:
        self.ballot = ballot
        self.waiting = 0
        self.submitted = 0

    def submit(self, invitation: Invitation, data: dict[str, Any]) -> None:
        token = tokens.token_for(invitation.pk, invitation.issue_number)
        holder = ballots.TokenHolder(ballot=self.ballot, token=token, invitation=invitation)
        ballots.ballot_submit(holder=holder, data=data)
        self.submitted += 1
        self.waiting += 1
        if self.waiting >= BATCH:
            self.publish()

    def publish(self) -> bool:
        """The periodic shuffle: publishes the waiting ballots when at least k are waiting."""
        moved = ballots.ballot_shuffle(ballot=self.ballot)
        if moved:
            self.waiting = 0
        return bool(moved)


# Round 1: ideas -----------------------------------------------------------------------------------

TOPICS = {topic.key: topic for topic in texts.TOPICS}
CASUAL_OPENINGS = ("Hos os: ", "Helt ærligt: ", "Kort sagt: ", "Største udfordring: ")


def _idea_text(rng: random.Random, topic: texts.Topic) -> str:
    parts = [rng.choice(topic.cores)]
    if topic.details and rng.random() < 0.5:
        parts.append(rng.choice(topic.details))
    if topic.proposals and rng.random() < 0.45:
        parts.append(rng.choice(topic.proposals))
    text = " ".join(parts)
    if rng.random() < 0.1 and text[1:2].islower():
        text = rng.choice(CASUAL_OPENINGS) + text[0].lower() + text[1:]
    return text


def _round1_plan(rng: random.Random) -> list[list[tuple[str, str]]]:
    """(topic key, text) of each ballot's ideas, planted ballots included."""
    topics = list(texts.TOPICS)
    weights = [topic.weight for topic in topics]
    counts = rng.choices([0, 1, 2, 3, 4, 5], [8, 26, 30, 20, 10, 6], k=ROUND1_BALLOTS)
    counts[:BATCH] = [max(1, count) for count in counts[:BATCH]]  # nothing to support yet
    planted = {MERGE_TARGET_AT, *DEMO_RECEIPTS_AT.values()}
    free = [index for index in range(ROUND1_BALLOTS) if index not in planted]
    while sum(counts[index] for index in free) < ROUND1_IDEAS:
        counts[rng.choice(free)] += 1
    plan: list[list[tuple[str, str]]] = []
    for count in counts:
        chosen = rng.choices(topics, weights, k=count)
        plan.append([(topic.key, _idea_text(rng, topic)) for topic in chosen])
    plan[MERGE_TARGET_AT] = [MERGE_TARGET]
    for receipt in DEMO_RECEIPTS:
        plan[DEMO_RECEIPTS_AT[receipt.number]] = list(receipt.ideas)
    for index, (topic_key, text, _reason) in zip(HIDDEN_AT, texts.HIDDEN[1:], strict=True):
        plan[index].append((topic_key, text))
    return plan


def _supports(rng: random.Random, supportable: list[tuple[Any, str]], topic_of: dict[str, str]) -> list[str]:
    """Ideas one participant supports: popular topics more often."""
    if not supportable:
        return []
    wanted = rng.choices([0, 1, 2, 3, 4, 6, 8], [20, 15, 18, 15, 12, 12, 8])[0]
    weights = [TOPICS[topic_of.get(text, "general")].weight for _pk, text in supportable]
    chosen: dict[str, None] = {}
    for _attempt in range(wanted * 3):
        if len(chosen) >= wanted:
            break
        pk, _text = rng.choices(supportable, weights)[0]
        chosen[pk.hex] = None
    return list(chosen)


def _round1(
    process: Process, actor: User, rng: random.Random, today: date
) -> tuple[Round, dict[str, str], Any]:
    """Round 1, submitted and closed; returns it, the topic of every idea text and the person who
    holds demo receipt 1."""
    round_ = _round_create(process, actor, 0, "ideas", {"categories": texts.CATEGORIES, "supports": True})
    ballot = _launch(actor, round_, _local(today + timedelta(days=ROUND1_OPENS), 8), timezone.now())
    plan = _round1_plan(rng)
    topic_of = {text: topic_key for ideas in plan for topic_key, text in ideas}
    demo_at = {index: number for number, index in DEMO_RECEIPTS_AT.items()}
    submitter = _Submitter(ballot)
    supportable: list[tuple[Any, str]] = []
    chained = None
    for index, invitation in enumerate(_participants(ballot, rng, ROUND1_BALLOTS)):
        ideas = [
            {"text": text, "category": TOPICS[topic_key].category if rng.random() < 0.75 else ""}
            for topic_key, text in plan[index]
        ]
        code = demo_receipt_code(demo_at[index]) if index in demo_at else receipt_code_new()
        if demo_at.get(index) == CHAINED_RECEIPT:
            chained = invitation.person_id
        supports = _supports(rng, supportable, topic_of)
        if not ideas and not supports:
            continue
        submitter.submit(invitation, {"receipt_code": code, "ideas": ideas, "supports": supports})
        if submitter.waiting == 0:
            supportable = list(
                Contribution.objects.supportable()
                .filter(round=round_)
                .order_by("text", "pk")
                .values_list("pk", "text")
            )
    _close(actor, ballot, _local(today + timedelta(days=ROUND1_CLOSES), 16))
    return round_, topic_of, chained


def _chain(invitation: Invitation, chained: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The submission, joined to demo receipt 1 when it is that participant's (the review page's
    "earlier receipt code" field)."""
    if invitation.person_id == chained:
        return {**data, "previous_code": demo_receipt_code(CHAINED_RECEIPT)}
    return data


def _demo_contribution(round_: Round, number: int, text: str) -> Contribution:
    code_hmac = receipt_code_hmac(demo_receipt_code(number))
    return Contribution.objects.get(round=round_, receipt__code_hmac=code_hmac, text=text)


def _moderate(round_: Round, actor: User) -> int:
    """Hide the four ideas, merge duplicates; returns how many were merged."""
    for _topic, text, reason in texts.HIDDEN:
        for contribution in Contribution.objects.filter(round=round_, text=text):
            services.contribution_hide(actor=actor, contribution=contribution, reason=reason)
    duplicate = _demo_contribution(round_, 2, DEMO_RECEIPTS[1].ideas[0][1])
    target = Contribution.objects.filter(round=round_, text=MERGE_TARGET[1]).order_by("pk").first()
    if target is None:
        raise RuntimeError("The idea planted for the demo merge is missing")
    services.contribution_merge(actor=actor, contribution=duplicate, into=target)
    merged = 1
    demo_hmacs = {receipt_code_hmac(demo_receipt_code(receipt.number)) for receipt in DEMO_RECEIPTS}
    groups: dict[str, list[Contribution]] = {}
    for contribution in (
        Contribution.objects.listed()
        .filter(round=round_, hidden=False)
        .select_related("receipt")
        .order_by("text", "pk")
    ):
        groups.setdefault(contribution.text.casefold(), []).append(contribution)
    for _text, group in sorted(groups.items()):
        if len(group) < 2 or merged > MERGES:
            continue
        # A demo receipt's idea is kept, so the printed codes show their themes directly.
        group.sort(key=lambda c: c.receipt is None or c.receipt.code_hmac not in demo_hmacs)
        for contribution in group[1:]:
            if merged > MERGES:
                break
            services.contribution_merge(actor=actor, contribution=contribution, into=group[0])
            merged += 1
    return merged


def _themes(process: Process, round_: Round, actor: User, topic_of: dict[str, str]) -> dict[str, Theme]:
    themes = {
        theme.key: services.theme_create(
            actor=actor, process=process, title=theme.title, description=theme.description
        )
        for theme in texts.THEMES
    }
    members: dict[str, set[Any]] = {key: set() for key in themes}
    listed = Contribution.objects.listed().filter(round=round_, hidden=False).order_by("text", "pk")
    for index, (pk, text) in enumerate(listed.values_list("pk", "text")):
        topic = TOPICS[topic_of.get(text, "general")]
        if topic.theme:
            members[topic.theme].add(pk)
        second = texts.SECOND_THEMES.get(topic.key)
        if second and index % 3 == 0:
            members[second].add(pk)
    for key, theme in themes.items():
        services.theme_assign(actor=actor, theme=theme, contribution_ids=members[key], shown_ids=members[key])
    return themes


def _policy_node(organisation: Organisation, title: str) -> Any:
    """A central node of the demo staff policy (None without the policy app or its demo)."""
    from django.apps import apps

    if not apps.is_installed("puls.policy"):
        return None
    from puls.policy.models import PolicyNode

    return PolicyNode.objects.filter(organisation=organisation, unit__isnull=True, title=title).first()


def _outcomes(process: Process, themes: dict[str, Theme], actor: User, today: date) -> None:
    outcomes = {
        key: services.outcome_create(actor=actor, process=process, kind=kind, title=title, description=text)
        for key, kind, title, text in texts.OUTCOMES
    }
    for theme_key, target, reason in texts.LINKS:
        kind, _sep, name = target.partition(":")
        if kind == "outcome":
            target_kind, target_id = OUTCOME_KIND, outcomes[name].pk
        else:
            node = _policy_node(process.organisation, name)
            if node is None:
                continue
            from puls.policy.link_kinds import NODE_KIND

            target_kind, target_id = NODE_KIND, node.pk
        services.outcome_link(
            actor=actor, theme=themes[theme_key], target_kind=target_kind, target_id=target_id, reason=reason
        )
    # Published (and announced to all invitees) weeks ago: nothing is waiting to be announced.
    published = _local(today + timedelta(days=OUTCOMES_PUBLISHED), 14)
    Process.objects.filter(pk=process.pk).update(
        outcomes_changed_at=published, outcomes_announced_at=published
    )


# Round 2: prioritise (pairwise) -------------------------------------------------------------------


def _items(round_: Round, themes: dict[str, Theme]) -> list[tuple[RoundItem, str]]:
    """The round's items with the key of the theme each was made from."""
    key_of: dict[Any, str] = {theme.pk: key for key, theme in themes.items()}
    return [
        (item, key_of[item.theme_id]) for item in RoundItem.objects.filter(round=round_).order_by("order")
    ]


def _round2(
    process: Process, actor: User, rng: random.Random, today: date, themes: dict[str, Theme], chained: Any
) -> Round:
    round_ = _round_create(process, actor, 1, "prioritise", {"method": "pairwise", "pairs": PAIRS})
    taken = [theme.pk for key, theme in themes.items() if key in texts.PREFERENCE]
    round_items.items_from_themes(actor=actor, round_=round_, theme_ids=taken)
    ballot = _launch(actor, round_, _local(today + timedelta(days=ROUND2_OPENS), 8), timezone.now())
    items = _items(round_, themes)
    pairs = [(a, b) for i, a in enumerate(items) for b in items[i + 1 :]]
    submitter = _Submitter(ballot)
    for invitation in _participants(ballot, rng, ROUND2_BALLOTS, include=chained):
        # Each participant weighs the themes a little differently from the planted order.
        strength = {key: value + rng.gauss(0, 0.5) for key, value in texts.PREFERENCE.items()}
        choices = []
        for (a, key_a), (b, key_b) in rng.sample(pairs, PAIRS):
            a_wins = rng.random() < 1 / (1 + math.exp(strength[key_b] - strength[key_a]))
            winner, loser = (a, b) if a_wins else (b, a)
            choices.append([winner.pk.hex, loser.pk.hex])
        data = {"receipt_code": receipt_code_new(), "pairs": choices}
        submitter.submit(invitation, _chain(invitation, chained, data))
    _close(actor, ballot, _local(today + timedelta(days=ROUND2_CLOSES), 16))
    return Round.objects.select_related("ballot", "process").get(pk=round_.pk)  # closed now


# Round 3: assessment (open) -----------------------------------------------------------------------


def _assessment(rng: random.Random, key: str, bias: float) -> dict[str, Any]:
    entry: dict[str, Any] = {"strength": "", "weakness": ""}
    if rng.random() < 0.06:
        entry["score"] = None  # "Don't know"
    else:
        entry["score"] = min(5, max(1, round(rng.gauss(texts.ASSESSMENT_MEANS[key] + bias, 0.9))))
    if rng.random() < 0.2:
        entry["strength"] = rng.choice(texts.STRENGTHS[key])
    if rng.random() < 0.25:
        entry["weakness"] = rng.choice(texts.WEAKNESSES[key])
    return entry


def _round3(
    process: Process,
    actor: User,
    rng: random.Random,
    today: date,
    source: Round,
    themes: dict[str, Theme],
    chained: Any,
) -> Round:
    round_ = _round_create(process, actor, 2, "assessment", {})
    round_items.items_from_round(actor=actor, round_=round_, source=source, top=ROUND3_ITEMS)
    opens_at = _local(today + timedelta(days=ROUND3_OPENS), 8)
    ballot = _launch(actor, round_, opens_at, _local(today + timedelta(days=ROUND3_CLOSES), 16))
    items = _items(round_, themes)
    submitter = _Submitter(ballot)
    for invitation in _participants(ballot, rng, ROUND3_BALLOTS, include=chained):
        bias = rng.gauss(0, 0.4)  # some see the culture brighter than others
        assessments = {item.pk.hex: _assessment(rng, key, bias) for item, key in items}
        if invitation.person_id == chained:
            for item, key in items:
                assessments[item.pk.hex].update(CHAINED_ASSESSMENT.get(key, {"strength": "", "weakness": ""}))
        data = {"receipt_code": receipt_code_new(), "assessments": assessments}
        submitter.submit(invitation, _chain(invitation, chained, data))
    submitter.publish()
    ballots.ballot_count(ballot=ballot)
    _daily_counts(ballot, timezone.localdate(opens_at), today)
    return round_


def _daily_counts(ballot: Ballot, first: date, today: date) -> None:
    """Daily totals as the count task recorded them since the round opened: most on the first day."""
    ballot.refresh_from_db()
    days = (today - first).days + 1
    curve = [1 - math.exp(-2.0 * (day + 1) / days) for day in range(days)]
    DailyCount.objects.filter(ballot=ballot).delete()
    DailyCount.objects.bulk_create(
        DailyCount(
            ballot=ballot,
            day=first + timedelta(days=day),
            completed_total=round(ballot.completed_count * share / curve[-1]),
        )
        for day, share in enumerate(curve)
    )


# The process --------------------------------------------------------------------------------------


@transaction.atomic
def dialogue_demo_create(*, organisation: Organisation, today: date | None = None) -> DialogueDemoSummary:
    """Create "Fælles værdier 2027" with its three rounds, unless the organisation has it already."""
    summary = DialogueDemoSummary()
    if dialogue_demo_exists(organisation):
        return summary
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311  # nosec B311  (reproducible demo data)
    actor = _facilitator(organisation)
    panel = _panel(organisation, actor, rng)
    process = services.process_create(
        actor=actor,
        organisation=organisation,
        settings=services.ProcessSettings(
            title=texts.PROCESS_TITLE,
            purpose=texts.PROCESS_PURPOSE,
            mode=Process.Mode.ANONYMOUS,
            results=Process.Results.INTERNAL,
            audience_everyone=False,
            audience_panel=panel,
            facilitators=[actor],
        ),
    )
    Process.objects.filter(pk=process.pk).update(
        created_at=_local(today + timedelta(days=PROCESS_CREATED), 10)
    )
    round1, topic_of, chained = _round1(process, actor, rng, today)
    _moderate(round1, actor)
    themes = _themes(process, round1, actor, topic_of)
    _outcomes(process, themes, actor, today)
    round2 = _round2(process, actor, rng, today, themes, chained)
    _round3(process, actor, rng, today, round2, themes, chained)

    summary.created = True
    summary.process = process
    summary.invited = Ballot.objects.get(pk=round1.ballot_id).invited_count
    summary.ideas = Contribution.objects.filter(round=round1).count()
    summary.themes = len(themes)
    summary.ballots = [
        Receipt.objects.filter(round=round_).count() for round_ in process.rounds.order_by("order")
    ]
    return summary


def dialogue_demo_line(summary: DialogueDemoSummary) -> str:
    return _(
        "%(title)s: %(invited)d invited, %(ideas)d ideas in %(themes)d themes, ballots per round %(ballots)s "
        "(the last round is open)"
    ) % {
        "title": texts.PROCESS_TITLE,
        "invited": summary.invited,
        "ideas": summary.ideas,
        "themes": summary.themes,
        "ballots": " / ".join(str(count) for count in summary.ballots),
    }


# What `demo_logins` prints ------------------------------------------------------------------------


def demo_receipts(process: Process) -> Iterator[tuple[str, DemoReceipt]]:
    """(formatted code, receipt) of the demo receipts whose HMAC is stored (none after the secret
    changed)."""
    codes = {receipt.number: demo_receipt_code(receipt.number) for receipt in DEMO_RECEIPTS}
    stored = set(
        Receipt.objects.filter(
            process=process, code_hmac__in=[receipt_code_hmac(code) for code in codes.values()]
        ).values_list("code_hmac", flat=True)
    )
    for receipt in DEMO_RECEIPTS:
        code = codes[receipt.number]
        if receipt_code_hmac(code) in stored:
            yield receipt_code_format(code), receipt


def _open_round_invitation(process: Process) -> Invitation | None:
    """An invitation of the open round that has not answered yet, for the console only (like the
    development e-mail console, DESIGN §4.6)."""
    return (
        Invitation.objects.filter(
            ballot__dialogue_round__process=process,
            ballot__status=Ballot.Status.OPEN,
            ballot__opens_at__lte=timezone.now(),
            ballot__closes_at__gt=timezone.now(),
            completed=False,
        )
        .select_related("person", "unit", "ballot")
        .order_by("person__employee_number")
        .first()
    )


def dialogue_demo_console_lines(organisation: Organisation) -> list[str]:
    """The process website, a code to answer the open round, and the three receipt codes."""
    from puls.invitations.sending import code_entry_url
    from puls.participation.site_access import site_path

    process = Process.objects.filter(organisation=organisation, title=texts.PROCESS_TITLE).first()
    if process is None:
        return []
    site = settings.SITE_URL.rstrip("/")
    lines = [
        _("Dialogue %(title)s (internal, for the employee panel): %(url)s")
        % {"title": process.title, "url": site + site_path(process)}
    ]
    invitation = _open_round_invitation(process)
    if invitation is not None:
        lines.append(
            _("Answer the open round %(round)s as %(name)s (%(unit)s): code %(code)s at %(url)s")
            % {
                "round": invitation.ballot.title,
                "name": invitation.person.full_name,
                "unit": invitation.unit.name,
                "code": tokens.token_format(tokens.token_for(invitation.pk, invitation.issue_number)),
                "url": code_entry_url(),
            }
        )
    receipts = list(demo_receipts(process))
    if receipts:
        lines.append(
            _("Where did my input go? Type a receipt code at %(url)s")
            % {"url": site + reverse("dialogue_receipt:receipt")}
        )
        for code, receipt in receipts:
            lines.append(
                "  " + _("Receipt code: %(code)s (%(shows)s)") % {"code": code, "shows": receipt.shows}
            )
    return lines
