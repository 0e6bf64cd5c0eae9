from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    name = "puls.invitations"
    label = "invitations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.invitations import periodic_jobs  # noqa: F401  (registers the ballot job)
