"""A small survey with two scales for the report computation tests, answered through the real submit.

Questionnaire (Testby personas' organisation):
    demands   d1, d2, d3   Likert, scale "demands" (three items: the half rule needs two answered)
    outcome   s1, s2       Likert, scale "satisfaction" (the outcome scale of the driver analysis)
    choice    single choice (3 options), multi: multiple choice (3 options), ten: 0–10
    comment   free text

Answers are given as the participant picks them (Likert option index 0 = first option = 100 points).
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from puls.invitations.models import Ballot, BallotCell, Invitation
from puls.invitations.services import TokenHolder, ballot_submit
from puls.invitations.tokens import token_for, token_lookup_hmac
from puls.organisations.models import Organisation, Unit
from puls.surveys.ballot_kind import SURVEY_KIND
from puls.surveys.models import (
    Answer,
    Domain,
    Item,
    ItemBank,
    Questionnaire,
    Response,
    Scale,
    Section,
    SectionItem,
    Survey,
)
from puls.testing import Personas, make_person

LIKERT_POINTS = {0: 100, 1: 75, 2: 50, 3: 25, 4: 0}
CHOICES = [{"da": "A", "en": "A"}, {"da": "B", "en": "B"}, {"da": "C", "en": "C"}]


@dataclass
class ReportWorld:
    organisation: Organisation
    survey: Survey
    ballot: Ballot
    items: dict[str, Item]
    scales: dict[str, Scale]
    cells: dict[tuple[str, str], BallotCell] = field(default_factory=dict)
    _people: int = 0

    def cell(self, unit: Unit, age_band: str | None = "<40") -> BallotCell:
        """The storage cell of a unit and age band (None: the cell does not store the attribute)."""
        key = (unit.code, age_band or "")
        if key not in self.cells:
            attributes = {"age_band": age_band} if age_band is not None else {}
            self.cells[key] = BallotCell.objects.create(
                ballot=self.ballot, unit=unit, attributes=attributes, invited_count=5
            )
        return self.cells[key]

    def submit(self, unit: Unit, answers: dict[str, Any], *, age_band: str | None = "<40") -> None:
        """Invite a new person of `unit` and submit their answers (keys: item codes)."""
        self._people += 1
        person = make_person(self.organisation, unit, f"R{self._people:05d}", "Svar", f"Person{self._people}")
        invitation_id = uuid.uuid4()
        token = token_for(invitation_id, 1)
        Invitation.objects.create(
            id=invitation_id,
            ballot=self.ballot,
            person=person,
            unit=unit,
            cell=self.cell(unit, age_band),
            channel=Invitation.Channel.EMAIL,
            token_hmac=token_lookup_hmac(token),
        )
        data = {"answers": {self.items[code].id.hex: value for code, value in answers.items()}}
        ballot_submit(holder=TokenHolder(ballot=self.ballot, token=token), data=data)


def _likert(code: str, scale: Scale | None, order: int, **extra: Any) -> Item:
    return Item.objects.create(
        code=code, kind=Item.Kind.LIKERT, text_da=code, text_en=code, scale=scale, order=order, **extra
    )


def build_report_world(
    personas: Personas | None,
    *,
    k: int = 3,
    free_text_k: int = 4,
    attributes: Iterable[str] = ("age_band",),
    organisation: Organisation | None = None,
) -> ReportWorld:
    org = organisation or personas.org  # type: ignore[union-attr]
    bank = ItemBank.objects.create(organisation=org, code="test-bank", name="Test bank")
    domain = Domain.objects.create(bank=bank, code="all", name_da="Alt")
    demands = Scale.objects.create(bank=bank, domain=domain, code="demands", name_da="Krav", order=1)
    satisfaction = Scale.objects.create(
        bank=bank, domain=domain, code="satisfaction", name_da="Arbejdsglæde", is_outcome=True, order=2
    )
    items = {
        "d1": _likert("d1", demands, 1),
        "d2": _likert("d2", demands, 2),
        "d3": _likert("d3", demands, 3),
        "s1": _likert("s1", satisfaction, 4),
        "s2": _likert("s2", satisfaction, 5),
        "choice": Item.objects.create(
            code="choice", kind=Item.Kind.SINGLE, text_da="c", options=CHOICES, order=6
        ),
        "multi": Item.objects.create(
            code="multi", kind=Item.Kind.MULTIPLE, text_da="m", options=CHOICES, order=7
        ),
        "ten": Item.objects.create(code="ten", kind=Item.Kind.SCALE_0_10, text_da="t", order=8),
        "comment": Item.objects.create(code="comment", kind=Item.Kind.FREE_TEXT, text_da="k", order=9),
    }
    questionnaire = Questionnaire.objects.create(organisation=org, kind=Questionnaire.Kind.TRIVSEL, name="T")
    section = Section.objects.create(questionnaire=questionnaire, title_da="Alt", order=0)
    SectionItem.objects.bulk_create(
        [SectionItem(section=section, item=item, order=n) for n, item in enumerate(items.values())]
    )
    now = timezone.now()
    ballot = Ballot.objects.create(
        organisation=org,
        kind=SURVEY_KIND,
        title="Rapporttest",
        status=Ballot.Status.OPEN,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6),
        launched_at=now - timedelta(days=1),
        k=k,
        free_text_k=free_text_k,
        attributes=list(attributes),
    )
    survey = Survey.objects.create(organisation=org, ballot=ballot, questionnaire=questionnaire)
    return ReportWorld(
        organisation=org,
        survey=survey,
        ballot=ballot,
        items=items,
        scales={"demands": demands, "satisfaction": satisfaction},
    )


def responses_bulk_write(
    survey: Survey, cell: BallotCell, rows: Iterable[dict[uuid.UUID, int | str | None]]
) -> int:
    """Write responses directly (the rows a submit writes), for tests that need many: one dict of
    item id → stored value (text for a free-text item) per respondent; None leaves it unanswered."""
    responses: list[Response] = []
    answers: list[Answer] = []
    for values in rows:
        response = Response(survey=survey, cell=cell, shuffled=True)
        responses.append(response)
        answers.extend(
            Answer(response=response, item_id=item_id, text=value)
            if isinstance(value, str)
            else Answer(response=response, item_id=item_id, value=value)
            for item_id, value in values.items()
            if value is not None
        )
    Response.objects.bulk_create(responses, batch_size=500)
    Answer.objects.bulk_create(answers, batch_size=1000)
    return len(responses)


# Independent recount from the answers, for the invariant checks -----------------------------------


@dataclass
class Recount:
    """Per measure key: the respondents with a valid value, by their storage cell's unit and by
    (unit, attribute value); and the valid values themselves (for means)."""

    direct: dict[str, dict[uuid.UUID, int]]
    by_value: dict[tuple[str, str], dict[tuple[uuid.UUID, str], int]]
    values: dict[str, dict[uuid.UUID, list[float]]]


def recount(survey: Survey) -> Recount:
    """Count, in Python and with `scoring`, what the stored report must show (scales, items and
    comments; for scales also by every declared attribute)."""
    from puls.surveys import scoring

    ballot = survey.ballot
    scale_items: dict[str, list[uuid.UUID]] = {}
    kinds: dict[uuid.UUID, str] = {}
    for link in SectionItem.objects.filter(section__questionnaire=survey.questionnaire).select_related(
        "item"
    ):
        kinds[link.item_id] = link.item.kind
        if link.item.scale_id is not None:
            scale_items.setdefault(str(link.item.scale_id), []).append(link.item_id)
    cells = {cell.pk: cell for cell in BallotCell.objects.filter(ballot=ballot)}
    responses = dict(Response.objects.filter(survey=survey).values_list("id", "cell_id"))
    answers: dict[uuid.UUID, dict[uuid.UUID, tuple[Any, Any, str]]] = {
        response_id: {} for response_id in responses
    }
    for response_id, item_id, value, choices, text in Answer.objects.filter(
        response__survey=survey
    ).values_list("response_id", "item_id", "value", "choices", "text"):
        answers[response_id][item_id] = (value, choices, text)
    direct: dict[str, dict[uuid.UUID, int]] = {}
    by_value: dict[tuple[str, str], dict[tuple[uuid.UUID, str], int]] = {}
    values: dict[str, dict[uuid.UUID, list[float]]] = {}

    def count(key: str, unit_id: uuid.UUID, value: float | None) -> None:
        by_unit = direct.setdefault(key, {})
        by_unit[unit_id] = by_unit.get(unit_id, 0) + 1
        if value is not None:
            values.setdefault(key, {}).setdefault(unit_id, []).append(value)

    for response_id, cell_id in responses.items():
        cell = cells[cell_id]
        given = answers[response_id]
        for scale_id, item_ids in scale_items.items():
            score = scoring.scale_score(
                [given[item_id][0] if item_id in given else None for item_id in item_ids],
                item_count=len(item_ids),
            )
            if score is None:
                continue
            count(scale_id, cell.unit_id, score)
            for attribute in ballot.attributes:
                value = (cell.attributes or {}).get(attribute) or "-"
                table = by_value.setdefault((scale_id, attribute), {})
                table[cell.unit_id, value] = table.get((cell.unit_id, value), 0) + 1
        for item_id, (value, choices, text) in given.items():
            if kinds.get(item_id) == Item.Kind.FREE_TEXT:
                if text.strip():
                    count(f"comments:{item_id}", cell.unit_id, None)
            elif value is not None or choices:
                count(str(item_id), cell.unit_id, value)
    return Recount(direct=direct, by_value=by_value, values=values)


def _subtree_totals(units: list[Unit], direct: dict[uuid.UUID, int]) -> dict[uuid.UUID, int]:
    totals = dict.fromkeys((unit.pk for unit in units), 0)
    for unit in units:
        if direct.get(unit.pk):
            for ancestor in unit.ancestor_ids:
                if ancestor in totals:
                    totals[ancestor] += direct[unit.pk]
    return totals


def _nodes(units: list[Unit], direct: dict[uuid.UUID, int]) -> list[Any]:
    from puls.core.suppression import TreeNode

    return [
        TreeNode(
            id=str(unit.pk),
            parent=str(unit.parent_id) if unit.parent_id else None,
            code=unit.code,
            direct=direct.get(unit.pk, 0),
        )
        for unit in units
    ]


def assert_residual_rule(
    units: list[Unit], totals: dict[uuid.UUID, int], shown: set[uuid.UUID], k: int
) -> None:
    """Every shown unit has N ≥ k and a residual over its maximal shown descendants of 0 or ≥ k."""
    by_id = {unit.pk: unit for unit in units}
    below: dict[uuid.UUID, list[uuid.UUID]] = {unit_id: [] for unit_id in shown}
    for unit_id in shown:
        ancestor = by_id[unit_id].parent_id
        while ancestor is not None and ancestor not in shown:
            ancestor = by_id[ancestor].parent_id
        if ancestor is not None:
            below[ancestor].append(unit_id)
    for unit_id in shown:
        assert totals[unit_id] >= k, (by_id[unit_id].code, totals[unit_id])
        residual = totals[unit_id] - sum(totals[d] for d in below[unit_id])
        assert residual == 0 or residual >= k, (by_id[unit_id].code, residual)


def assert_report_invariants(survey: Survey) -> Recount:
    """The stored report against an independent recount: every unit has a row per unfiltered
    measure, hidden rows hold no numbers, shown n are the recounted subtree counts, the residual rule
    holds, filtered cells are stored only where shown (no row: hidden), all-or-none per unit and only
    for shown units, and the LP audit finds no leak."""
    from puls.core.suppression import audit_filtered
    from puls.surveys.models import MeasureResult

    report = survey.report
    counts = recount(survey)
    units = list(Unit.objects.filter(organisation=survey.organisation))
    rows = list(MeasureResult.objects.filter(report=report))
    for row in rows:
        if not row.shown:
            assert (row.n, row.mean, row.sd, row.distribution, row.correlation) == (None,) * 5
            assert row.hidden_reason
    unfiltered: dict[tuple[str, str], dict[uuid.UUID, MeasureResult]] = {}
    filtered: dict[tuple[str, str], dict[uuid.UUID, list[MeasureResult]]] = {}
    for row in rows:
        if row.attribute:
            filtered.setdefault((row.measure_key, row.attribute), {}).setdefault(row.unit_id, []).append(row)
        else:
            unfiltered.setdefault((row.measure, row.measure_key), {})[row.unit_id] = row
    for (measure, key), by_unit in unfiltered.items():
        assert set(by_unit) == {unit.pk for unit in units}
        recount_key = f"comments:{key}" if measure == MeasureResult.Measure.COMMENTS else key
        direct = counts.direct.get(recount_key, {})
        totals = _subtree_totals(units, direct)
        k = report.free_text_k if measure == MeasureResult.Measure.COMMENTS else report.k
        shown = {unit_id for unit_id, row in by_unit.items() if row.shown}
        for unit_id in shown:
            assert by_unit[unit_id].n == totals[unit_id]
        assert_residual_rule(units, totals, shown, k)
    for (key, attribute), by_unit in filtered.items():
        table = counts.by_value.get((key, attribute), {})
        values = sorted({value for _unit, value in table})
        cells = {(str(unit_id), value): count for (unit_id, value), count in table.items()}
        value_totals = {
            value: _subtree_totals(units, {u: c for (u, v), c in table.items() if v == value})
            for value in values
        }
        with_cells = set()
        for unit_id, unit_rows in by_unit.items():
            # A unit's filtered cells are stored all together (every value) or not at all.
            assert sorted(row.value for row in unit_rows) == values
            assert all(row.shown for row in unit_rows), "hidden filtered cells are not stored"
            assert unfiltered[MeasureResult.Measure.SCALE, key][unit_id].shown
            with_cells.add(unit_id)
            for row in unit_rows:
                assert row.n == value_totals[row.value][unit_id]
        direct = counts.direct.get(key, {})
        shown_units = [str(u) for u, row in unfiltered[MeasureResult.Measure.SCALE, key].items() if row.shown]
        assert (
            audit_filtered(
                _nodes(units, direct),
                cells,
                shown_units=shown_units,
                units_with_cells=[str(u) for u in with_cells],
            )
            == []
        )
    return counts


def assert_stored_rows_consistent(survey: Survey) -> None:
    """What the stored rows alone must satisfy (no recount): hidden rows hold no numbers, the residual
    rule holds among the shown n of every unfiltered measure, filtered cells are stored only where
    shown (no row: hidden), for all of a unit's values or none."""
    from puls.surveys.models import MeasureResult

    report = survey.report
    units = list(Unit.objects.filter(organisation=survey.organisation))
    shown_n: dict[tuple[str, str], dict[uuid.UUID, int]] = {}
    cell_values: dict[tuple[str, str, uuid.UUID], set[str]] = {}
    for measure, key, attribute, value, unit_id, shown, n, mean, distribution in MeasureResult.objects.filter(
        report=report
    ).values_list(
        "measure", "measure_key", "attribute", "value", "unit_id", "shown", "n", "mean", "distribution"
    ):
        if not shown:
            assert (n, mean, distribution) == (None, None, None)
        if attribute:
            assert shown, "hidden filtered cells are not stored"
            cell_values.setdefault((key, attribute, unit_id), set()).add(value)
        elif shown:
            shown_n.setdefault((measure, key), {})[unit_id] = n
    table_values: dict[tuple[str, str], set[str]] = {}
    for (key, attribute, _unit_id), values in cell_values.items():
        table_values.setdefault((key, attribute), set()).update(values)
    for (key, attribute, _unit_id), values in cell_values.items():
        assert values == table_values[key, attribute], "a unit's filtered cells: every value or none"
    for (measure, _key), by_unit in shown_n.items():
        k = report.free_text_k if measure == MeasureResult.Measure.COMMENTS else report.k
        totals = {unit.pk: by_unit.get(unit.pk, 0) for unit in units}
        assert_residual_rule(units, totals, set(by_unit), k)
