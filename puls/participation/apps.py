"""Dialogue processes: rounds (ballots of pluggable kinds), contributions, themes, outcomes and
receipts (DESIGN §2 `participation`, §4, §5; docs/adr/0005-dialogue-processes.md)."""

from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "puls.participation"
    label = "participation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.participation import (
            ballot_kind,  # noqa: F401
            link_kinds,  # noqa: F401
            periodic_jobs,  # noqa: F401  (announces outcome changes to all invitees)
            round_kinds,  # noqa: F401
        )
