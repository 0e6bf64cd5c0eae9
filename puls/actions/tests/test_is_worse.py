"""The follow-up rule "5 points worse than the organisation" marks what the report marks notable:
the difference as shown (rounded half away from zero), in the direction that is worse."""

import uuid

import pytest

from puls.actions.selectors_follow_up import is_worse
from puls.surveys.reports.selectors import ScaleColumn


def scale(*, higher_is_better: bool) -> ScaleColumn:
    return ScaleColumn(
        id=uuid.uuid4(),
        code="s",
        bank_code="b",
        name="Scale",
        description="",
        domain="",
        higher_is_better=higher_is_better,
        is_outcome=False,
    )


@pytest.mark.parametrize(
    ("score", "organisation", "worse"),
    [
        (60.0, 64.5, True),  # 4.5 below shows as 5
        (60.0, 64.4, False),  # 4.4 below shows as 4
        (60.0, 70.0, True),
        (64.5, 60.0, False),  # better, not worse
    ],
)
def test_worse_on_a_scale_where_high_is_good(score, organisation, worse):
    assert is_worse(scale(higher_is_better=True), score, organisation) is worse


def test_worse_on_a_scale_where_high_is_bad_means_higher():
    demands = scale(higher_is_better=False)
    assert is_worse(demands, 64.5, 60.0)
    assert not is_worse(demands, 64.4, 60.0)
    assert not is_worse(demands, 55.0, 60.0)
