"""Action plans with owners, deadlines and follow-up, and the APV cycle per unit (DESIGN §1 Act)."""

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "puls.actions"
    label = "actions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.actions import (
            link_kinds,  # noqa: F401
            periodic_jobs,  # noqa: F401
        )
