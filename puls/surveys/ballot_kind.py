"""The survey's side of the Ballot interface (`puls.invitations.kinds`): audience, validation and
the anonymous answer rows (DESIGN §4.1, §4.7, §4.11).

Submission data: `{"answers": {"<item uuid>": value}}` where value is an option index (Likert and
single choice), a list of option indices (multiple choice), 0–10 (scale10) or text (free text).
Every item may be skipped. Answer rows store the survey, the storage cell and the content only.

Local items (a unit's own questions) are shown to a participant when their *storage cell's* unit
lies within the local item's unit. The cell is used rather than the person's own unit on purpose:
a unit with fewer than k invitees is stored in its parent's cell, and if only that small unit's
people answered its local items, the set of items on an answer row would reveal a group smaller
than k. The price: a small unit's local items reach its people only when the unit has at least k
invitees (or its own cell after coarsening).
"""

import json
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, cast

from django.db import connection, models
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from puls.invitations.kinds import ballot_kind_register
from puls.invitations.models import Ballot, BallotCell
from puls.organisations.models import Employment, Unit
from puls.surveys import scoring
from puls.surveys.models import (
    Answer,
    Item,
    LocalItem,
    Response,
    Section,
    SectionItem,
    Survey,
    localised,
)

SURVEY_KIND = "surveys.survey"
FREE_TEXT_MAX_LENGTH = 4000
SCALE10_VALUES = range(11)
LOCAL_SECTION_KEY = "local"
INSERT_BATCH = 1000

# Used when a Likert item lists no labels of its own (the "extent" set of the shipped item bank).
DEFAULT_LIKERT_OPTIONS = [
    {"da": "I meget høj grad", "en": "To a very large extent"},
    {"da": "I høj grad", "en": "To a large extent"},
    {"da": "Delvist", "en": "Partly"},
    {"da": "I lav grad", "en": "To a small extent"},
    {"da": "I meget lav grad", "en": "To a very small extent"},
]


def option_label(option: Any) -> str:
    """An option's text in the active language (options are {"da": …, "en": …} or plain text)."""
    if isinstance(option, dict):
        language = (get_language() or "da")[:2]
        return str(option.get(language) or option.get("da") or next(iter(option.values()), ""))
    return str(option)


class ItemRule(NamedTuple):
    """What the submit needs of an item to check and store an answer (read without building an
    Item: a submit checks every item of the questionnaire)."""

    id: uuid.UUID
    kind: str
    options: list[Any]
    reversed: bool


RULE_FIELDS = ("id", "kind", "options", "reversed")


def item_options(item: Item | ItemRule) -> list[Any]:
    if item.kind == Item.Kind.LIKERT and not item.options:
        return DEFAULT_LIKERT_OPTIONS
    return list(item.options or [])


def _rules(items: "models.QuerySet[Any]") -> list[ItemRule]:
    """ItemRules of the items the `item` relation of `items` (section or local items) leads to."""
    return [ItemRule(*row) for row in items.values_list(*(f"item__{name}" for name in RULE_FIELDS))]


@dataclass
class AnswerSection:
    """One page of the answering flow: a questionnaire section, or the local items at the end."""

    key: str
    items: list[Item] = field(default_factory=list)
    section: Section | None = None

    @property
    def title(self) -> str | Promise:
        if self.section is None:
            return gettext_lazy("Questions from your workplace")
        return localised(self.section, "title")


def survey_for_ballot(ballot: Ballot) -> Survey:
    return Survey.objects.select_related("questionnaire").get(ballot=ballot)


def _submitted_survey(ballot: Ballot) -> Survey:
    """The survey of the ballot being submitted. ballot_submit hands validate_submission and
    write_submission the same Ballot instance, which keeps the one-to-one survey it read (the
    answering views read it together with the invitation), so a submit reads it once at most."""
    return ballot.survey


# Attribute of the submitted Survey instance that holds its questionnaire's rules during one submit.
_SUBMIT_RULES = "_submit_rules"


def _submit_rules(survey: Survey) -> dict[str, ItemRule]:
    """The rules of the questionnaire's items by hex id, in one query, read once per submit: kept
    on the Survey instance the submitted Ballot holds (see _submitted_survey), which lives for the
    request, not in process memory between requests (DESIGN §8). A launched questionnaire is frozen,
    so validate_submission and write_submission see the same items."""
    rules: dict[str, ItemRule] | None = getattr(survey, _SUBMIT_RULES, None)
    if rules is None:
        section_items = SectionItem.objects.filter(section__questionnaire_id=survey.questionnaire_id)
        rules = {rule.id.hex: rule for rule in _rules(section_items)}
        setattr(survey, _SUBMIT_RULES, rules)
    return rules


@dataclass(frozen=True)
class QuestionnairePages:
    """A questionnaire's sections with their items, in order, and its items by hex id."""

    sections: tuple[tuple[Section, tuple[Item, ...]], ...]
    items: dict[str, Item]


def _pages_load(questionnaire_id: uuid.UUID) -> QuestionnairePages:
    sections = list(Section.objects.filter(questionnaire_id=questionnaire_id).order_by("order", "id"))
    items_of: dict[uuid.UUID, list[Item]] = {section.pk: [] for section in sections}
    section_items = (
        SectionItem.objects.filter(section__questionnaire_id=questionnaire_id)
        .select_related("item")
        .order_by("order", "id")
    )
    for section_item in section_items:
        items_of[section_item.section_id].append(section_item.item)
    structure = tuple((section, tuple(items_of[section.pk])) for section in sections)
    items = {item.id.hex: item for _section, section_items in structure for item in section_items}
    return QuestionnairePages(sections=structure, items=items)


def questionnaire_pages(questionnaire_id: uuid.UUID) -> QuestionnairePages:
    """The questionnaire's structure, read once per request (two queries).

    Not kept in process memory between requests (DESIGN §8), although a frozen questionnaire
    cannot change: app servers stay stateless."""
    return _pages_load(questionnaire_id)


def local_items_for_unit(survey: Survey, unit: Unit) -> list[Item]:
    local_items = (
        LocalItem.objects.filter(survey=survey).select_related("item", "unit").order_by("unit__path", "order")
    )
    return [local.item for local in local_items if unit.is_within(local.unit)]


def survey_sections(survey: Survey, cell: BallotCell | None) -> list[AnswerSection]:
    """The pages a participant stored in `cell` answers, in order; empty sections are left out."""
    pages = [
        AnswerSection(key=section.id.hex, section=section, items=list(items))
        for section, items in questionnaire_pages(survey.questionnaire_id).sections
    ]
    if cell is not None:
        local = local_items_for_unit(survey, cell.unit)
        if local:
            pages.append(AnswerSection(key=LOCAL_SECTION_KEY, items=local))
    return [page for page in pages if page.items]


def _answered_items(
    answers: dict[Any, Any],
    questionnaire_items: dict[str, ItemRule],
    local_items: Callable[[], Iterable[Item | ItemRule]],
) -> dict[str, Item | ItemRule | None]:
    """Each answer's key → the item it answers, None when there is no such item. Local items are
    read only when an answer names an item outside the questionnaire (most submits have none)."""
    keys = {
        str(key): str(key) if str(key) in questionnaire_items else (_item_key(key) or "") for key in answers
    }
    items: dict[str, Item | ItemRule] = dict(questionnaire_items)
    if not all(item_key in items for item_key in keys.values()):
        items.update({item.id.hex: item for item in local_items()})
    return {key: items.get(item_key) for key, item_key in keys.items()}


def _item_key(key: str) -> str | None:
    try:
        return uuid.UUID(str(key)).hex
    except ValueError:
        return None


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def item_value_error(item: Item | ItemRule, value: Any) -> str | None:
    """Why `value` is not a valid answer to `item`, or None when it is (blank is valid: skipped)."""
    if is_blank(value):
        return None
    if item.kind in (Item.Kind.LIKERT, Item.Kind.SINGLE):
        if not _is_int(value) or not 0 <= value < len(item_options(item)):
            return _("Choose one of the answers.")
    elif item.kind == Item.Kind.MULTIPLE:
        count = len(item_options(item))
        if (
            not isinstance(value, list)
            or not all(_is_int(v) and 0 <= v < count for v in value)
            or len(set(value)) != len(value)
        ):
            return _("Choose among the answers shown.")
    elif item.kind == Item.Kind.SCALE_0_10:
        if not _is_int(value) or value not in SCALE10_VALUES:
            return _("Choose a number from 0 to 10.")
    elif item.kind == Item.Kind.FREE_TEXT:
        if not isinstance(value, str):
            return _("Write your answer as text.")
        if len(value) > FREE_TEXT_MAX_LENGTH:
            return _("Please shorten your answer to at most %(limit)d characters.") % {
                "limit": FREE_TEXT_MAX_LENGTH
            }
    else:
        return _("This question cannot be answered.")
    return None


# An answer row as write_submission stores it: (item id, value, choices, text).
AnswerRow = tuple[uuid.UUID, int | None, list[int] | None, str]
ANSWER_COLUMNS = ("id", "response", "item", "value", "choices", "text")
RESPONSE_COLUMNS = ("id", "survey", "cell", "shuffled")  # shuffled: false


def _answer_row(item: Item | ItemRule, value: Any) -> AnswerRow:
    if item.kind == Item.Kind.LIKERT:
        score = scoring.likert_score(value, option_count=len(item_options(item)), reversed=item.reversed)
        return (item.id, score, None, "")
    if item.kind == Item.Kind.MULTIPLE:
        return (item.id, None, sorted(value), "")
    if item.kind == Item.Kind.FREE_TEXT:
        return (item.id, None, None, value)
    return (item.id, value, None, "")


def _columns(model: type[models.Model], names: tuple[str, ...]) -> list["models.Field[Any, Any]"]:
    return [cast("models.Field[Any, Any]", model._meta.get_field(name)) for name in names]


def _into(model: type[models.Model], fields: list["models.Field[Any, Any]"]) -> str:
    """`"table" ("column", …)` for an INSERT INTO."""
    quote = connection.ops.quote_name
    return f"{quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)})"


def _response_insert(survey_id: uuid.UUID, cell_id: uuid.UUID, rows: list[AnswerRow]) -> None:
    """Insert one response and its answer rows, all with random UUID keys.

    Not bulk_create: building and preparing a model instance per answer took longer than the
    database takes to store the rows, on the path `make bench SCENARIO=submit` measures. On
    PostgreSQL it is one statement: the answers travel as one JSON document (a short statement the
    driver parses once, one parameter to quote; gen_random_uuid() draws their keys) and the
    response goes in through a WITH clause. Elsewhere: the response, then the answers in batches
    of the database's parameter limit."""
    response_id = uuid.uuid4()
    quote = connection.ops.quote_name
    fields = _columns(Answer, ANSWER_COLUMNS)
    answers = _into(Answer, fields)
    # Table, column and type names come from the models; values are parameters.
    if connection.vendor == "postgresql":
        response = _into(Response, _columns(Response, RESPONSE_COLUMNS))
        content = list(zip(ANSWER_COLUMNS[2:], fields[2:], strict=True))  # item, value, choices, text
        select = ", ".join(quote(name) for name, _field in content)
        record = ", ".join(f"{quote(name)} {field.db_type(connection)}" for name, field in content)
        sql = (
            f"WITH response AS (INSERT INTO {response} VALUES (%s, %s, %s, false)) "  # noqa: S608  # nosec B608
            f"INSERT INTO {answers} SELECT gen_random_uuid(), %s, {select} "
            f"FROM jsonb_to_recordset(%s::jsonb) AS answer({record})"
        )
        document = [
            {"item": item_id.hex, "value": value, "choices": choices, "text": text}
            for item_id, value, choices, text in rows
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, [response_id, survey_id, cell_id, response_id, json.dumps(document)])
        return
    Response.objects.create(id=response_id, survey_id=survey_id, cell_id=cell_id)
    native_uuid = connection.features.has_native_uuid_field
    choices_field = fields[ANSWER_COLUMNS.index("choices")]

    def key(value: uuid.UUID) -> Any:
        return value if native_uuid else value.hex

    params = [
        (
            key(uuid.uuid4()),
            key(response_id),
            key(item_id),
            value,
            None if choices is None else choices_field.get_db_prep_save(choices, connection),
            text,
        )
        for item_id, value, choices, text in rows
    ]
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    batch = max(1, min(INSERT_BATCH, (connection.features.max_query_params or 999) // len(fields)))
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch):
            chunk = params[start : start + batch]
            sql = "INSERT INTO {} VALUES {}".format(  # noqa: S608  # nosec B608
                answers, ", ".join([placeholders] * len(chunk))
            )
            cursor.execute(sql, [value for row in chunk for value in row])


class SurveyKind:
    name = SURVEY_KIND

    def audience(self, ballot: Ballot) -> "models.QuerySet[Employment]":
        survey = Survey.objects.get(ballot=ballot)
        employments = Employment.objects.current().filter(
            unit__organisation=ballot.organisation, person__anonymised_at__isnull=True
        )
        if not survey.audience_everyone:
            employments = employments.filter(unit__in=Unit.objects.within(list(survey.audience_units.all())))
        if survey.audience_job_groups:
            employments = employments.filter(job_group__in=survey.audience_job_groups)
        return employments.select_related("person", "unit")

    def validate_submission(self, ballot: Ballot, data: dict[str, Any]) -> dict[str, list[str]]:
        answers = data.get("answers", {}) if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            return {"answers": [_("The answers could not be read.")]}
        survey = _submitted_survey(ballot)
        # Every local item of the survey is known here; write_submission keeps only the cell's own.
        answered = _answered_items(
            answers, _submit_rules(survey), lambda: _rules(LocalItem.objects.filter(survey=survey))
        )
        errors: dict[str, list[str]] = {}
        for key, value in answers.items():
            item = answered[str(key)]
            if item is None:
                errors[str(key)] = [_("This question is not part of the survey.")]
                continue
            message = item_value_error(item, value)
            if message:
                errors[str(key)] = [message]
        return errors

    def write_submission(self, ballot: Ballot, cell: BallotCell, data: dict[str, Any]) -> dict[str, Any]:
        survey = _submitted_survey(ballot)
        answers = data.get("answers", {})
        # Only the items this cell is shown: a tampered form cannot add another unit's local items.
        answered = _answered_items(
            answers, _submit_rules(survey), lambda: local_items_for_unit(survey, cell.unit)
        )
        rows = []
        for key, value in answers.items():
            item = answered[str(key)]
            if item is None or is_blank(value) or (isinstance(value, str) and not value.strip()):
                continue
            rows.append(_answer_row(item, value))
        _response_insert(survey.pk, cell.pk, rows)
        return {"answers": len(rows)}

    def answer_models(self) -> list[type[models.Model]]:
        return [Response, Answer]

    def shuffle(self, ballot: Ballot) -> int:
        """Runs inside the caller's transaction: delete and re-insert the unshuffled rows in random
        order, so neither physical position nor transaction id ties a response to its submit."""
        responses = list(Response.objects.filter(survey__ballot=ballot, shuffled=False))
        if not responses:
            return 0
        answers = list(Answer.objects.filter(response__survey__ballot=ballot, response__shuffled=False))
        Answer.objects.filter(response__survey__ballot=ballot, response__shuffled=False).delete()
        Response.objects.filter(survey__ballot=ballot, shuffled=False).delete()
        rng = random.SystemRandom()
        rng.shuffle(responses)
        rng.shuffle(answers)
        for response in responses:
            response.shuffled = True
        Response.objects.bulk_create(responses, batch_size=INSERT_BATCH)
        Answer.objects.bulk_create(answers, batch_size=INSERT_BATCH)
        return len(responses)

    def move_cells(self, ballot: Ballot, mapping: dict[uuid.UUID, uuid.UUID]) -> None:
        for old_cell, new_cell in mapping.items():
            target = new_cell
            seen = {old_cell}
            # Follow chains (a → b, b → c) so every row ends in the surviving cell.
            while target in mapping and target not in seen:
                seen.add(target)
                target = mapping[target]
            Response.objects.filter(survey__ballot=ballot, cell_id=old_cell).update(cell_id=target)

    def answered_count(self, ballot: Ballot) -> int:
        return Response.objects.filter(survey__ballot=ballot).count()

    def start_url(self, ballot: Ballot) -> str:
        return reverse("survey_answer:start", kwargs={"ballot_id": ballot.pk})

    def closed(self, ballot: Ballot) -> None:
        from puls.surveys.reports.tasks import report_compute_enqueue

        report_compute_enqueue(survey=survey_for_ballot(ballot))


ballot_kind_register(SurveyKind())
