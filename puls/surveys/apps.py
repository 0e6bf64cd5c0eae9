from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "puls.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from puls.organisations.signals import unit_mappings_changed
        from puls.surveys import ballot_kind  # noqa: F401  (registers the survey BallotKind)
        from puls.surveys.reports import link_kinds  # noqa: F401  (survey results others link to)
        from puls.surveys.reports.exports import periodic_jobs  # noqa: F401  (prunes old exports)
        from puls.surveys.reports.tasks import unit_mappings_changed_receiver

        unit_mappings_changed.connect(
            unit_mappings_changed_receiver, dispatch_uid="surveys.reports.recompute"
        )
