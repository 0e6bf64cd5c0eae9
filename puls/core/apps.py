from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "puls.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.core import periodic_jobs  # noqa: F401  (registers the core periodic jobs)
