"""A closed, computed survey for the export tests: answered through the real submit, closed and
computed, with one unit small enough to be hidden (k = 5).

    100 Testby Kommune      (no respondents of its own)
    ├── 200 Børn og Unge    2 respondents of its own
    │   ├── 210 Skole A     12 respondents
    │   └── 220 Skole B     4 respondents: below k, hidden everywhere
    └── 300 Ældre
        └── 310 Plejecenter 8 respondents

Every unit but Skole B is shown (200's residual is its own 2 + Skole B's 4 = 6 ≥ k). Skole B's
answers are all "To a very small extent" on the demands items, so its hidden demands score would be
0 and its satisfaction score 25 — numbers no export may print for it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from puls.core.models import User
from puls.invitations.services import ballot_close
from puls.organisations.models import Unit
from puls.organisations.scoping import Access, access_build
from puls.surveys.models import Survey, SurveyReport
from puls.surveys.reports.compute import report_compute
from puls.surveys.reports.tests.compute_setup import ReportWorld, build_report_world
from puls.testing import Personas

K = 5
COMMENT = "Mere tid til de enkelte borgere"


@dataclass
class ExportWorld:
    personas: Personas
    world: ReportWorld
    report: SurveyReport

    @property
    def survey(self) -> Survey:
        return self.world.survey

    def unit(self, code: str) -> Unit:
        return self.personas.units[code]


def access_for(user: User, personas: Personas) -> Access:
    access = access_build(user=user, organisation=personas.org)
    assert access is not None
    return access


def _answers(position: int) -> dict[str, object]:
    option = position % 4  # Likert option index: 100, 75, 50 or 25 points
    return {
        "d1": option,
        "d2": (option + 1) % 5,
        "d3": (position + 2) % 5,
        "s1": (position + 1) % 3,
        "s2": position % 2,
        "choice": position % 3,
        "multi": [position % 3],
        "ten": position % 11,
        "comment": f"{COMMENT} ({position})",
    }


def build_export_world(personas: Personas) -> ExportWorld:
    world = build_report_world(personas, k=K, free_text_k=K, attributes=())
    units = personas.units
    position = 0
    for code, count in (("210", 12), ("200", 2), ("310", 8)):
        for _ in range(count):
            world.submit(units[code], _answers(position), age_band=None)
            position += 1
    for _ in range(4):
        world.submit(
            units["220"],
            {"d1": 4, "d2": 4, "d3": 4, "s1": 3, "s2": 3, "comment": "Et svar fra den lille enhed"},
            age_band=None,
        )
    ballot_close(ballot=world.ballot)  # the report task would run on commit; computed directly here
    report = report_compute(survey=Survey.objects.get(pk=world.survey.pk))
    past = timezone.now() - timedelta(minutes=1)
    Survey.objects.filter(pk=world.survey.pk).update(release_leaders_at=past, release_everyone_at=past)
    report = SurveyReport.objects.select_related("survey__ballot", "survey__organisation").get(pk=report.pk)
    return ExportWorld(personas=personas, world=world, report=report)
