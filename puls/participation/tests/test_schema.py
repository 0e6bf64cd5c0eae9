"""No participation table links a contribution to a person, an invitation or a moment (DESIGN §4.1,
§4.12; §7 items 11, 12): the anonymity schema test of the invitations app, extended to every
table of this app that holds, or points at, what participants wrote. NamedAuthorship is the one
exemption."""

import pytest
from django.apps import apps
from django.db import models

from puls.invitations.tests.test_anonymity import anonymity_problems, answer_models
from puls.participation.ballot_kind import ROUND_BALLOT_KIND
from puls.participation.models import (
    Assessment,
    Contribution,
    DotVote,
    NamedAuthorship,
    PairwiseChoice,
    RankingPosition,
    Receipt,
    Support,
    ThemeMembership,
)
from puls.participation.round_kinds import round_kinds

EXEMPT = {NamedAuthorship}
ANSWER_TABLES = {Contribution, Receipt, Support, Assessment}
# The prioritise kind's votes (each also points at a Receipt, so the scan below finds them too).
VOTE_TABLES = {DotVote, RankingPosition, PairwiseChoice}


def _participation_tables_near_answers() -> set[type[models.Model]]:
    """The answer tables (every round kind's included) and every participation table with a
    relation to one of them."""
    found = set(ANSWER_TABLES) | {model for kind in round_kinds().values() for model in kind.answer_models()}
    for model in apps.get_app_config("participation").get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model in ANSWER_TABLES:
                found.add(model)
    return found


def test_round_answer_tables_are_registered_for_the_schema_test_and_the_shuffle():
    from puls.invitations.kinds import ballot_kinds

    assert ROUND_BALLOT_KIND in ballot_kinds()
    assert set(answer_models()) >= ANSWER_TABLES | VOTE_TABLES
    for kind in round_kinds().values():
        assert set(kind.answer_models()) <= set(answer_models())
        assert set(kind.answer_models()) <= _participation_tables_near_answers()


def test_no_participation_table_links_a_contribution_to_a_person_invitation_or_time():
    checked = _participation_tables_near_answers() - EXEMPT
    assert {Contribution, Receipt, Support, Assessment, ThemeMembership} | VOTE_TABLES <= checked
    problems = [
        problem
        for model in sorted(checked, key=lambda m: m.__name__)
        for problem in anonymity_problems(model)
    ]
    assert problems == []


def test_named_authorship_is_the_one_exemption_and_the_check_would_catch_it():
    assert NamedAuthorship in _participation_tables_near_answers()
    assert any("links to Person" in problem for problem in anonymity_problems(NamedAuthorship))


@pytest.mark.parametrize(
    "model", [Contribution, Receipt, Support, Assessment, DotVote, RankingPosition, PairwiseChoice]
)
def test_answer_rows_hold_no_date_time_or_sequence(model):
    for field in model._meta.concrete_fields:
        assert not isinstance(field, models.DateField | models.TimeField | models.DurationField), field
    assert isinstance(model._meta.pk, models.UUIDField)
