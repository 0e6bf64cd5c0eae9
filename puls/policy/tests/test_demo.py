"""The policy demo `manage.py load_demo` adds to Demo Kommune."""

import pytest
from django.test import Client
from django.urls import reverse

from puls.core.models import User
from puls.organisations.demo.generator import demo_load
from puls.organisations.models import Organisation
from puls.policy.demo.generator import policy_demo_create
from puls.policy.models import (
    LocalInterpretation,
    NodeKind,
    NodeStatus,
    PolicyNode,
    ReportAnswer,
    ValueWalk,
    WalkAnswer,
)
from puls.policy.selectors.tree import published_tree

pytestmark = pytest.mark.django_db
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def test_demo_kommune_gets_a_tree_two_walks_and_a_half_answered_round():
    demo_load()
    organisation = Organisation.objects.get(slug="demo")
    summary = policy_demo_create(organisation=organisation)
    assert summary.created

    central = PolicyNode.objects.filter(organisation=organisation, unit__isnull=True)
    assert central.filter(kind=NodeKind.VALUE).count() == 7
    assert central.filter(kind=NodeKind.POLICY).count() == 8
    assert central.filter(kind=NodeKind.FOCUS_AREA).exists()
    assert central.filter(kind=NodeKind.INITIATIVE).exists()
    # Every step of the workflow shows: a draft, a revision in hearing, a policy with a second version.
    statuses = set(central.filter(kind=NodeKind.POLICY).values_list("status", flat=True))
    assert {
        NodeStatus.DRAFT,
        NodeStatus.HEARING,
        NodeStatus.ADOPTED_MED,
        NodeStatus.ADOPTED_POLITICAL,
    } <= statuses
    assert central.filter(versions__number=3).exists()
    tree = published_tree(organisation=organisation)
    assert len(tree.values) == 7
    assert len(tree.policies) == 7

    walks = ValueWalk.objects.filter(organisation=organisation, status=ValueWalk.Status.COMPLETED)
    assert walks.count() == 2
    assert all(
        WalkAnswer.objects.filter(walk=walk, stop=stop).exists() for walk in walks for stop in (1, 2, 3, 4)
    )
    assert LocalInterpretation.objects.filter(organisation=organisation).count() >= 10

    answers = ReportAnswer.objects.filter(round=summary.round)
    answered = answers.filter(submitted_at__isnull=False).count()
    assert answers.count() > 40
    assert answered == round(answers.count() / 2)

    # The demo leader (Nordskolen) sees the school's Værdivejen and can print its poster.
    leader = Client(HTTP_ACCEPT_LANGUAGE="en")
    leader.force_login(User.objects.get(email="leder@demo.puls.test"), backend=MODEL_BACKEND)
    walk = walks.get(unit__code="1131")
    page = leader.get(reverse("policy:walk_detail", kwargs={"org_slug": "demo", "walk_id": walk.pk}))
    assert page.status_code == 200
    assert "Fast makker til alle nye" in page.content.decode()
    # The public page is on.
    assert Client().get(reverse("policy_public:page", kwargs={"org_slug": "demo"})).status_code == 200

    # Run again: nothing more.
    assert not policy_demo_create(organisation=organisation).created
    assert PolicyNode.objects.filter(organisation=organisation, kind=NodeKind.VALUE).count() == 7
