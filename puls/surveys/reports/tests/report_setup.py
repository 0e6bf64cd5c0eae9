"""Stored reports written directly, for page and selector tests that need exact figures.

The stored rows are what the computation leaves (hidden rows carry no numbers); the tests that
check the whole path — answers, close, computation, pages — use `closed_survey.py` instead.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from puls.invitations.models import Ballot, BallotCell
from puls.organisations.models import Organisation, Unit
from puls.surveys.ballot_kind import SURVEY_KIND
from puls.surveys.models import (
    Answer,
    Domain,
    Item,
    ItemBank,
    MeasureResult,
    Questionnaire,
    Response,
    Scale,
    Section,
    SectionItem,
    Survey,
    SurveyReport,
)


@dataclass
class Bank:
    bank: ItemBank
    scales: dict[str, Scale]
    items: dict[str, Item]


def bank_build(code: str = "test-bank", organisation: Organisation | None = None) -> Bank:
    """Three scales (trust, demands where high is bad, satisfaction the outcome) and a comment item."""
    bank = ItemBank.objects.create(organisation=organisation, code=code, name=f"Bank {code}")
    domain = Domain.objects.create(bank=bank, code="d", name_da="Arbejdet", name_en="Work")
    scales = {
        "trust": Scale.objects.create(
            bank=bank, domain=domain, code="trust", name_da="Tillid", name_en="Trust", order=1
        ),
        "demands": Scale.objects.create(
            bank=bank,
            domain=domain,
            code="demands",
            name_da="Krav",
            name_en="Demands",
            higher_is_better=False,
            order=2,
        ),
        "satisfaction": Scale.objects.create(
            bank=bank,
            domain=domain,
            code="satisfaction",
            name_da="Arbejdsglæde",
            name_en="Job satisfaction",
            is_outcome=True,
            order=3,
        ),
    }
    items = {
        "t1": Item.objects.create(
            bank=bank, scale=scales["trust"], code="t1", text_da="Stoler du?", text_en="Trust?"
        ),
        "t2": Item.objects.create(
            bank=bank,
            scale=scales["trust"],
            code="t2",
            text_da="Er der ærlighed?",
            text_en="Honest?",
            reversed=True,
        ),
        "d1": Item.objects.create(
            bank=bank, scale=scales["demands"], code="d1", text_da="Travlt?", text_en="Busy?"
        ),
        "s1": Item.objects.create(
            bank=bank, scale=scales["satisfaction"], code="s1", text_da="Glad?", text_en="Satisfied?"
        ),
        "comment": Item.objects.create(
            bank=bank, code="comment", kind=Item.Kind.FREE_TEXT, text_da="Kommentarer?", text_en="Comments?"
        ),
    }
    return Bank(bank=bank, scales=scales, items=items)


@dataclass
class StoredReport:
    survey: Survey
    report: SurveyReport
    bank: Bank
    cells: dict[str, BallotCell] = field(default_factory=dict)

    def scale_row(
        self,
        unit: Unit,
        scale: str,
        *,
        n: int | None = None,
        mean: float | None = None,
        sd: float | None = 15.0,
        attribute: str = "",
        value: str = "",
        correlation: float | None = None,
        reason: str = "residual",
    ) -> MeasureResult:
        """A shown row when n is given, else a hidden one (no numbers)."""
        shown = n is not None
        return MeasureResult.objects.create(
            report=self.report,
            unit=unit,
            measure=MeasureResult.Measure.SCALE,
            measure_key=str(self.bank.scales[scale].pk),
            attribute=attribute,
            value=value,
            shown=shown,
            hidden_reason="" if shown else reason,
            n=n,
            mean=mean if shown else None,
            sd=sd if shown else None,
            correlation=correlation if shown else None,
        )

    def item_row(
        self,
        unit: Unit,
        item: str,
        *,
        n: int | None = None,
        distribution: dict[str, int] | None = None,
        mean: float | None = None,
    ) -> MeasureResult:
        """A shown row when n is given (without a mean unless one is given), else a hidden one."""
        shown = n is not None
        return MeasureResult.objects.create(
            report=self.report,
            unit=unit,
            measure=MeasureResult.Measure.ITEM,
            measure_key=str(self.bank.items[item].pk),
            shown=shown,
            hidden_reason="" if shown else "residual",
            n=n,
            mean=mean if shown else None,
            distribution=distribution if shown else None,
        )

    def comments_row(self, unit: Unit, *, shown: bool) -> MeasureResult:
        return MeasureResult.objects.create(
            report=self.report,
            unit=unit,
            measure=MeasureResult.Measure.COMMENTS,
            measure_key=str(self.bank.items["comment"].pk),
            shown=shown,
            hidden_reason="" if shown else "residual",
        )

    def comment(self, unit: Unit, text: str) -> Answer:
        """A submitted comment stored in the unit's cell."""
        cell = self.cells.get(str(unit.pk))
        if cell is None:
            cell = self.cells[str(unit.pk)] = BallotCell.objects.create(ballot=self.survey.ballot, unit=unit)
        response = Response.objects.create(survey=self.survey, cell=cell, shuffled=True)
        return Answer.objects.create(response=response, item=self.bank.items["comment"], text=text)


def stored_report(
    organisation: Organisation,
    bank: Bank,
    *,
    title: str = "Trivsel 2026",
    released_leaders: bool = True,
    released_everyone: bool = True,
    status: str = SurveyReport.Status.DONE,
    ballot_status: str = Ballot.Status.CLOSED,
    attributes: list[str] | None = None,
    previous: Survey | None = None,
    closed_days_ago: int = 1,
    k: int = 5,
) -> StoredReport:
    """A closed survey on the bank's items with an (empty) computed report; add rows with the helpers."""
    questionnaire = Questionnaire.objects.create(
        organisation=organisation, kind=Questionnaire.Kind.TRIVSEL, name=title, frozen=True
    )
    section = Section.objects.create(questionnaire=questionnaire, title_da="Alt", title_en="All")
    for order, item in enumerate(bank.items.values()):
        SectionItem.objects.create(section=section, item=item, order=order)
    now = timezone.now()
    closes = now - timedelta(days=closed_days_ago)
    ballot = Ballot.objects.create(
        organisation=organisation,
        kind=SURVEY_KIND,
        title=title,
        status=ballot_status,
        opens_at=closes - timedelta(days=14),
        closes_at=closes if ballot_status == Ballot.Status.CLOSED else now + timedelta(days=7),
        launched_at=closes - timedelta(days=14),
        closed_at=closes if ballot_status == Ballot.Status.CLOSED else None,
        k=k,
        free_text_k=max(10, k),
        attributes=attributes if attributes is not None else ["job_group"],
    )
    past = now - timedelta(hours=1)
    survey = Survey.objects.create(
        organisation=organisation,
        ballot=ballot,
        questionnaire=questionnaire,
        previous_survey=previous,
        release_leaders_at=past if released_leaders else None,
        release_everyone_at=past if released_everyone else None,
    )
    report = SurveyReport.objects.create(
        survey=survey,
        status=status,
        k=k,
        free_text_k=max(10, k),
        computed_at=now if status == "done" else None,
    )
    return StoredReport(survey=survey, report=report, bank=bank)


def all_hidden(stored: StoredReport, units: list[Unit], **extra: Any) -> None:
    for unit in units:
        for scale in stored.bank.scales:
            stored.scale_row(unit, scale, **extra)
