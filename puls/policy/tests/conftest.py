import pytest
from django.test import Client

from puls.core.models import User
from puls.policy.tests.builders import PolicyObjects, policy_objects
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def objects(personas: Personas) -> PolicyObjects:
    """Testby's policy objects; the leader's unit (Skole A, 210) has adopted the tree."""
    return policy_objects(personas.org, personas.org_admin, personas.units["210"], personas.leader)


def client_for(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client
