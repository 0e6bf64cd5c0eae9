"""HR imports people from a Danish Excel CSV: preview with the bad row, confirm, find the new people."""

import re

import pytest
from playwright.sync_api import FilePayload, Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, log_in, visit
from puls.organisations.models import Employment, Person, RoleAssignment

pytestmark = pytest.mark.browser

HEADER = "Medarbejdernummer;Fornavn;Efternavn;E-mail;Enhedskode;Stillingsgruppe;Startdato;Fødselsår;Leder"
NEW_PEOPLE = [
    "7001;Søren;Æbelø;soeren.aebeloe@testby.test;210;Lærer;01-08-2025;1988;nej",
    "7002;Birgitte;Østergård;;310;Social- og sundhedsassistent;15-09-2025;1975;nej",
]
BAD_ROW = "7003;Bo;Fejlsted;bo@testby.test;999;Lærer;01-08-2025;1990;nej"  # no unit 999


def payroll_export(site: Site) -> bytes:
    """Everyone Testby employs today, two new people and one row with an unknown unit: what a
    payroll system exports, saved by Danish Excel (semicolons, Windows-1252, CRLF)."""
    leaders = {
        (assignment.person_id, unit.pk)
        for assignment in RoleAssignment.objects.filter(role="unit_leader").prefetch_related("units")
        for unit in assignment.units.all()
    }
    lines = [HEADER]
    for employment in (
        Employment.objects.current()
        .filter(person__organisation=site.personas.org)
        .select_related("person", "unit")
    ):
        person = employment.person
        leader = "ja" if (person.pk, employment.unit_id) in leaders else "nej"
        lines.append(
            f"{person.employee_number};{person.first_name};{person.last_name};{person.email};"
            f"{employment.unit.code};{employment.job_group};{employment.start_date:%d-%m-%Y};"
            f"{employment.birth_year};{leader}"
        )
    lines += [*NEW_PEOPLE, BAD_ROW]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_hr_imports_people_and_finds_them_in_the_search(page: Page, site: Site):
    employed_before = Person.objects.filter(organisation=site.personas.org).employed().count()
    log_in(page, site, site.personas.org_admin.email)
    visit(page, site.org_url("organisations:import_start"))

    page.locator("#id_kind").select_option("people")
    page.locator("#id_file").set_input_files(
        files=FilePayload(name="medarbejdere.csv", mimeType="text/csv", buffer=payroll_export(site))
    )
    with page.expect_navigation():
        page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()

    # The preview: nothing saved yet, the bad row listed with its Excel row number.
    assert "/import/" in page.url
    assert_accessible(page)
    bad_rows = page.locator("#import-error-rows tbody tr")
    expect(bad_rows).to_have_count(1)
    expect(bad_rows.first).to_contain_text("7003")
    expect(bad_rows.first).to_contain_text("999")
    row_number = str(len(payroll_export(site).decode("cp1252").splitlines()))  # the last row
    expect(bad_rows.first.locator("th")).to_have_text(row_number)
    assert not Person.objects.filter(employee_number__in=["7001", "7002"]).exists()

    with page.expect_navigation():
        page.locator("button[name=action][value=apply]").click()

    # The result: done, with the row that was not imported.
    assert_accessible(page)
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#import-error-rows tbody tr")).to_have_count(1)
    assert Person.objects.filter(organisation=site.personas.org).employed().count() == employed_before + 2
    soeren = Person.objects.get(organisation=site.personas.org, employee_number="7001")
    assert soeren.last_name == "Æbelø"
    assert soeren.employments.get().start_date.isoformat() == "2025-08-01"
    assert not Person.objects.filter(employee_number="7003").exists()

    # The new people turn up in the people search as HR types (htmx updates the results).
    visit(page, site.org_url("organisations:person_list"))
    results = page.locator("#person-results")
    expect(results).to_contain_text("Ansat")
    page.locator("#id_q").press_sequentially("Østerg", delay=30)
    expect(results).to_contain_text("Birgitte Østergård")
    expect(results).not_to_contain_text("Ansat")
    expect(page).to_have_url(re.compile(r"[?&]q=%C3%98sterg"))  # the search is in the address, for Back
    assert_accessible(page)

    page.locator("#id_q").fill("")
    page.locator("#id_q").press_sequentially("7001", delay=30)
    expect(results).to_contain_text("Æbelø")
    expect(results).not_to_contain_text("Østergård")
    assert_accessible(page)
