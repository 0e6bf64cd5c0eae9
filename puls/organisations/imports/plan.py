"""What an import will do, row by row: the common shape of the units and the people plans."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from puls.organisations.imports.messages import Message

NEW, CHANGED, UNCHANGED, ERROR = "new", "changed", "unchanged", "error"

# Called with the number of rows handled so far, so a task can report its progress.
Progress = Callable[[int], None]


def no_progress(_done: int) -> None:
    return None


@dataclass
class RowOutcome:
    number: int
    outcome: str
    key: str
    label: str
    details: list[Message] = field(default_factory=list)

    def as_json(self) -> list[Any]:
        return [self.number, self.outcome, self.key, self.label, [list(detail) for detail in self.details]]


def error_row(number: int, key: str, label: str, errors: list[Message]) -> RowOutcome:
    return RowOutcome(number=number, outcome=ERROR, key=key, label=label, details=errors)


@dataclass
class Plan:
    """Row outcomes plus what happens to things that are not in the file.

    `absent` lists units not in the file (kept as they are) or people who get an end date.
    """

    outcomes: list[RowOutcome] = field(default_factory=list)
    absent: list[list[str]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.outcomes), NEW: 0, CHANGED: 0, UNCHANGED: 0, ERROR: 0}
        for outcome in self.outcomes:
            counts[outcome.outcome] += 1
        counts["absent"] = len(self.absent)
        return counts

    @property
    def has_changes(self) -> bool:
        counts = self.counts()
        return bool(counts[NEW] or counts[CHANGED])

    def digest(self) -> str:
        """Fingerprint of what applying would do, to tell whether the data moved since the preview."""
        content = json.dumps(
            [[outcome.as_json() for outcome in self.outcomes], self.absent],
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(content.encode()).hexdigest()

    def preview(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "rows": [outcome.as_json() for outcome in self.outcomes],
            "absent": self.absent,
            "digest": self.digest(),
        }
