"""Helpers for the item bank, questionnaire and HR page tests."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from puls.core.models import User
from puls.surveys import services
from puls.surveys.models import Questionnaire, Survey
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def template(kind: str) -> Questionnaire:
    """A questionnaire shipped with Puls (loaded by the data migration)."""
    return Questionnaire.objects.get(organisation__isnull=True, kind=kind)


def draft_survey(personas: Personas, *, title: str = "Trivsel 2026", **overrides: object) -> Survey:
    opens = timezone.now() - timedelta(minutes=5)
    values: dict[str, object] = {
        "title": title,
        "questionnaire": template(Questionnaire.Kind.TRIVSEL),
        "opens_at": opens,
        "closes_at": opens + timedelta(days=21),
    }
    values.update(overrides)
    return services.survey_create(
        actor=personas.org_admin,
        organisation=personas.org,
        settings=services.SurveySettings(**values),  # type: ignore[arg-type]
    )
