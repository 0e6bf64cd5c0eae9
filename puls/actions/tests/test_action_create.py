"""action_create: the one way other apps turn a finding into an owned, dated, linked action."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from puls.actions import services
from puls.actions.link_kinds import ACTION_KIND
from puls.actions.models import Action
from puls.actions.services import ActionSourceError, action_create
from puls.actions.tests.conftest import temporary_link_kind
from puls.core.links import links_from, links_to
from puls.core.models import Link
from puls.testing import Personas

pytestmark = pytest.mark.django_db


def test_leader_creates_an_action_in_their_unit(personas: Personas):
    unit = personas.units["210"]
    action = action_create(
        actor=personas.leader,
        organisation=personas.org,
        unit=unit,
        title="Faste mødetider",
        problem="Møder flytter hele tiden",
        owner=personas.leader_person,
        deadline=date(2030, 1, 31),
        priority=Action.Priority.HIGH,
    )
    assert action.unit == unit
    assert action.owner == personas.leader_person
    assert action.status == Action.Status.PLANNED
    assert Link.objects.count() == 0


def test_leader_cannot_plan_for_a_unit_outside_their_subtree(personas: Personas):
    with pytest.raises(PermissionDenied):
        action_create(actor=personas.leader, organisation=personas.org, unit=personas.units["220"], title="X")


def test_unit_of_another_organisation_is_refused(personas: Personas):
    with pytest.raises(PermissionDenied):
        action_create(
            actor=personas.org_admin, organisation=personas.org, unit=personas.other_unit, title="X"
        )


def test_employee_without_role_cannot_create(personas: Personas):
    with pytest.raises(PermissionDenied):
        action_create(
            actor=personas.employee, organisation=personas.org, unit=personas.units["220"], title="X"
        )


def test_med_rep_co_owns_their_units_plan(personas: Personas):
    med_person = personas.med_rep.persons.get()  # type: ignore[attr-defined]
    action = action_create(
        actor=personas.med_rep,
        organisation=personas.org,
        unit=personas.units["310"],
        title="Bedre løft",
        co_owner=med_person,
    )
    assert action.co_owner == med_person


def test_co_owner_must_be_a_med_rep_of_the_unit(personas: Personas):
    med_person = personas.med_rep.persons.get()  # type: ignore[attr-defined]
    with pytest.raises(services.ValidationError):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["210"],  # Mette represents 300, not 210
            title="X",
            co_owner=med_person,
        )


def test_owner_from_another_organisation_is_refused(personas: Personas):
    with pytest.raises(services.ValidationError):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["210"],
            title="X",
            owner=personas.outsider_person,
        )


def test_source_is_linked_to_the_action(personas: Personas):
    answer_id = uuid.uuid4()
    with temporary_link_kind("policy.test_answer", lambda org, pk: object() if pk == answer_id else None):
        action = action_create(
            actor=personas.leader,
            organisation=personas.org,
            unit=personas.units["210"],
            title="Vi hilser på hinanden",
            source_kind="policy.test_answer",
            source_id=answer_id,
            source_detail={"stop": 4},
        )
    (link,) = links_to(organisation=personas.org, kind=ACTION_KIND, object_id=action.pk)
    assert (link.source_kind, link.source_id, link.source_detail) == (
        "policy.test_answer",
        answer_id,
        {"stop": 4},
    )
    assert link.created_by == personas.leader
    assert links_from(organisation=personas.org, kind="policy.test_answer", object_id=answer_id) == [link]


def test_unknown_source_kind_is_refused_and_nothing_is_saved(personas: Personas):
    with pytest.raises(ActionSourceError):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["210"],
            title="X",
            source_kind="nowhere.thing",
            source_id=uuid.uuid4(),
        )
    assert not Action.objects.exists()


def test_source_of_another_organisation_is_refused(personas: Personas):
    foreign_id = uuid.uuid4()
    resolve = lambda org, pk: object() if org == personas.other_org and pk == foreign_id else None  # noqa: E731
    with temporary_link_kind("policy.test_answer", resolve), pytest.raises(ActionSourceError):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["210"],
            title="X",
            source_kind="policy.test_answer",
            source_id=foreign_id,
        )
    assert not Action.objects.exists()


def test_source_kind_without_id_is_refused(personas: Personas):
    with pytest.raises(ActionSourceError):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["210"],
            title="X",
            source_kind="organisations.unit",
        )


def test_survey_result_needs_unit_and_scale(personas: Personas):
    with pytest.raises(ActionSourceError):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["210"],
            title="X",
            source_kind=services.SURVEY_RESULT_KIND,
            source_id=uuid.uuid4(),
            source_detail={"unit": str(personas.units["210"].pk)},
        )


def test_survey_result_is_refused_when_suppression_does_not_show_it(personas: Personas, monkeypatch):
    monkeypatch.setattr(services, "_survey_result_shown", lambda **kwargs: False)
    with pytest.raises(ActionSourceError, match="hidden"):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["210"],
            title="X",
            source_kind=services.SURVEY_RESULT_KIND,
            source_id=uuid.uuid4(),
            source_detail={"unit": str(personas.units["210"].pk), "scale": str(uuid.uuid4())},
        )
    assert not Action.objects.exists()
    assert not Link.objects.exists()


def test_survey_result_action_must_be_in_the_results_unit(personas: Personas, monkeypatch):
    monkeypatch.setattr(services, "_survey_result_shown", lambda **kwargs: True)
    with pytest.raises(ActionSourceError):
        action_create(
            actor=personas.org_admin,
            organisation=personas.org,
            unit=personas.units["220"],
            title="X",
            source_kind=services.SURVEY_RESULT_KIND,
            source_id=uuid.uuid4(),
            source_detail={"unit": str(personas.units["210"].pk), "scale": str(uuid.uuid4())},
        )
