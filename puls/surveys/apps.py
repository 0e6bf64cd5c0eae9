from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "puls.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.surveys import ballot_kind  # noqa: F401  (registers the survey BallotKind)
