"""Likert scoring and the half-answered rule for scale scores (DESIGN §6)."""

import pytest

from puls.surveys.scoring import likert_score, scale_score, scale_scores


def test_likert_options_score_100_to_0_in_listed_order():
    assert [likert_score(i) for i in range(5)] == [100, 75, 50, 25, 0]


def test_reversed_item_scores_the_other_way_round():
    assert [likert_score(i, reversed=True) for i in range(5)] == [0, 25, 50, 75, 100]


def test_other_option_counts_spread_evenly_over_0_to_100():
    assert [likert_score(i, option_count=3) for i in range(3)] == [100, 50, 0]


@pytest.mark.parametrize("index", [-1, 5])
def test_an_option_outside_the_item_is_refused(index):
    with pytest.raises(ValueError):
        likert_score(index)


def test_scale_score_is_the_mean_of_answered_items_when_half_are_answered():
    # 3 of 6 items answered: exactly half counts.
    assert scale_score([100, 50, 0, None, None, None]) == 50


def test_scale_score_is_missing_when_fewer_than_half_are_answered():
    # 2 of 6 items answered: not enough.
    assert scale_score([100, 50, None, None, None, None]) is None


def test_item_count_may_be_given_when_only_answered_values_are_at_hand():
    assert scale_score([75, 25, 50], item_count=6) == 50
    assert scale_score([75, 25], item_count=6) is None
    assert scale_score([], item_count=4) is None


def test_scale_scores_of_one_response():
    answers = {"a": 100, "b": 50, "c": 25}
    scales = {"demands": ["a", "b", "x", "y"], "trust": ["c", "p", "q"]}
    assert scale_scores(answers, scales) == {"demands": 75, "trust": None}
