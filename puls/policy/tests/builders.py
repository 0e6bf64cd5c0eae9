"""Policy objects for tests, made through the services as HR and a leader would make them."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from puls.core.links import link_create
from puls.core.models import Link, User
from puls.organisations.models import Organisation, Unit
from puls.policy.models import (
    NodeKind,
    NodeStatus,
    NodeVersion,
    PolicyNode,
    ReportAnswer,
    ReportRound,
    ValueWalk,
    WalkAnswer,
    WalkStop,
)
from puls.policy.services import local, report, walks
from puls.policy.services import tree as services
from puls.policy.services.tree import NodeContent
from puls.surveys.models import Survey
from puls.testing import Personas


@dataclass
class PolicyObjects:
    """One object of every kind with its own URL in the policy app."""

    value: PolicyNode  # adopted by MED: published
    policy: PolicyNode  # adopted politically, with the focus area below it
    focus_area: PolicyNode  # adopted
    initiative: PolicyNode  # adopted, below the focus area
    draft: PolicyNode  # a draft value: never published
    local_focus_area: PolicyNode  # the unit's own, under the policy
    walk: ValueWalk  # the unit's Værdivejen on the value
    answer: WalkAnswer  # a point at the "what will we do" stop
    round: ReportRound  # open (when the organisation has unit leaders), the leaders' units asked
    citation: Link | None = None  # the value cites a source (see `cite`)
    baseline: dict[str, object] | None = None  # `state()` as built (see `policy_world`)

    @property
    def citation_id(self) -> uuid.UUID:
        if self.citation is None:
            raise LookupError("The value cites nothing yet: call cite() first")
        return self.citation.pk

    def ids(self) -> dict[str, uuid.UUID]:
        """The ids in policy URLs, for the cross-tenant test."""
        ids = {
            "node_id": self.value.pk,
            "walk_id": self.walk.pk,
            "answer_id": self.answer.pk,
            "round_id": self.round.pk,
        }
        if self.citation is not None:
            ids["link_id"] = self.citation.pk
        return ids

    def state(self) -> dict[str, object]:
        """What a request through another organisation's address must not change."""
        organisation = self.value.organisation
        value = PolicyNode.objects.get(pk=self.value.pk)
        return {
            "value": (value.title, value.status, value.position, value.text),
            "nodes": PolicyNode.objects.filter(organisation=organisation).count(),
            "versions": NodeVersion.objects.filter(node__organisation=organisation).count(),
            "walk": ValueWalk.objects.filter(pk=self.walk.pk).values_list("status", flat=True).first(),
            "walk_answers": WalkAnswer.objects.filter(walk=self.walk).count(),
            "round": ReportRound.objects.filter(pk=self.round.pk).values_list("title", "status").first(),
            "answered": ReportAnswer.objects.filter(round=self.round, submitted_at__isnull=False).count(),
            "links": Link.objects.filter(
                organisation=organisation, source_kind__startswith="policy."
            ).count(),
        }

    def unchanged(self) -> bool:
        return self.baseline is not None and self.state() == self.baseline


def adopt(actor: User, node: PolicyNode, *, political: bool = False, on: date | None = None) -> None:
    if node.status == NodeStatus.DRAFT:
        services.node_status_change(actor=actor, node=node, status=NodeStatus.HEARING)
    services.node_status_change(actor=actor, node=node, status=NodeStatus.ADOPTED_MED, adopted_on=on)
    if political:
        services.node_status_change(
            actor=actor, node=node, status=NodeStatus.ADOPTED_POLITICAL, adopted_on=on
        )


def central(
    actor: User,
    organisation: Organisation,
    kind: str,
    title: str,
    parent: PolicyNode | None = None,
    text: str = "",
) -> PolicyNode:
    return services.node_create(
        actor=actor,
        organisation=organisation,
        kind=kind,
        parent=parent,
        content=NodeContent(title=title, text=text or f"Teksten om {title.lower()}."),
    )


def policy_objects(
    organisation: Organisation, admin: User, unit: Unit, leader: User | None = None
) -> PolicyObjects:
    leader = leader or admin
    value = central(admin, organisation, NodeKind.VALUE, "Tillid", text="Vi viser hinanden tillid.")
    adopt(admin, value)
    policy = central(admin, organisation, NodeKind.POLICY, "Trivselspolitik")
    focus_area = central(admin, organisation, NodeKind.FOCUS_AREA, "Psykisk arbejdsmiljø", parent=policy)
    adopt(admin, policy, political=True)
    initiative = central(admin, organisation, NodeKind.INITIATIVE, "Fælles pauser", parent=focus_area)
    adopt(admin, focus_area)
    adopt(admin, initiative)
    draft = central(admin, organisation, NodeKind.VALUE, "Mod", text="Udkast om mod.")
    local.interpretation_adopt(actor=leader, unit=unit)
    local_focus_area = local.local_node_create(
        actor=leader,
        unit=unit,
        parent=policy,
        kind=NodeKind.FOCUS_AREA,
        content=NodeContent(title="Gode pauser", text="Vi holder pauserne sammen."),
    )
    walk = walks.walk_create(
        actor=leader,
        unit=unit,
        title="Værdivejen i teamet",
        held_on=timezone.localdate(),
        participants="",
        values=[value],
    )
    answer = walks.walk_answer_add(
        walk=walk, value=value, stop=WalkStop.ACTION, text="Vi holder fælles morgenmøde"
    )
    report_round = report.round_create(
        actor=admin,
        organisation=organisation,
        settings=report.RoundSettings(
            title="Status på værdiarbejdet",
            year=timezone.localdate().year,
            due_on=timezone.localdate() + timedelta(days=30),
            intro="",
            tools=["Værdivejen", "Hverdagsfortællinger"],
            goal_units=2,
        ),
    )
    if report.units_expected(organisation):  # an organisation without unit leaders keeps a draft
        report.round_open(actor=admin, report_round=report_round, announce=False)
    return PolicyObjects(
        value=value,
        policy=policy,
        focus_area=focus_area,
        initiative=initiative,
        draft=draft,
        local_focus_area=local_focus_area,
        walk=walk,
        answer=answer,
        round=report_round,
    )


def cite(objects: PolicyObjects, *, actor: User, target_kind: str, target_id: uuid.UUID) -> Link:
    """The value cites a source (e.g. a survey as a whole), as HR's citation form would record it."""
    objects.citation = link_create(
        organisation=objects.value.organisation,
        source_kind="policy.node",
        source_id=objects.value.pk,
        target_kind=target_kind,
        target_id=target_id,
        kind="cites",
        created_by=actor,
    )
    return objects.citation


def publish(organisation: Organisation, actor: User) -> None:
    services.publication_update(actor=actor, organisation=organisation, title="", intro="", is_public=True)


def policy_world(
    personas: Personas, *, testby_survey: Survey, andenby_survey: Survey
) -> tuple[PolicyObjects, PolicyObjects]:
    """The staff policy objects of the world fixture (puls/core/tests/conftest.py): Testby's with
    Skole A (the leader's) as the unit, published publicly, its value citing a survey; Andenby's."""
    testby = policy_objects(personas.org, personas.org_admin, personas.units["210"], personas.leader)
    cite(testby, actor=personas.org_admin, target_kind="surveys.survey", target_id=testby_survey.pk)
    publish(personas.org, personas.org_admin)
    andenby = policy_objects(personas.other_org, personas.outsider, personas.other_unit)
    cite(andenby, actor=personas.outsider, target_kind="surveys.survey", target_id=andenby_survey.pk)
    testby.baseline, andenby.baseline = testby.state(), andenby.state()
    return testby, andenby
