"""Round kinds: one module per kind, registered here and nowhere else (DESIGN §5).

To add a kind: write its module (see `base.RoundKind`), register it below, add its participant
pages to `puls/participation/urls_answer.py`.
"""

from puls.participation.round_kinds.assessment import AssessmentKind
from puls.participation.round_kinds.base import (
    AnonymityNeeds,
    RoundKind,
    round_kind_get,
    round_kind_register,
    round_kinds,
)
from puls.participation.round_kinds.ideas import IdeasKind
from puls.participation.round_kinds.prioritise import PrioritiseKind

round_kind_register(IdeasKind())
round_kind_register(PrioritiseKind())
round_kind_register(AssessmentKind())

__all__ = ["AnonymityNeeds", "RoundKind", "round_kind_get", "round_kind_register", "round_kinds"]
