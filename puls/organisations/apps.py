from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "puls.organisations"
    label = "organisations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.organisations import (
            link_kinds,  # noqa: F401
            periodic_jobs,  # noqa: F401
        )
