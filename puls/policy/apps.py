"""The policy tree (values → policies → focus areas → initiatives), its versions, local
interpretations (Værdivejen) and the yearly report-back (DESIGN §1 Decide, Localise, Report back)."""

from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "puls.policy"
    label = "policy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.policy import (
            link_kinds,  # noqa: F401
            periodic_jobs,  # noqa: F401
        )
