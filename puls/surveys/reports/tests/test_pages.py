"""The report pages as people use them: who sees which unit when, hidden results, filters,
comparisons, trend, comments, driver analysis and HR's release and benchmark settings."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puls.core.models import AuditEntry, User
from puls.invitations.models import Ballot
from puls.organisations import services as org_services
from puls.organisations.models import UnitMapping
from puls.surveys.models import Survey, SurveyReport
from puls.surveys.reports.tests.report_setup import StoredReport, bank_build, stored_report
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}

# (n, trust, demands, satisfaction) per unit; 310 is hidden.
FIGURES = {
    "100": (40, 61.3, 55.0, 66.0),
    "200": (25, 58.2, 60.0, 63.0),
    "210": (12, 71.4, 48.0, 70.0),
    "220": (13, 45.9, 71.0, 57.0),
    "300": (15, 64.6, 50.0, 69.0),
}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def url(
    name: str, stored: StoredReport, unit_code: str | None = None, personas: Personas | None = None, **extra
) -> str:
    kwargs = {"org_slug": stored.survey.organisation.slug, "survey_id": stored.survey.pk, **extra}
    if unit_code is not None:
        assert personas is not None
        kwargs["unit_id"] = personas.units[unit_code].pk
    return reverse(f"surveys:report:{name}", kwargs=kwargs)


def fill(stored: StoredReport, personas: Personas) -> None:
    for code, (n, trust, demands, satisfaction) in FIGURES.items():
        unit = personas.units[code]
        correlation = {"trust": 0.52, "demands": -0.61} if n >= 25 else {}
        stored.scale_row(unit, "trust", n=n, mean=trust, correlation=correlation.get("trust"))
        stored.scale_row(unit, "demands", n=n, mean=demands, correlation=correlation.get("demands"))
        stored.scale_row(unit, "satisfaction", n=n, mean=satisfaction)
        stored.item_row(
            unit, "t1", n=n, distribution={"100": n // 2, "75": n - n // 2, "50": 0, "25": 0, "0": 0}
        )
    for scale in ("trust", "demands", "satisfaction"):
        stored.scale_row(personas.units["310"], scale)
    stored.item_row(personas.units["310"], "t1")


@pytest.fixture
def stored(personas: Personas) -> StoredReport:
    report = stored_report(personas.org, bank_build(organisation=personas.org))
    fill(report, personas)
    return report


def text_of(html: str) -> str:
    """The page's visible text: tags (and the ids in their attributes) removed."""
    return re.sub(r"<[^>]+>", " ", html)


# Access ---------------------------------------------------------------------------------------------


def test_leader_sees_own_subtree_and_gets_404_on_sibling_and_parent(personas, stored):
    client = client_for(personas.leader)
    own = client.get(url("heatmap", stored, "210", personas), **EN)
    assert own.status_code == 200
    page = own.content.decode()
    assert "Skole A" in page
    assert "71" in text_of(page)
    assert "Skole B" not in page  # the sibling is not a row of the leader's heatmap
    for code in ("220", "200", "310"):
        assert client.get(url("heatmap", stored, code, personas)).status_code == 404, code
        assert client.get(url("overview", stored, code, personas)).status_code == 404, code
        scale = stored.bank.scales["trust"].pk
        assert client.get(url("scale", stored, code, personas, scale_id=scale)).status_code == 404


def test_leader_default_unit_is_their_top_unit(personas, stored):
    Survey.objects.filter(pk=stored.survey.pk).update(release_everyone_at=None)
    response = client_for(personas.leader).get(url("start", stored), **EN)
    assert response.status_code == 200
    assert "Overview: Skole A" in response.content.decode()


def test_hr_sees_every_unit_before_any_release(personas, stored):
    Survey.objects.filter(pk=stored.survey.pk).update(release_leaders_at=None, release_everyone_at=None)
    client = client_for(personas.org_admin)
    response = client.get(url("heatmap", stored, "100", personas), **EN)
    assert response.status_code == 200
    text = text_of(response.content.decode())
    for code, figures in FIGURES.items():
        assert f"{figures[1]:.0f}" in text, code
    assert client_for(personas.leader).get(url("start", stored)).status_code == 404
    assert client_for(personas.employee).get(url("start", stored)).status_code == 404


def test_employee_sees_nothing_before_release_and_own_unit_after(personas, stored):
    later = timezone.now() + timedelta(days=2)
    Survey.objects.filter(pk=stored.survey.pk).update(release_everyone_at=later)
    client = client_for(personas.employee)
    for name in ("start", "guide"):
        assert client.get(url(name, stored)).status_code == 404
    assert client.get(url("overview", stored, "220", personas)).status_code == 404
    list_page = client.get(reverse("surveys:report:list", kwargs={"org_slug": "testby"}), **EN)
    assert "Trivsel 2026" not in list_page.content.decode()

    Survey.objects.filter(pk=stored.survey.pk).update(
        release_everyone_at=timezone.now() - timedelta(minutes=1)
    )
    assert (
        "Trivsel 2026"
        in client.get(reverse("surveys:report:list", kwargs={"org_slug": "testby"})).content.decode()
    )
    own = client.get(url("overview", stored, "220", personas), **EN)
    assert own.status_code == 200
    assert "Overview: Skole B" in own.content.decode()
    start = client.get(url("start", stored), **EN)
    assert "Overview: Skole B" in start.content.decode()  # the report opens on the employee's own unit
    heatmap = client.get(url("heatmap", stored, "100", personas), **EN).content.decode()
    assert "Skole B" in heatmap
    assert "Skole A" not in heatmap
    assert "Ældre" not in heatmap
    for code in ("210", "200", "300"):
        assert client.get(url("overview", stored, code, personas)).status_code == 404, code


def test_med_rep_waits_for_the_leaders_release(personas, stored):
    Survey.objects.filter(pk=stored.survey.pk).update(release_leaders_at=None, release_everyone_at=None)
    client = client_for(personas.med_rep)
    assert client.get(url("overview", stored, "300", personas)).status_code == 404
    Survey.objects.filter(pk=stored.survey.pk).update(
        release_leaders_at=timezone.now() - timedelta(minutes=1)
    )
    assert client.get(url("overview", stored, "300", personas)).status_code == 200
    assert client.get(url("overview", stored, "310", personas)).status_code == 200
    assert client.get(url("overview", stored, "100", personas)).status_code == 404


@pytest.mark.parametrize(
    ("report_status", "ballot_status"),
    [(SurveyReport.Status.PENDING, Ballot.Status.CLOSED), (SurveyReport.Status.DONE, Ballot.Status.OPEN)],
)
def test_report_not_computed_or_survey_open_is_404_even_for_hr(personas, report_status, ballot_status):
    stored = stored_report(
        personas.org, bank_build(organisation=personas.org), status=report_status, ballot_status=ballot_status
    )
    fill(stored, personas)
    client = client_for(personas.org_admin)
    assert client.get(url("start", stored)).status_code == 404
    assert client.get(url("heatmap", stored, "100", personas)).status_code == 404


def test_other_organisations_report_is_404(personas, stored):
    client = client_for(personas.outsider)
    assert client.get(url("start", stored)).status_code == 404
    andenby = reverse(
        "surveys:report:overview",
        kwargs={"org_slug": "andenby", "survey_id": stored.survey.pk, "unit_id": personas.units["100"].pk},
    )
    assert client.get(andenby).status_code == 404


# Hidden results -------------------------------------------------------------------------------------


def test_hidden_unit_shows_only_the_words_and_a_link(personas, stored):
    client = client_for(personas.org_admin)
    heatmap = client.get(url("heatmap", stored, "300", personas), **EN).content.decode()
    row = re.search(r"<tr>\s*<th scope=\"row\"[^>]*><a [^>]*>Plejecenter</a></th>(.*?)</tr>", heatmap, re.S)
    assert row is not None
    assert "Hidden for anonymity" in row.group(1)
    assert not re.search(r"\d", text_of(row.group(1)))
    guide = url("guide", stored)
    assert f'href="{guide}#hidden"' in row.group(1)
    scale = client.get(url("scale", stored, "310", personas, scale_id=stored.bank.scales["trust"].pk), **EN)
    assert "Hidden for anonymity" in scale.content.decode()


def test_hidden_cells_in_danish(personas, stored):
    response = client_for(personas.org_admin).get(
        url("heatmap", stored, "300", personas), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == 200


# Filters --------------------------------------------------------------------------------------------


def test_filtered_heatmap_is_all_or_none_per_unit(personas, stored):
    units = personas.units
    for code, n1, n2 in (("100", 22, 18), ("200", 14, 11)):
        stored.scale_row(units[code], "trust", n=n1, mean=63.1, attribute="job_group", value="Lærer")
        stored.scale_row(units[code], "trust", n=n2, mean=57.7, attribute="job_group", value="Pædagog")
    # 210: one cell hidden, so the stored rows hide both (as the computation does).
    stored.scale_row(units["210"], "trust", attribute="job_group", value="Lærer")
    stored.scale_row(units["210"], "trust", attribute="job_group", value="Pædagog")
    response = client_for(personas.org_admin).get(
        url("heatmap", stored, "200", personas) + "?attribute=job_group", **EN
    )
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\"[^>]*><a [^>]*>([^<]+)</a></th>\s*<th scope=\"row\">([^<]*)</th>", page
    )
    assert ("Børn og Unge", "Lærer") in rows
    assert ("Børn og Unge", "Pædagog") in rows
    school_rows = [value for unit, value in rows if unit == "Skole A"]
    assert school_rows == ["–"]  # one hidden row: not even which groups Skole A has
    assert "63" in text_of(page)
    assert "58" in text_of(page)


def test_filtered_scale_page_hides_all_cells_of_a_unit(personas, stored):
    units = personas.units
    stored.scale_row(units["210"], "trust", n=7, mean=80.0, attribute="job_group", value="Lærer")
    stored.scale_row(units["210"], "trust", attribute="job_group", value="Pædagog")
    scale = stored.bank.scales["trust"].pk
    page = client_for(personas.leader).get(
        url("scale", stored, "210", personas, scale_id=scale) + "?attribute=job_group", **EN
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "The breakdown by Job group is" in html
    assert "Lærer" not in html  # a shown cell of a unit with a hidden cell is not shown either
    assert "80" not in text_of(html)


def test_unknown_attribute_is_404(personas, stored):
    response = client_for(personas.org_admin).get(url("heatmap", stored, "100", personas) + "?attribute=cpr")
    assert response.status_code == 404


# Scale page ------------------------------------------------------------------------------------------


def test_scale_page_shows_distribution_comparisons_and_significance(personas, stored):
    scale = stored.bank.scales["trust"].pk
    response = client_for(personas.org_admin).get(url("scale", stored, "220", personas, scale_id=scale), **EN)
    page = response.content.decode()
    text = text_of(page)
    assert "46" in text  # the unit's score
    assert "The whole organisation" in page
    assert "Børn og Unge (the unit above)" in page
    assert "-15" in text
    assert "notable" in page
    assert "<svg" in page
    assert "Trust?" in page
    assert "Welch" in page
    assert "statistically significant" in page


def test_benchmark_needs_three_organisations_including_this_one(personas, stored):
    bank_code = stored.bank.bank.code
    scale = stored.bank.scales["trust"].pk

    def page():
        return client_for(personas.org_admin).get(url("scale", stored, "100", personas, scale_id=scale), **EN)

    org_services_org = personas.org
    org_services_org.benchmark_opt_in = True
    org_services_org.save()

    others = []
    for i, mean in enumerate((50.0, 70.0)):
        other = org_services.organisation_create(actor=None, name=f"By {i}", slug=f"by-{i}")
        other.benchmark_opt_in = True
        other.save()
        root = org_services.unit_create(organisation=other, code="1", name=f"By {i}")
        other_stored = stored_report(other, bank_build(code=bank_code, organisation=other))
        other_stored.scale_row(root, "trust", n=30, mean=mean)
        others.append(other)
        html = page().content.decode()
        if i == 0:
            assert "Other organisations (benchmark)" not in html  # only two organisations
    html = page().content.decode()
    assert "Other organisations (benchmark)" in html
    assert "3 organisations" in html
    assert "60" in text_of(html)  # the mean of the other two
    personas.org.benchmark_opt_in = False
    personas.org.save()
    assert "Other organisations (benchmark)" not in page().content.decode()  # not shared, not shown


def test_trend_follows_a_unit_mapping(personas):
    bank = bank_build(organisation=personas.org)
    old_school = org_services.unit_create(
        organisation=personas.org, code="209", name="Gammel Skole", parent=personas.units["200"]
    )
    previous = stored_report(personas.org, bank, title="Trivsel 2024", closed_days_ago=400)
    previous.scale_row(old_school, "trust", n=9, mean=52.4)
    UnitMapping.objects.create(organisation=personas.org, old_unit=old_school, new_unit=personas.units["210"])
    current = stored_report(personas.org, bank, previous=previous.survey)
    fill(current, personas)
    scale = bank.scales["trust"].pk
    response = client_for(personas.leader).get(url("scale", current, "210", personas, scale_id=scale), **EN)
    page = response.content.decode()
    assert "Trivsel 2024" in page
    assert "Gammel Skole" in page
    assert "52" in text_of(page)
    overview = (
        client_for(personas.leader).get(url("overview", current, "210", personas), **EN).content.decode()
    )
    assert "+19" in text_of(overview)  # 71.4 - 52.4, notable
    assert "notable" in overview


# Comments and drivers ------------------------------------------------------------------------------


def test_comments_pooled_from_the_subtree_and_hidden_where_too_few(personas, stored):
    units = personas.units
    stored.comments_row(units["200"], shown=True)
    stored.comments_row(units["210"], shown=False)
    stored.comment(units["210"], "Skolegården er for lille")
    stored.comment(units["220"], "Vi mangler en kantine")
    stored.comment(units["310"], "Plejecenterets kommentar")
    client = client_for(personas.org_admin)
    pooled = client.get(url("comments", stored, "200", personas), **EN).content.decode()
    assert "Skolegården er for lille" in pooled
    assert "Vi mangler en kantine" in pooled
    assert "Plejecenterets kommentar" not in pooled  # outside 200
    assert "Skole A" not in pooled.split("<h1>")[1]  # never which unit a comment came from
    hidden = client_for(personas.leader).get(url("comments", stored, "210", personas), **EN).content.decode()
    assert "Skolegården" not in hidden
    assert "Hidden for anonymity" in hidden


def test_drivers_ordered_by_strength_for_units_with_25_or_more(personas, stored):
    client = client_for(personas.org_admin)
    page = client.get(url("drivers", stored, "100", personas), **EN).content.decode()
    assert page.index("Demands") < page.index("Trust") < page.rindex("-0.61") or page.index(
        "-0.61"
    ) < page.index("0.52")
    assert "not that one causes the other" in page
    small = client.get(url("drivers", stored, "210", personas), **EN).content.decode()
    assert "too few respondents" in small


def test_overview_shows_response_rate_top_and_bottom(personas, stored):
    page = client_for(personas.org_admin).get(url("overview", stored, "100", personas), **EN).content.decode()
    assert "Strongest areas" in page
    assert "Areas to look at" in page
    top = page.split('id="top-heading"')[1].split("</ol>")[0]
    assert "Job satisfaction" in top  # 66 is the most favourable (demands 55 counts as 45)
    bottom = page.split('id="bottom-heading"')[1].split("</ol>")[0]
    assert "Demands" in bottom


# HR settings -----------------------------------------------------------------------------------------


def test_hr_sets_release_dates_with_audit(personas, stored):
    client = client_for(personas.org_admin)
    response = client.post(
        url("release", stored),
        {"release_leaders_at": "2030-01-10T08:00", "release_everyone_at": "2030-01-17T08:00"},
    )
    assert response.status_code == 302
    survey = Survey.objects.get(pk=stored.survey.pk)
    assert timezone.localtime(survey.release_everyone_at).day == 17
    assert AuditEntry.objects.filter(action="survey.release", target_id=str(survey.pk)).exists()
    refused = client.post(
        url("release", stored),
        {"release_leaders_at": "2030-01-10T08:00", "release_everyone_at": "2030-01-01T08:00"},
        **EN,
    )
    assert refused.status_code == 200
    assert "same time as leaders or later" in refused.content.decode()
    assert client_for(personas.leader).get(url("release", stored)).status_code == 403


def test_hr_toggles_benchmark_with_audit(personas):
    client = client_for(personas.org_admin)
    address = reverse("surveys:report:benchmark", kwargs={"org_slug": "testby"})
    assert client.post(address, {"opt_in": "on"}).status_code == 302
    personas.org.refresh_from_db()
    assert personas.org.benchmark_opt_in
    assert client.post(address, {}).status_code == 302
    personas.org.refresh_from_db()
    assert not personas.org.benchmark_opt_in
    actions = list(AuditEntry.objects.filter(organisation=personas.org).values_list("action", flat=True))
    assert "organisation.benchmark_opt_in" in actions
    assert "organisation.benchmark_opt_out" in actions
