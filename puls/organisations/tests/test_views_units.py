"""The unit tree and unit pages show each viewer their own part of the organisation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from puls.organisations import services
from puls.organisations.models import Role
from puls.testing import make_person

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def visit(client, settings):
    settings.LANGUAGE_CODE = "en"

    def get(user, url, **params):
        client.force_login(user, backend=MODEL_BACKEND)
        return client.get(url, params)

    return get


def tree_url(org_slug="testby"):
    return reverse("organisations:unit_tree", kwargs={"org_slug": org_slug})


def unit_url(unit, org_slug="testby"):
    return reverse("organisations:unit_detail", kwargs={"org_slug": org_slug, "unit_id": unit.pk})


def test_hr_sees_the_whole_tree_with_both_counts_labelled(personas, visit):
    html = visit(personas.org_admin, tree_url()).content.decode()
    for code, unit in personas.units.items():
        assert f"{code} {unit.name}" in html
        assert unit_url(unit) in html
    assert "Employed directly:" in html
    assert "Total:" in html


def test_top_level_is_expanded_and_deeper_levels_collapsed(personas, visit):
    html = visit(personas.org_admin, tree_url()).content.decode()
    root, boern = personas.units["100"], personas.units["200"]
    assert f'aria-expanded="true" aria-controls="subunits-{root.pk.hex}"' in html
    assert f'aria-expanded="false" aria-controls="subunits-{boern.pk.hex}"' in html
    assert f'<ul id="subunits-{boern.pk.hex}" hidden>' in html
    assert f'<ul id="subunits-{root.pk.hex}">' in html


def test_leader_sees_210_but_not_220_or_300(personas, visit):
    html = visit(personas.leader, tree_url()).content.decode()
    assert "210 Skole A" in html
    assert "220 Skole B" not in html
    assert "300 Ældre" not in html
    assert "100 Testby Kommune" not in html


def test_med_rep_sees_300_and_310(personas, visit):
    html = visit(personas.med_rep, tree_url()).content.decode()
    assert "300 Ældre" in html
    assert "310 Plejecenter" in html
    assert "Skole" not in html


def test_employee_has_no_unit_tree(personas, visit):
    assert visit(personas.employee, tree_url()).status_code == 403


def test_closed_units_are_hidden_unless_asked_for(personas, visit):
    personas.units["220"].closed_on = timezone.localdate() - timedelta(days=1)
    personas.units["220"].save()

    assert "220 Skole B" not in visit(personas.org_admin, tree_url()).content.decode()
    shown = visit(personas.org_admin, tree_url(), closed="1").content.decode()
    assert "220 Skole B" in shown
    assert "Closed" in shown


def test_unit_detail_shows_breadcrumbs_sub_units_people_and_counts(personas, visit):
    html = visit(personas.org_admin, unit_url(personas.units["200"])).content.decode()
    assert "<h1>Børn og Unge</h1>" in html
    assert unit_url(personas.units["100"]) in html  # breadcrumb to the parent
    assert "210 Skole A" in html
    assert "220 Skole B" in html
    # People of the whole subtree: Lea and the Annas in 210, Erik in 220.
    for name in ("Lea Leder", "Anna0 Andersen", "Erik Ansat"):
        assert name in html
    assert "Mette Med" not in html
    assert "Role holders" in html


def test_unit_detail_lists_the_role_holders_of_the_unit_for_hr(personas, visit):
    html = visit(personas.org_admin, unit_url(personas.units["210"])).content.decode()
    assert "Role holders" in html
    assert "Lea Leder" in html
    assert "Unit leader" in html


def test_leader_gets_breadcrumbs_only_within_their_scope_and_no_role_holders(personas, visit):
    html = visit(personas.leader, unit_url(personas.units["210"])).content.decode()
    assert "<h1>Skole A</h1>" in html
    assert unit_url(personas.units["200"]) not in html
    assert unit_url(personas.units["100"]) not in html
    assert "Role holders" not in html


@pytest.mark.parametrize(("persona", "code"), [("leader", "220"), ("leader", "200"), ("med_rep", "210")])
def test_units_outside_the_scope_are_not_found(personas, visit, persona, code):
    assert visit(getattr(personas, persona), unit_url(personas.units[code])).status_code == 404


def test_med_rep_opens_a_sub_unit_they_represent(personas, visit):
    response = visit(personas.med_rep, unit_url(personas.units["310"]))
    assert response.status_code == 200
    assert "Ole Uden-Mail" in response.content.decode()


def test_outsider_finds_neither_the_organisation_nor_its_units_through_their_own(personas, visit):
    assert visit(personas.outsider, tree_url()).status_code == 404
    assert visit(personas.outsider, unit_url(personas.units["100"])).status_code == 404
    assert visit(personas.outsider, unit_url(personas.units["100"], org_slug="andenby")).status_code == 404


def test_people_of_a_unit_are_paginated_by_50(personas, visit):
    for i in range(55):
        make_person(personas.org, personas.units["310"], f"5{i:03d}", f"Extra{i:02d}", "Person")
    person_link = '<th scope="row"><a href="/o/testby/people/'
    first = visit(personas.org_admin, unit_url(personas.units["310"])).content.decode()
    assert "Page 1 of 2" in first
    assert first.count(person_link) == 50
    # 55 extra people plus Mette and Ole, sorted by last name: Ole is last.
    second = visit(personas.org_admin, unit_url(personas.units["310"]), page="2").content.decode()
    assert "Page 2 of 2" in second
    assert second.count(person_link) == 7
    assert "Ole Uden-Mail" in second


def test_leader_with_two_units_sees_both_subtrees(personas, visit):
    services.role_assign(
        actor=None, person=personas.leader_person, role=Role.UNIT_LEADER, units=[personas.units["310"]]
    )
    html = visit(personas.leader, tree_url()).content.decode()
    assert "210 Skole A" in html
    assert "310 Plejecenter" in html
    assert "220 Skole B" not in html
