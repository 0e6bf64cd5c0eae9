"""The survey BallotKind: audience, validation, anonymous answer rows, shuffle and cell moves."""

from datetime import date

import pytest
from django.db import connection, models
from django.urls import reverse

from puls.invitations.kinds import ballot_kind_get
from puls.invitations.models import BallotCell
from puls.organisations.models import Employment
from puls.surveys.ballot_kind import SurveyKind
from puls.surveys.models import Answer, Response
from puls.surveys.tests.answer_setup import add_local_item, build_survey_world
from puls.testing import make_person

pytestmark = pytest.mark.django_db

FORBIDDEN_NAME_PARTS = (
    "person",
    "invitation",
    "token",
    "user",
    "ip",
    "agent",
    "date",
    "time",
    "created",
    "submitted",
)


@pytest.fixture
def world(personas):
    return build_survey_world(personas)


@pytest.fixture
def kind():
    return ballot_kind_get("surveys.survey")


def answers_for(world, **values):
    return {"answers": {str(world.items[code].pk): value for code, value in values.items()}}


def test_the_kind_is_registered_when_the_app_starts(kind, world):
    assert isinstance(kind, SurveyKind)
    assert kind.start_url(world.ballot) == reverse(
        "survey_answer:start", kwargs={"ballot_id": world.ballot.pk}
    )
    assert kind.answer_models() == [Response, Answer]


def test_audience_everyone_is_every_current_employee(kind, world, personas):
    former = make_person(personas.org, personas.units["220"], "9999", "Tidligere", "Ansat")
    Employment.objects.filter(person=former).update(end_date=date(2020, 1, 1))
    people = {e.person.employee_number for e in kind.audience(world.ballot)}
    assert people == {"1001", "2101", "2110", "2111", "2112", "3101", "2201", "3102"}


def test_audience_of_units_covers_their_subtrees(kind, world, personas):
    world.survey.audience_everyone = False
    world.survey.save()
    world.survey.audience_units.set([personas.units["200"]])
    people = {e.person.employee_number for e in kind.audience(world.ballot)}
    assert people == {"2101", "2110", "2111", "2112", "2201"}


def test_audience_can_be_narrowed_to_job_groups(kind, world, personas):
    Employment.objects.filter(person__employee_number__in=["3101", "2201"]).update(job_group="Sygeplejerske")
    world.survey.audience_job_groups = ["Sygeplejerske"]
    world.survey.save()
    assert {e.person.employee_number for e in kind.audience(world.ballot)} == {"3101", "2201"}


def test_every_question_may_be_skipped(kind, world):
    assert kind.validate_submission(world.ballot, {"answers": {}}) == {}
    assert (
        kind.validate_submission(world.ballot, answers_for(world, tempo=None, comment="", channels=[])) == {}
    )


def test_valid_answers_of_every_kind_pass(kind, world):
    data = answers_for(world, tempo=0, rest=4, role=1, channels=[0, 2], recommend=10, comment="Godt sted")
    assert kind.validate_submission(world.ballot, data) == {}


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("tempo", 5),
        ("tempo", "2"),
        ("tempo", True),
        ("role", 2),
        ("channels", [0, 0]),
        ("channels", [3]),
        ("channels", 1),
        ("recommend", 11),
        ("recommend", -1),
        ("comment", 42),
        ("comment", "x" * 4001),
    ],
)
def test_invalid_values_are_errors_keyed_by_the_item(kind, world, code, value):
    errors = kind.validate_submission(world.ballot, answers_for(world, **{code: value}))
    assert list(errors) == [str(world.items[code].pk)]


def test_items_outside_the_survey_are_refused(kind, world):
    errors = kind.validate_submission(
        world.ballot, {"answers": {"not-an-item": 1, "8d0b4c2e-0000-4000-8000-000000000000": 1}}
    )
    assert set(errors) == {"not-an-item", "8d0b4c2e-0000-4000-8000-000000000000"}


def test_a_submission_writes_one_response_with_its_answers(kind, world):
    data = answers_for(
        world,
        tempo=0,
        rest=0,
        role=1,
        channels=[2, 0],
        recommend=7,
        comment="Mere tid til børnene",
        trust=None,
    )
    result = kind.write_submission(world.ballot, world.cell, data)

    response = Response.objects.get()
    assert response.survey == world.survey
    assert response.cell == world.cell
    assert not response.shuffled
    stored = {answer.item.code: answer for answer in response.answers.select_related("item")}
    assert set(stored) == {"tempo", "rest", "role", "channels", "recommend", "comment"}
    assert result == {"answers": 6}
    assert stored["tempo"].value == 100  # first option of a Likert item
    assert stored["rest"].value == 0  # the same option of a reversed item
    assert stored["role"].value == 1
    assert stored["channels"].choices == [0, 2]
    assert stored["recommend"].value == 7
    assert stored["comment"].text == "Mere tid til børnene"
    assert kind.answered_count(world.ballot) == 1


@pytest.mark.parametrize("model", [Response, Answer])
def test_answer_rows_hold_no_person_invitation_token_or_time(model):
    for model_field in model._meta.get_fields():
        name = model_field.name.lower()
        assert not any(part in name for part in FORBIDDEN_NAME_PARTS), f"{model.__name__}.{name}"
        assert not isinstance(model_field, models.DateField | models.TimeField | models.GenericIPAddressField)
        if model_field.is_relation and model_field.related_model is not None:
            assert model_field.related_model._meta.label in {
                "surveys.Survey",
                "surveys.Response",
                "surveys.Answer",
                "surveys.Item",
                "invitations.BallotCell",
            }, f"{model.__name__}.{name} → {model_field.related_model._meta.label}"
        if model_field.name == "id":
            assert isinstance(model_field, models.UUIDField)


def test_local_items_are_kept_only_for_cells_within_their_unit(kind, world, personas):
    local_210 = add_local_item(world, personas.units["210"], "skole-a", "Har vi nok legetøj?", "Enough toys?")
    local_200 = add_local_item(
        world, personas.units["200"], "boern", "Fungerer overleveringen?", "Handover works?"
    )
    data = {"answers": {str(local_210.pk): 0, str(local_200.pk): 1}}
    assert kind.validate_submission(world.ballot, data) == {}

    kind.write_submission(world.ballot, world.cell, data)  # the cell is 200: 210's item is not shown there

    assert list(Answer.objects.values_list("item__code", flat=True)) == ["boern"]


def physical_order(model):
    """Row ids in the order the rows lie in the table (SQLite rowid, PostgreSQL ctid)."""
    table = model._meta.db_table
    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {column}")  # noqa: S608  (names from the model)
        return [row[0] for row in cursor.fetchall()]


def test_shuffle_reinserts_the_rows_in_random_order_and_keeps_their_content(kind, world):
    for value in range(30):
        kind.write_submission(
            world.ballot, world.cell, answers_for(world, tempo=value % 5, recommend=value % 11)
        )
    before = {r.pk: sorted(r.answers.values_list("item__code", "value")) for r in Response.objects.all()}
    submit_order, answer_order = physical_order(Response), physical_order(Answer)

    assert kind.shuffle(world.ballot) == 30

    after = {r.pk: sorted(r.answers.values_list("item__code", "value")) for r in Response.objects.all()}
    assert after == before
    assert not Response.objects.filter(shuffled=False).exists()
    # The table order no longer follows the submit order (the chance of keeping it is 1 in 30!).
    assert physical_order(Response) != submit_order
    assert physical_order(Answer) != answer_order
    # Rows already shuffled are left alone; only new submits wait for the next shuffle.
    assert kind.shuffle(world.ballot) == 0
    kind.write_submission(world.ballot, world.cell, answers_for(world, tempo=1))
    assert kind.shuffle(world.ballot) == 1
    assert Response.objects.count() == 31


def test_move_cells_points_responses_at_the_surviving_cell(kind, world, personas):
    small = BallotCell.objects.create(ballot=world.ballot, unit=personas.units["210"])
    smaller = BallotCell.objects.create(ballot=world.ballot, unit=personas.units["220"])
    kind.write_submission(world.ballot, small, answers_for(world, tempo=1))
    kind.write_submission(world.ballot, smaller, answers_for(world, tempo=2))

    kind.move_cells(world.ballot, {smaller.pk: small.pk, small.pk: world.cell.pk})

    assert set(Response.objects.values_list("cell", flat=True)) == {world.cell.pk}
