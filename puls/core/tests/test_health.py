"""/health/: what load balancers and monitoring poll on every server."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_ok_without_login_and_is_never_cached():
    response = Client().get("/health/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control


def test_health_answers_plain_http_probes_when_https_is_enforced(settings):
    # A load balancer probes each server directly over HTTP, without X-Forwarded-Proto.
    settings.SECURE_SSL_REDIRECT = True

    assert Client().get("/health/").status_code == 200
    assert Client().get("/login/").status_code == 301


def test_health_accepts_only_reads():
    assert Client().post("/health/").status_code == 405
