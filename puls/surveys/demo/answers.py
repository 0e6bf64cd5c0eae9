"""Simulated answers of the demo surveys, written in bulk as the rows a submit writes.

The latent model: each person has a well-being factor (carried over between surveys, with some
change), each unit an effect per domain (see `data.py` for the planted ones), job groups shift some
scales, and each unit has a trend from one year to the next. A scale's items are its level plus noise,
snapped to the scores the item can store.
"""

import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import connection, models

from puls.invitations.models import Ballot, Invitation
from puls.organisations.models import Employment, Organisation, Unit
from puls.surveys import scoring
from puls.surveys.ballot_kind import item_options
from puls.surveys.demo.data import (
    CARE,
    CHANGE,
    CHILDCARE,
    DEFAULT_GOODNESS,
    JOB_GROUP_EFFECTS,
    MORE_OF,
    OFFENSIVE_FROM_CITIZENS,
    OFFENSIVE_SHARES,
    OFFENSIVE_SOURCE,
    PLANTED_FEW_RESPONDENTS,
    PLANTED_LOW,
    PLANTED_TRENDS,
    PLANTED_UNIT_EFFECTS,
    SCALE_GOODNESS,
    SCHOOL,
    TEXT_ENDINGS,
    TYPICAL_TREND,
)
from puls.surveys.models import Answer, Item, Questionnaire, Response, SectionItem, Survey

FLAG_BATCH = 500
ROW_BATCH = 1000
# How much one unit of the latent factor moves a score on the 0–100 scale, and the item noise.
POINTS_PER_UNIT = 17.0
ITEM_NOISE = 13.0
SCALE_NOISE = 0.55
PERSON_WEIGHT = 0.65
SKIP_SHARE = 0.015
LETTER_PROPENSITY = 0.6


@dataclass
class _Invitee:
    invitation_id: uuid.UUID
    person_id: uuid.UUID
    unit_id: uuid.UUID
    cell_id: uuid.UUID
    channel: str


@dataclass
class _ScaleInfo:
    code: str
    domain: str
    higher_is_better: bool
    goodness: float


class AnswerModel:
    """The seeded latent model behind every simulated answer of one organisation."""

    def __init__(self, organisation: Organisation, rng: random.Random) -> None:
        self.rng = rng
        units = Unit.objects.filter(organisation=organisation).order_by("code")
        domains = ("demands", "organisation", "leadership", "work_life", "social_capital", "health")
        self.unit_effects: dict[uuid.UUID, dict[str, float]] = {}
        self.unit_trends: dict[uuid.UUID, float] = {}
        self.unit_propensity: dict[uuid.UUID, float] = {}
        self.few_respondents: dict[uuid.UUID, int] = {}
        for unit in units:
            if unit.name in PLANTED_FEW_RESPONDENTS:
                self.few_respondents[unit.pk] = PLANTED_FEW_RESPONDENTS[unit.name]
            planted = PLANTED_UNIT_EFFECTS.get(unit.name, {})
            self.unit_effects[unit.pk] = {d: planted.get(d, rng.gauss(0, 0.22)) for d in domains}
            self.unit_trends[unit.pk] = PLANTED_TRENDS.get(unit.name, rng.gauss(TYPICAL_TREND, 0.07))
            self.unit_propensity[unit.pk] = rng.uniform(0.75, 1.3) * (
                0.8 if unit.name in PLANTED_LOW else 1.0
            )
        # In employee-number order (ids are random), so the same seed gives the same answers.
        people = (
            Employment.objects.current()
            .filter(unit__organisation=organisation)
            .order_by("person__employee_number", "start_date")
            .values_list("person_id", "job_group")
        )
        self.job_groups: dict[uuid.UUID, str] = dict(people)
        self.wellbeing = {person_id: rng.gauss(0, 1) for person_id in self.job_groups}

    def latent(self, invitee: _Invitee, scale: _ScaleInfo, year: float, person_factor: float) -> float:
        unit_effect = self.unit_effects.get(invitee.unit_id, {}).get(scale.domain, 0.0)
        job_effect = JOB_GROUP_EFFECTS.get(self.job_groups.get(invitee.person_id, ""), {}).get(
            scale.code, 0.0
        )
        trend = year * self.unit_trends.get(invitee.unit_id, TYPICAL_TREND)
        return (
            PERSON_WEIGHT * person_factor + unit_effect + job_effect + trend + self.rng.gauss(0, SCALE_NOISE)
        )

    def sector(self, person_id: uuid.UUID) -> str:
        job_group = self.job_groups.get(person_id, "")
        if job_group in CARE:
            return "care"
        if job_group in CHILDCARE:
            return "childcare"
        if job_group in SCHOOL:
            return "school"
        return "general"


@dataclass
class _Question:
    item: Item
    scale: _ScaleInfo | None
    # The scores a Likert item can store (after reversal), as the submit computes them.
    scores: tuple[int, ...] = ()


def _questions(questionnaire: Questionnaire) -> list[_Question]:
    links = (
        SectionItem.objects.filter(section__questionnaire=questionnaire)
        .select_related("item__scale__domain")
        .order_by("section__order", "order")
    )
    questions = []
    for link in links:
        item = link.item
        scale = None
        if item.scale is not None:
            scale = _ScaleInfo(
                code=item.scale.code,
                domain=item.scale.domain.code,
                higher_is_better=item.scale.higher_is_better,
                goodness=SCALE_GOODNESS.get(item.scale.code, DEFAULT_GOODNESS),
            )
        scores: tuple[int, ...] = ()
        if item.kind == Item.Kind.LIKERT:
            count = len(item_options(item))
            scores = tuple(
                scoring.likert_score(index, option_count=count, reversed=item.reversed)
                for index in range(count)
            )
        questions.append(_Question(item=item, scale=scale, scores=scores))
    return questions


def _nearest(scores: Sequence[int], target: float) -> int:
    return min(scores, key=lambda score: abs(score - target))


def _weighted_sample(rng: random.Random, weights: list[float], count: int) -> list[int]:
    """`count` distinct indices, each drawn with probability proportional to its weight."""
    keys = sorted(
        ((rng.random() ** (1.0 / weight), index) for index, weight in enumerate(weights)), reverse=True
    )
    return [index for _key, index in keys[:count]]


def _pick_text(
    rng: random.Random,
    pools: dict[str, list[tuple[str, str]]],
    sector: str,
    moods: dict[str, float],
    *,
    praise: bool,
) -> str:
    """A free-text answer about what the respondent feels most strongly (bad for "change",
    good for "more of"); sometimes two thoughts, sometimes with an ending."""
    options = pools["general"] + pools.get(sector, [])
    overall = sum(moods.values()) / len(moods) if moods else 0.0

    def weight(domain: str) -> float:
        if domain == "none":
            return 0.1 + 2.0 * max(0.0, overall)
        mood = moods.get(domain, overall)
        return 1.0 + 3.0 * max(0.0, mood if praise else -mood)

    weights = [weight(domain) for _text, domain in options]
    first = options[_weighted_sample(rng, weights, 1)[0]]
    if first[1] == "none":
        return first[0]
    concrete = [
        (option, weight) for option, weight in zip(options, weights, strict=True) if option[1] != "none"
    ]
    text = first[0]
    if rng.random() < 0.15:
        others = [(option, weight) for option, weight in concrete if option != first]
        text += " " + others[_weighted_sample(rng, [weight for _option, weight in others], 1)[0]][0][0]
    if rng.random() < 0.2:
        text += rng.choice(TEXT_ENDINGS)
    return text


# An answer row's content: item id, value, choices, text (as `SurveyKind.write_submission` stores it).
AnswerRow = tuple[uuid.UUID, int | None, list[int] | None, str]


class _Respondent:
    """Draws one respondent's answers from the model."""

    def __init__(self, model: AnswerModel, invitee: _Invitee, year: float) -> None:
        self.model = model
        self.rng = model.rng
        self.invitee = invitee
        self.year = year
        self.sector = model.sector(invitee.person_id)
        # Well-being carries over between surveys, with some change from year to year.
        stable = model.wellbeing.get(invitee.person_id, 0.0)
        self.person_factor = 0.85 * stable + 0.53 * self.rng.gauss(0, 1)
        self.scale_levels: dict[str, float] = {}
        self.domain_moods: dict[str, list[float]] = defaultdict(list)

    def scale_level(self, scale: _ScaleInfo) -> float:
        """The expected stored score (0–100, in the scale's own direction) for this respondent."""
        if scale.code not in self.scale_levels:
            z = self.model.latent(self.invitee, scale, self.year, self.person_factor)
            self.domain_moods[scale.domain].append(z)
            goodness = scale.goodness + POINTS_PER_UNIT * z
            self.scale_levels[scale.code] = goodness if scale.higher_is_better else 100.0 - goodness
        return self.scale_levels[scale.code]

    def moods(self) -> dict[str, float]:
        return {domain: sum(values) / len(values) for domain, values in self.domain_moods.items()}

    def answers(self, questions: list[_Question]) -> list[AnswerRow]:
        """(item id, value, choices, text) as the submit stores them, in questionnaire order,
        leaving out skipped items."""
        rng = self.rng
        rows: list[AnswerRow] = []
        offended_by: set[int] = set()
        leadership = self.model.unit_effects.get(self.invitee.unit_id, {}).get("leadership", 0.0)
        for question in questions:
            item = question.item
            if item.kind == Item.Kind.LIKERT:
                if rng.random() < SKIP_SHARE:
                    continue
                level = self.scale_level(question.scale) if question.scale else 50.0
                rows.append((item.id, _nearest(question.scores, level + rng.gauss(0, ITEM_NOISE)), None, ""))
            elif item.code in OFFENSIVE_SHARES:
                share = OFFENSIVE_SHARES[item.code]
                if item.code in OFFENSIVE_FROM_CITIZENS and self.sector in ("care", "childcare"):
                    share *= 3.0
                elif item.code not in OFFENSIVE_FROM_CITIZENS:
                    share *= 1.0 + 1.5 * max(0.0, -leadership)
                index = 0
                if rng.random() < share:
                    index = rng.choices((1, 2, 3, 4), (0.62, 0.22, 0.11, 0.05))[0]
                    if item.code in OFFENSIVE_FROM_CITIZENS and self.sector != "general":
                        offended_by.add(2)
                    else:
                        offended_by.add(0 if rng.random() < 0.7 else 1)
                rows.append((item.id, index, None, ""))
            elif item.code == OFFENSIVE_SOURCE:
                if offended_by:
                    rows.append((item.id, None, sorted(offended_by), ""))
            elif item.kind == Item.Kind.FREE_TEXT:
                text = self._text(item)
                if text:
                    rows.append((item.id, None, None, text))
            elif item.kind == Item.Kind.SCALE_0_10:
                rows.append((item.id, max(0, min(10, round(7 + 2 * self.person_factor))), None, ""))
            elif item.kind == Item.Kind.SINGLE and rng.random() < 0.9:
                rows.append((item.id, 0, None, ""))
        return rows

    def _text(self, item: Item) -> str:
        praise = item.code == "open_more"
        if self.rng.random() >= (0.22 if praise else 0.28):
            return ""
        pools = MORE_OF if praise else CHANGE
        return _pick_text(self.rng, pools, self.sector, self.moods(), praise=praise)


def _invitees(ballot: Ballot) -> list[_Invitee]:
    rows = (
        Invitation.objects.filter(ballot=ballot, completed=False)
        .order_by("person__employee_number")
        .values_list("id", "person_id", "unit_id", "cell_id", "channel")
    )
    return [_Invitee(*row) for row in rows]


def _column_converter(model_field: Any) -> Callable[[Any], Any]:
    """How a Python value of the field is passed to the database driver (what bulk_create would do,
    without building a model instance per row)."""
    target = model_field.target_field if model_field.is_relation else model_field
    if isinstance(target, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return lambda value: value
        return lambda value: value.hex
    if isinstance(target, (models.SmallIntegerField, models.TextField, models.BooleanField)):
        return lambda value: value
    return lambda value: model_field.get_db_prep_save(value, connection)


def _rows_insert(model: type[models.Model], names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain value tuples in the order of `names`: COPY on PostgreSQL, multi-row inserts
    elsewhere; bulk_create would spend most of its time building a model instance per row."""
    fields = [cast(models.Field[Any, Any], model._meta.get_field(name)) for name in names]
    converters = [_column_converter(model_field) for model_field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model_field.column) for model_field in fields)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([convert(value) for convert, value in zip(converters, row, strict=True)])
        return
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    batch = max(1, min(ROW_BATCH, (connection.features.max_query_params or 999) // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            # Table and column names come from the model, values are parameters.
            sql = "INSERT INTO {} ({}) VALUES {}".format(  # noqa: S608  # nosec B608
                quote(model._meta.db_table), columns, ", ".join([placeholders] * len(chunk))
            )
            cursor.execute(
                sql,
                [convert(value) for row in chunk for convert, value in zip(converters, row, strict=True)],
            )


def _choose(model: AnswerModel, invitees: list[_Invitee], share: float, *, few: bool) -> list[_Invitee]:
    """Who answers: `share` of the invitees, weighted by unit and channel; with `few`, the planted
    units get exactly their planted number of respondents."""
    rng = model.rng
    weights = [
        model.unit_propensity.get(invitee.unit_id, 1.0)
        * (LETTER_PROPENSITY if invitee.channel == Invitation.Channel.LETTER else 1.0)
        for invitee in invitees
    ]
    chosen = [invitees[index] for index in _weighted_sample(rng, weights, round(share * len(invitees)))]
    if not few or not model.few_respondents:
        return chosen
    chosen = [invitee for invitee in chosen if invitee.unit_id not in model.few_respondents]
    for unit_id, count in model.few_respondents.items():
        members = [invitee for invitee in invitees if invitee.unit_id == unit_id]
        chosen.extend(rng.sample(members, min(count, len(members))))
    return chosen


def answers_write(
    survey: Survey, share: float, year: float, model: AnswerModel, *, few_respondents: bool = False
) -> int:
    """Simulate `share` of the invitees answering: the rows their submits would have written."""
    invitees = _invitees(survey.ballot)
    chosen = _choose(model, invitees, share, few=few_respondents)
    questions = _questions(survey.questionnaire)
    responses: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    for invitee in chosen:
        response_id = uuid.uuid4()
        # Stored as the shuffle leaves a response (DESIGN §4.11): the rows are written in random order.
        responses.append((response_id, survey.pk, invitee.cell_id, True))
        for item_id, value, choices, text in _Respondent(model, invitee, year).answers(questions):
            answers.append((uuid.uuid4(), response_id, item_id, value, choices, text))
    # Content is seeded; the physical order is not.
    shuffler = random.SystemRandom()
    shuffler.shuffle(responses)
    shuffler.shuffle(answers)
    _rows_insert(Response, ("id", "survey", "cell", "shuffled"), responses)
    _rows_insert(Answer, ("id", "response", "item", "value", "choices", "text"), answers)
    completed = sorted(invitee.invitation_id for invitee in chosen)
    for start in range(0, len(completed), FLAG_BATCH):
        Invitation.objects.filter(pk__in=completed[start : start + FLAG_BATCH]).update(completed=True)
    return len(responses)
