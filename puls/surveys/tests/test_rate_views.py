"""The live response rate: batched counts, the k and residual rules over invitees, and scoping.

Counts used below (k = 5; invited/answered of each unit's direct staff):
    100 Testby Kommune  5/2
    ├── 200 Børn og Unge 0/0
    │   ├── 210 Skole A  6/3
    │   └── 220 Skole B  2/1   ← below k: hidden
    └── 300 Ældre        0/0
        └── 310 Plejecenter 8/4
200's subtree has 8 invitees; with 210 shown its residual would be 2 (Skole B), so 210 is hidden too
(SUPPRESSION.md rule 3) and 200 is shown with 8/4. 100 has residual 21 − 16 = 5 ≥ k.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from puls.invitations.kinds import ballot_kind_get
from puls.invitations.models import Ballot, BallotCell, ParticipationCount
from puls.organisations.services import unit_create
from puls.surveys.tests.answer_setup import build_survey_world

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
HIDDEN = "Hidden to protect anonymity"
COUNTS = {"100": (5, 2), "200": (0, 0), "210": (6, 3), "220": (2, 1), "300": (0, 0), "310": (8, 4)}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(personas):
    world = build_survey_world(personas, k=5)
    for code, (invited, completed) in COUNTS.items():
        ParticipationCount.objects.create(
            ballot=world.ballot, unit=personas.units[code], invited=invited, completed=completed
        )
    Ballot.objects.filter(pk=world.ballot.pk).update(
        counted_at=timezone.now(), invited_count=21, completed_count=10
    )
    world.ballot.refresh_from_db()
    return world


def rate_url(world, name="page", survey=None):
    return reverse(
        f"survey_rate:{name}",
        kwargs={"org_slug": world.personas.org.slug, "survey_id": (survey or world.survey).pk},
    )


def visit(client, user, url):
    client.force_login(user, backend=MODEL_BACKEND)
    return client.get(url)


def table_rows(html):
    """{row label: [cell texts]} of the rate table."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        header = re.search(r'<th scope="row"[^>]*>(.*?)</th>', row, flags=re.S)
        if header:
            cells = [
                re.sub(r"<[^>]+>", "", cell).strip()
                for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            ]
            rows[header.group(1).strip()] = cells
    return rows


def test_hr_sees_every_unit_that_may_be_shown_and_the_whole_organisation(client, world, personas):
    response = visit(client, personas.org_admin, rate_url(world))
    assert response.status_code == 200
    rows = table_rows(response.content.decode())
    assert rows["Whole organisation"] == ["21", "10", "48 %"]
    assert rows["Børn og Unge"] == ["8", "4", "50 %"]
    assert rows["Ældre"] == ["8", "4", "50 %"]
    assert rows["Plejecenter"] == ["8", "4", "50 %"]
    # Skole B has fewer than k invitees; Skole A would give Skole B away by subtraction from 200.
    assert rows["Skole B"] == [HIDDEN]
    assert rows["Skole A"] == [HIDDEN]


def test_the_chart_shows_the_same_shown_figures_and_nothing_hidden(client, world, personas):
    html = visit(client, personas.org_admin, rate_url(world)).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, flags=re.S).group(0)
    assert 'role="img"' in svg
    assert 'aria-labelledby="rate-chart-title rate-chart-desc"' in svg
    assert '<title id="rate-chart-title">Response rate per unit</title>' in svg
    assert "style=" not in svg
    assert "Børn og Unge: 50 % (4 of 8)" in svg
    assert "Whole organisation: 48 % (10 of 21)" in svg
    assert "Skole" not in svg
    assert re.search(r'<rect[^>]*width="50%"[^>]*fill="#0059b3"', svg)


def test_leader_sees_their_own_subtree_and_their_unit_may_be_hidden(client, world, personas):
    response = visit(client, personas.leader, rate_url(world))
    assert response.status_code == 200
    rows = table_rows(response.content.decode())
    assert rows == {"Whole organisation": ["21", "10", "48 %"], "Skole A": [HIDDEN]}


def test_med_rep_sees_the_units_they_represent(client, world, personas):
    rows = table_rows(visit(client, personas.med_rep, rate_url(world)).content.decode())
    assert set(rows) == {"Whole organisation", "Ældre", "Plejecenter"}
    assert rows["Plejecenter"] == ["8", "4", "50 %"]


def test_employee_is_refused_and_outsider_does_not_find_it(client, world, personas):
    assert visit(client, personas.employee, rate_url(world)).status_code == 403
    assert visit(client, personas.outsider, rate_url(world)).status_code == 404
    client.logout()
    response = client.get(rate_url(world))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_another_organisations_survey_is_not_found(client, world, personas):
    other_ballot = Ballot.objects.create(
        organisation=personas.other_org,
        kind="surveys.survey",
        title="Andenby trivsel",
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=7),
    )
    other = type(world.survey).objects.create(
        organisation=personas.other_org, ballot=other_ballot, questionnaire=world.survey.questionnaire
    )
    assert visit(client, personas.org_admin, rate_url(world, survey=other)).status_code == 404


def test_page_refreshes_its_figures_every_minute_and_says_when_they_were_counted(client, world, personas):
    html = visit(client, personas.org_admin, rate_url(world)).content.decode()
    fragment_url = rate_url(world, "fragment")
    assert f'hx-get="{fragment_url}"' in html
    assert 'hx-trigger="every 60s"' in html
    counted = timezone.localtime(world.ballot.counted_at).strftime("%H:%M")
    assert f"Updated at {counted} (counts are refreshed in batches)." in html

    fragment = client.get(fragment_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body
    assert table_rows(body)["Ældre"] == ["8", "4", "50 %"]


def test_figures_come_from_the_batched_counts_not_from_answers(client, world, personas):
    """A new answer changes nothing until the count task has run."""
    kind = ballot_kind_get("surveys.survey")
    cell = BallotCell.objects.create(ballot=world.ballot, unit=personas.units["310"])
    kind.write_submission(world.ballot, cell, {"answers": {str(world.items["tempo"].pk): 1}})
    html = visit(client, personas.org_admin, rate_url(world)).content.decode()
    assert table_rows(html)["Plejecenter"] == ["8", "4", "50 %"]

    ParticipationCount.objects.filter(ballot=world.ballot, unit=personas.units["310"]).update(completed=5)
    html = client.get(rate_url(world)).content.decode()
    assert table_rows(html)["Plejecenter"] == ["8", "5", "63 %"]


def test_a_survey_not_launched_yet_has_no_figures(client, world, personas):
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.DRAFT, launched_at=None, k=None)
    html = visit(client, personas.org_admin, rate_url(world)).content.decode()
    assert "has not been launched yet" in html
    assert "<table" not in html
    assert "hx-trigger" not in html


def test_with_several_root_units_the_organisation_total_obeys_the_residual_rule(client, world, personas):
    """A second root unit with 2 invitees: showing 100 (21) beside the total (23) would reveal it."""
    other_root = unit_create(organisation=personas.org, code="900", name="Vikarkorps")
    ParticipationCount.objects.create(ballot=world.ballot, unit=other_root, invited=2, completed=2)
    rows = table_rows(visit(client, personas.org_admin, rate_url(world)).content.decode())
    assert rows["Whole organisation"] == ["23", "12", "52 %"]
    assert rows["Testby Kommune"] == [HIDDEN]
    assert rows["Vikarkorps"] == [HIDDEN]
    assert rows["Børn og Unge"] == ["8", "4", "50 %"]
