"""The actions app's objects in the shared `world` fixture (puls/core/tests/conftest.py), for the
access matrix and the cross-tenant test."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from puls.actions import services
from puls.actions.models import Action, ApvCycle
from puls.testing import Personas


@dataclass
class ActionsWorld:
    action_210: Action  # in the leader's Skole A, owned by the leader
    action_310: Action  # in the MED rep's Ældre subtree, owned by the employee (who works in 220)
    apv_310: ApvCycle  # in progress at Plejecenter (inside the MED rep's 300)
    other_action: Action  # Andenby's
    other_apv: ApvCycle  # Andenby's

    def testby_ids(self) -> dict[str, uuid.UUID]:
        return {"action_id": self.action_210.pk, "cycle_id": self.apv_310.pk}

    def andenby_ids(self) -> dict[str, uuid.UUID]:
        return {"action_id": self.other_action.pk, "cycle_id": self.other_apv.pk}

    def andenby_unchanged(self) -> bool:
        """Nothing reached Andenby's action plan or APV through Testby's addresses."""
        action = Action.objects.get(pk=self.other_action.pk)
        apv = ApvCycle.objects.get(pk=self.other_apv.pk)
        return (
            action.title == self.other_action.title
            and action.status == Action.Status.PLANNED
            and not action.follow_ups.exists()
            and apv.stage == ApvCycle.Stage.MAPPING
            and not apv.findings.exists()
            and apv.mapping_notes == ""
        )


def actions_world_build(personas: Personas) -> ActionsWorld:
    deadline = timezone.localdate() + timedelta(days=30)
    units = personas.units

    def action(organisation, unit, title: str, owner=None) -> Action:  # type: ignore[no-untyped-def]
        return services.action_create(
            actor=None, organisation=organisation, unit=unit, title=title, owner=owner, deadline=deadline
        )

    def apv(organisation, unit) -> ApvCycle:  # type: ignore[no-untyped-def]
        return services.apv_cycle_start(actor=None, organisation=organisation, unit=unit, title="APV 2027")

    return ActionsWorld(
        action_210=action(personas.org, units["210"], "Faste mødetider", personas.leader_person),
        action_310=action(personas.org, units["310"], "Bedre løft", personas.employee_person),
        apv_310=apv(personas.org, units["310"]),
        other_action=action(personas.other_org, personas.other_unit, "Andenbys handling"),
        other_apv=apv(personas.other_org, personas.other_unit),
    )
