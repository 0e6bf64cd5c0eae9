"""Builds Demo Kommune's policy demo through the real services. See the package docstring."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.core.models import User
from puls.organisations.models import Organisation, Person, Role, Unit
from puls.policy.demo import data
from puls.policy.models import NodeKind, NodeStatus, PolicyNode, ReportAnswer, ReportRound, ValueWalk
from puls.policy.services import local, report, walks
from puls.policy.services import tree as services
from puls.policy.services.tree import NodeContent

SEED = 7007
ANSWERED_SHARE = 0.5
ADOPTED_UNITS = 14  # units that have adopted the central policy, besides the two that walked


@dataclass
class PolicyDemoSummary:
    created: bool = False
    values: int = 0
    policies: int = 0
    walks: int = 0
    round: ReportRound | None = None
    answered: int = 0
    expected: int = 0
    units_adopted: int = 0
    nodes: list[PolicyNode] = field(default_factory=list)


def policy_demo_exists(organisation: Organisation) -> bool:
    return PolicyNode.objects.filter(organisation=organisation).exists()


def _admin(organisation: Organisation) -> User:
    person = (
        Person.objects.filter(
            organisation=organisation, role_assignments__role=Role.ORG_ADMIN, user__isnull=False
        )
        .select_related("user")
        .order_by("employee_number")
        .first()
    )
    if person is None or person.user is None:
        raise RuntimeError("The policy demo needs the organisation's HR administrator")
    return person.user


def _leader_user(unit: Unit, fallback: User) -> User:
    person = (
        Person.objects.filter(
            role_assignments__role=Role.UNIT_LEADER, role_assignments__units=unit, user__isnull=False
        )
        .select_related("user")
        .first()
    )
    return person.user if person is not None and person.user is not None else fallback


def _adopt(actor: User, node: PolicyNode, *, political: bool, on: date) -> None:
    services.node_status_change(actor=actor, node=node, status=NodeStatus.HEARING, include_below=True)
    services.node_status_change(
        actor=actor,
        node=node,
        status=NodeStatus.ADOPTED_MED,
        adopted_on=on,
        note="Hoved-MED",
        include_below=True,
    )
    if political:
        services.node_status_change(
            actor=actor,
            node=node,
            status=NodeStatus.ADOPTED_POLITICAL,
            adopted_on=on + timedelta(days=21),
            note="Kommunalbestyrelsen",
            include_below=True,
        )


def _tree_create(organisation: Organisation, actor: User, today: date) -> dict[str, PolicyNode]:
    """The values and policies; returns the central nodes by title."""
    adopted_on = today - timedelta(days=400)
    by_title: dict[str, PolicyNode] = {}
    for title, text in data.VALUES:
        value = services.node_create(
            actor=actor,
            organisation=organisation,
            kind=NodeKind.VALUE,
            parent=None,
            content=NodeContent(title=title, text=text, responsible=data.COUNCIL),
        )
        _adopt(actor, value, political=True, on=adopted_on)
        by_title[title] = value
    for spec in data.POLICIES:
        policy = services.node_create(
            actor=actor,
            organisation=organisation,
            kind=NodeKind.POLICY,
            parent=None,
            content=NodeContent(
                title=spec.title, text=spec.text, rationale=spec.rationale, responsible=spec.responsible
            ),
        )
        by_title[spec.title] = policy
        for area in spec.focus_areas:
            focus = services.node_create(
                actor=actor,
                organisation=organisation,
                kind=NodeKind.FOCUS_AREA,
                parent=policy,
                content=NodeContent(title=area.title, text=area.text),
            )
            for initiative in area.initiatives:
                services.node_create(
                    actor=actor,
                    organisation=organisation,
                    kind=NodeKind.INITIATIVE,
                    parent=focus,
                    content=NodeContent(
                        title=initiative.title, text=initiative.text, responsible=initiative.responsible
                    ),
                )
        if spec.state == "draft":
            continue
        _adopt(actor, policy, political=spec.state != "med", on=adopted_on)
        if spec.revised_text:
            content = NodeContent(
                title=spec.title,
                text=spec.revised_text,
                rationale=spec.rationale,
                responsible=spec.responsible,
            )
            services.node_update(actor=actor, node=policy, content=content)
            services.node_status_change(actor=actor, node=policy, status=NodeStatus.HEARING)
            if spec.state != "revision":  # the revision was adopted: a second version to compare
                services.node_status_change(
                    actor=actor,
                    node=policy,
                    status=NodeStatus.ADOPTED_MED,
                    adopted_on=today - timedelta(days=60),
                    note="Hoved-MED, revideret efter trivselsmålingen",
                )
    return by_title


def _local_create(
    organisation: Organisation, admin: User, nodes: dict[str, PolicyNode], today: date, rng: random.Random
) -> int:
    """Two workplaces with readings, own nodes and a completed Værdivejen; more that have adopted."""
    units = {unit.code: unit for unit in Unit.objects.filter(organisation=organisation)}
    for plan in data.WALKS:
        unit = units[plan.unit_code]
        leader = _leader_user(unit, admin)
        local.interpretation_adopt(actor=leader, unit=unit)
        for value_title, text in data.LOCAL_READINGS.get(plan.unit_code, {}).items():
            local.local_reading_save(actor=leader, unit=unit, value=nodes[value_title], text=text)
        for policy_title, area_title, initiatives in data.LOCAL_NODES.get(plan.unit_code, []):
            focus = local.local_node_create(
                actor=leader,
                unit=unit,
                parent=nodes[policy_title],
                kind=NodeKind.FOCUS_AREA,
                content=NodeContent(title=area_title),
            )
            for title in initiatives:
                local.local_node_create(
                    actor=leader,
                    unit=unit,
                    parent=focus,
                    kind=NodeKind.INITIATIVE,
                    content=NodeContent(title=title),
                )
        walk = walks.walk_create(
            actor=leader,
            unit=unit,
            title=plan.title,
            held_on=today - timedelta(days=plan.days_ago),
            participants=plan.participants,
            values=[nodes[title] for title in plan.points],
        )
        for value_title, stops in plan.points.items():
            for stop, points in enumerate(stops, start=1):
                for point in points:
                    walks.walk_answer_add(walk=walk, value=nodes[value_title], stop=stop, text=point)
        walks.walk_complete(actor=leader, walk=walk)
    walked = {plan.unit_code for plan in data.WALKS}
    others = [
        unit for code, unit in sorted(units.items()) if code not in walked and unit.parent_id is not None
    ]
    for unit in rng.sample(others, min(ADOPTED_UNITS, len(others))):
        local.interpretation_adopt(actor=_leader_user(unit, admin), unit=unit)
    return len(walked) + min(ADOPTED_UNITS, len(others))


def _report_round_create(
    organisation: Organisation, admin: User, today: date, rng: random.Random
) -> tuple[ReportRound, int]:
    report_round = report.round_create(
        actor=admin,
        organisation=organisation,
        settings=report.RoundSettings(
            title=f"Status på værdiarbejdet {today.year}",
            year=today.year,
            due_on=today + timedelta(days=21),
            intro="Fortæl kort, hvordan I har arbejdet med værdierne i år. Svarene samles til Hoved-MED.",
            tools=data.REPORT_TOOLS,
            goal_units=30,
        ),
    )
    report.round_open(actor=admin, report_round=report_round, announce=False)
    answers = list(
        ReportAnswer.objects.filter(round=report_round).select_related("unit").order_by("unit__path")
    )
    walked = {plan.unit_code for plan in data.WALKS}
    chosen = [answer for answer in answers if answer.unit.code in walked]
    rest = [answer for answer in answers if answer.unit.code not in walked]
    chosen += rng.sample(rest, max(0, round(len(answers) * ANSWERED_SHARE) - len(chosen)))
    for answer in chosen:
        tools = rng.sample(data.REPORT_TOOLS[1:], rng.randint(0, 2))
        if answer.unit.code in walked:
            tools = ["Værdivejen", *tools]
        report.answer_submit(
            actor=_leader_user(answer.unit, admin),
            answer=answer,
            content=report.AnswerContent(
                what_done=" ".join(rng.sample(data.REPORT_DONE, 2)),
                tools=tools,
                effect=rng.choice(data.REPORT_EFFECT),
                next_steps=rng.choice(data.REPORT_NEXT),
            ),
        )
    return report_round, len(chosen)


def policy_demo_create(
    *, organisation: Organisation, today: date | None = None, seed: int = SEED
) -> PolicyDemoSummary:
    """The policy demo for an organisation that has no policy tree yet; otherwise nothing."""
    if policy_demo_exists(organisation):
        return PolicyDemoSummary(created=False)
    return _policy_demo_write(organisation=organisation, today=today or timezone.localdate(), seed=seed)


@transaction.atomic
def _policy_demo_write(*, organisation: Organisation, today: date, seed: int) -> PolicyDemoSummary:
    # Demo data must be reproducible, not secret.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    admin = _admin(organisation)
    nodes = _tree_create(organisation, admin, today)
    services.publication_update(
        actor=admin, organisation=organisation, title=data.HANDBOOK_TITLE, intro=data.INTRO, is_public=True
    )
    units_adopted = _local_create(organisation, admin, nodes, today, rng)
    report_round, answered = _report_round_create(organisation, admin, today, rng)
    return PolicyDemoSummary(
        created=True,
        values=len(data.VALUES),
        policies=len(data.POLICIES),
        walks=ValueWalk.objects.filter(organisation=organisation).count(),
        round=report_round,
        answered=answered,
        expected=ReportAnswer.objects.filter(round=report_round).count(),
        units_adopted=units_adopted,
    )


def policy_line(summary: PolicyDemoSummary) -> str:
    return _(
        "%(values)d values, %(policies)d policies, %(walks)d Værdivejen workshops, %(units)d units with a "
        "local interpretation, report-back answered by %(answered)d of %(expected)d units"
    ) % {
        "values": summary.values,
        "policies": summary.policies,
        "walks": summary.walks,
        "units": summary.units_adopted,
        "answered": summary.answered,
        "expected": summary.expected,
    }
