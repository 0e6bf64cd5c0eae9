"""HR imports people from the files their HR system and Excel produce: preview, confirm, re-import."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone

from puls.core.models import AuditEntry
from puls.organisations import services as organisation_services
from puls.organisations.models import Employment, ImportJob, Person, Role, RoleAssignment
from puls.organisations.tests.data.import_files import (
    PEOPLE_HEADER,
    TESTBY_STAFF,
    csv_bytes,
    job_url,
    upload,
    xlsx_bytes,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def hr(client, personas, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    return client


def preview_and_apply(client, *, content, name="medarbejdere.csv", kind="people"):
    response = upload(client, kind=kind, name=name, content=content)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    job = ImportJob.objects.latest("created_at")
    client.post(job_url("import_apply", job), {"action": "apply"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED, job.summary
    return job


def open_employments(employee_number):
    return list(
        Employment.objects.filter(
            person__employee_number=employee_number, end_date__isnull=True
        ).select_related("unit")
    )


def test_windows_1252_semicolon_file_from_danish_excel_imports_after_confirmation(hr, personas):
    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF,
        [
            "  5001 ",
            " Søren ",
            "Ærø  ",
            " Soren.Aero@Testby.test ",
            " 220",
            "Lærer ",
            "15-08-2020",
            "1975",
            "Ja",
        ],
        ["5002", "Åse", "Øster", "", "310", "Social- og sundhedsassistent", "1.3.2019", "1990", "nej"],
    ]
    content = csv_bytes(rows, encoding="cp1252", trailing_blank_lines=3)

    response = upload(hr, kind="people", name="Medarbejdere.csv", content=content)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url("import_preview", job)

    page = hr.get(job_url("import_preview", job))
    html = page.content.decode()
    assert page.context["counts"]["new"] == 2
    assert page.context["counts"]["unchanged"] == len(TESTBY_STAFF)
    assert page.context["counts"]["error"] == 0
    assert "Søren Ærø" in html
    assert "Åse Øster" in html
    assert not Person.objects.filter(employee_number__in=["5001", "5002"]).exists(), (
        "saved before confirmation"
    )

    hr.post(job_url("import_apply", job), {"action": "apply"})

    soren = Person.objects.get(organisation=personas.org, employee_number="5001")
    assert (soren.first_name, soren.last_name, soren.email) == ("Søren", "Ærø", "soren.aero@testby.test")
    [employment] = open_employments("5001")
    assert employment.unit == personas.units["220"]
    assert (employment.job_group, employment.start_date, employment.birth_year) == (
        "Lærer",
        date(2020, 8, 15),
        1975,
    )
    [aase_employment] = open_employments("5002")
    assert aase_employment.start_date == date(2019, 3, 1)
    assert aase_employment.job_group == "Social- og sundhedsassistent"

    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert not job.file, "the uploaded file must be deleted after apply"
    assert job.finished_at is not None
    entry = AuditEntry.objects.get(action="import.apply")
    assert entry.data["new"] == 2
    assert entry.actor == personas.org_admin

    result = hr.get(job_url("import_preview", job)).content.decode()
    assert "The import is done" in result


def test_utf8_with_bom_commas_english_headers_and_other_date_formats(hr, personas):
    header = ["  EMPLOYEE number", "First Name", "last_name ", "Email", "Unit code", "Job group",
              "Start date", "Birth year", "Leader"]  # fmt: skip
    rows = [
        header,
        *TESTBY_STAFF,
        ["6001", "Zoë", "Ødegård", "", "210", "Pædagog", "2021-02-03", "1988", "no"],
        ["6002", "Jens", "Hvid", "", "210", "Pædagog", "03.02.2021", "", "0"],
    ]
    preview_and_apply(hr, content=csv_bytes(rows, encoding="utf-8", delimiter=",", bom=True, line_end="\n"))

    assert Person.objects.get(employee_number="6001").full_name == "Zoë Ødegård"
    assert open_employments("6001")[0].start_date == date(2021, 2, 3)
    jens = open_employments("6002")[0]
    assert (jens.start_date, jens.birth_year) == (date(2021, 2, 3), None)


def test_tab_separated_utf16_file_as_excel_saves_unicode_text(hr):
    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF,
        ["6101", "Ærlig", "Åbo", "", "210", "Pædagog", "01-01-2020", "1970", "x"],
    ]
    content = "\r\n".join("\t".join(row) for row in rows).encode("utf-16")
    preview_and_apply(hr, content=content, name="people.csv")
    assert Person.objects.filter(employee_number="6101", first_name="Ærlig").exists()
    assert RoleAssignment.objects.filter(person__employee_number="6101", role=Role.UNIT_LEADER).exists()


def test_three_bad_rows_are_listed_by_row_number_and_good_rows_saved_only_after_confirm(hr, personas):
    rows = [
        PEOPLE_HEADER,  # row 1
        ["5001", "Anne", "God", "anne@testby.test", "210", "Pædagog", "01-02-2020", "1980", "Nej"],
        ["5002", "Bo", "Dårlig", "bo@", "210", "Pædagog", "01-02-2020", "1980", "Nej"],  # row 3
        ["5003", "Cai", "God", "", "220", "Lærer", "01-02-2020", "1981", "Nej"],
        ["5004", "Dorte", "Dårlig", "", "999", "Lærer", "01-02-2020", "1982", "Nej"],  # row 5
        ["5005", "Eva", "God", "", "310", "SOSU", "01-02-2020", "1983", "Nej"],
        ["5006", "Finn", "Dårlig", "", "310", "SOSU", "31-02-2020", "1984", "Nej"],  # row 7
        *TESTBY_STAFF,
    ]
    people_before = Person.objects.count()
    upload(hr, kind="people", name="medarbejdere.csv", content=csv_bytes(rows, encoding="cp1252"))
    job = ImportJob.objects.get()

    page = hr.get(job_url("import_preview", job))
    errors = {row["number"]: row["details"] for row in page.context["errors"]}
    assert set(errors) == {3, 5, 7}
    assert errors[3] == ["“bo@” is not a valid e-mail address."]
    assert errors[5] == ["Unit code 999 does not exist in Puls. Import the units first."]
    assert errors[7] == ["“31-02-2020” is not a date. Write dates as dd-mm-yyyy."]
    html = page.content.decode()
    assert "3 rows have errors and will not be imported" in html
    assert Person.objects.count() == people_before

    hr.post(job_url("import_apply", job), {"action": "apply"})

    saved = set(
        Person.objects.filter(employee_number__startswith="500").values_list("employee_number", flat=True)
    )
    assert saved == {"5001", "5003", "5005"}
    result = hr.get(job_url("import_preview", job))
    assert [row["number"] for row in result.context["errors"]] == [3, 5, 7]
    assert "Rows that were not imported" in result.content.decode()


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (["2110", "Dublet", "Andersen", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
         "Employee number 2110 also appears in row 4."),
        (["7001", "Ung", "Alder", "", "210", "Pædagog", "01-01-2015", "80", "Nej"],
         "“80” is not a birth year. Write four digits, e.g. 1980."),
        (["7002", "", "Navnløs", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
         "First name is missing."),
        (["7003", "Ida", "Start", "", "210", "Pædagog", "", "1980", "Nej"], "Start date is missing."),
        (["7004", "Ib", "Leder", "", "210", "Pædagog", "01-01-2015", "1980", "måske"],
         "“måske” in the leader column must be yes or no."),
        (["7005", "Åge", "Lukket", "", "999", "Pædagog", "01-01-2015", "1980", "Nej"],
         "Unit code 999 does not exist in Puls. Import the units first."),
    ],
)  # fmt: skip
def test_each_kind_of_bad_row_gets_its_reason(hr, bad_row, reason):
    upload(hr, kind="people", name="p.csv", content=csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF, bad_row]))
    page = hr.get(job_url("import_preview", ImportJob.objects.get()))
    [error] = page.context["errors"]
    assert error["number"] == len(TESTBY_STAFF) + 2
    assert error["details"] == [reason]


def test_reimporting_the_same_file_changes_nothing(hr, personas):
    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF,
        ["5001", "Søren", "Ærø", "soren@testby.test", "220", "Lærer", "15-08-2020", "1975", "Ja"],
        ["5002", "Bo", "Dårlig", "bo@", "210", "Pædagog", "01-02-2020", "1980", "Nej"],
    ]
    content = csv_bytes(rows)
    preview_and_apply(hr, content=content)
    people, employments = Person.objects.count(), list(Employment.objects.values_list("pk", "end_date"))
    roles = list(RoleAssignment.objects.values_list("pk", "units"))
    audit_entries = AuditEntry.objects.count()

    upload(hr, kind="people", name="medarbejdere.csv", content=content)
    job = ImportJob.objects.latest("created_at")
    page = hr.get(job_url("import_preview", job))
    counts = page.context["counts"]
    assert (counts["new"], counts["changed"], counts["absent"]) == (0, 0, 0)
    assert counts["unchanged"] == len(TESTBY_STAFF) + 1
    assert "The file changes nothing in Puls." in page.content.decode()
    hr.post(job_url("import_apply", job), {"action": "apply"})

    assert Person.objects.count() == people
    assert sorted(Employment.objects.values_list("pk", "end_date")) == sorted(employments)
    assert sorted(RoleAssignment.objects.values_list("pk", "units")) == sorted(roles)
    assert AuditEntry.objects.count() == audit_entries + 1
    assert AuditEntry.objects.latest("created_at").action == "import.apply"


def test_person_missing_from_the_next_file_gets_an_end_date_and_is_kept(hr, personas):
    yesterday = timezone.localdate() - timedelta(days=1)
    without_erik = [row for row in TESTBY_STAFF if row[0] != "2201"]
    upload(hr, kind="people", name="p.csv", content=csv_bytes([PEOPLE_HEADER, *without_erik]))
    job = ImportJob.objects.get()
    page = hr.get(job_url("import_preview", job))
    assert page.context["absent"] == [["2201", "Erik Ansat", "220"]]
    assert "People who get an end date" in page.content.decode()
    assert Employment.objects.get(person=personas.employee_person).end_date is None

    hr.post(job_url("import_apply", job), {"action": "apply"})

    erik = Person.objects.get(pk=personas.employee_person.pk)
    assert erik.employments.get().end_date == yesterday
    assert not Person.objects.employed().filter(pk=erik.pk).exists()


def test_new_unit_or_job_group_closes_the_employment_and_opens_a_new_one(hr, personas):
    today = timezone.localdate()
    moved = [row if row[0] != "2201" else [*row[:4], "210", "Lærer", *row[6:]] for row in TESTBY_STAFF]
    upload(hr, kind="people", name="p.csv", content=csv_bytes([PEOPLE_HEADER, *moved]))
    job = ImportJob.objects.get()
    [erik_row] = [
        row for row in hr.get(job_url("import_preview", job)).context["rows"] if row["key"] == "2201"
    ]
    assert erik_row["outcome"] == "changed"
    assert "Unit code: 220 → 210" in erik_row["details"]
    assert "Job group: Pædagog → Lærer" in erik_row["details"]

    hr.post(job_url("import_apply", job), {"action": "apply"})

    old, new = personas.employee_person.employments.order_by("start_date")
    assert (old.unit.code, old.end_date) == ("220", today - timedelta(days=1))
    assert (new.unit.code, new.job_group, new.start_date, new.end_date) == ("210", "Lærer", today, None)
    assert new.birth_year == 1980


def test_name_email_and_birth_year_are_updated_in_place(hr, personas):
    changed = [
        row if row[0] != "2201" else ["2201", "Erik", "Ansat-Berg", "erik@testby.test", "220", "Pædagog",
                                      "01-01-2015", "1981", "Nej"]
        for row in TESTBY_STAFF
    ]  # fmt: skip
    preview_and_apply(hr, content=csv_bytes([PEOPLE_HEADER, *changed]))
    erik = Person.objects.get(pk=personas.employee_person.pk)
    assert (erik.last_name, erik.email) == ("Ansat-Berg", "erik@testby.test")
    [employment] = erik.employments.all()
    assert (employment.birth_year, employment.end_date) == (1981, None)


def test_leader_column_gives_unit_leader_role_for_that_unit_and_takes_it_back(hr, personas):
    leader_row = ["5001", "Lis", "Leder", "", "220", "Leder", "01-01-2020", "1970", "Ja"]
    preview_and_apply(hr, content=csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF, leader_row]))

    assignment = RoleAssignment.objects.get(person__employee_number="5001")
    assert assignment.role == Role.UNIT_LEADER
    assert assignment.from_import
    assert list(assignment.units.all()) == [personas.units["220"]]

    not_leader = [*leader_row[:8], "Nej"]
    # Lea's leader role was given by hand: "Nej" in the file leaves it alone.
    lea_not_leader = [[*row[:8], "Nej"] if row[0] == "2101" else row for row in TESTBY_STAFF]
    preview_and_apply(hr, content=csv_bytes([PEOPLE_HEADER, *lea_not_leader, not_leader]))

    assert not RoleAssignment.objects.filter(person__employee_number="5001").exists()
    lea_role = RoleAssignment.objects.get(person=personas.leader_person, role=Role.UNIT_LEADER)
    assert list(lea_role.units.all()) == [personas.units["210"]]


def test_imported_leader_who_moves_leads_the_new_unit_only(hr, personas):
    leader_row = ["5001", "Lis", "Leder", "", "220", "Leder", "01-01-2020", "1970", "Ja"]
    preview_and_apply(hr, content=csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF, leader_row]))
    moved = [*leader_row[:4], "310", *leader_row[5:]]
    preview_and_apply(hr, content=csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF, moved]))
    assignment = RoleAssignment.objects.get(person__employee_number="5001")
    assert list(assignment.units.all()) == [personas.units["310"]]


def test_xlsx_workbook_with_date_and_number_cells(hr, personas):
    rows = [
        PEOPLE_HEADER,
        *[[*row[:6], date(2015, 1, 1), int(row[7]), row[8]] for row in TESTBY_STAFF],
        [8001, "Karen", "Blixen", "karen@testby.test", 220, "Lærer", date(2019, 9, 30), 1985, "ja"],
        [8002, "Niels", "Bohr", None, "310", "SOSU", "01-10-2019", 1962.0, True],
        [],
        [None, None, None],
    ]
    preview_and_apply(hr, content=xlsx_bytes(rows), name="Medarbejdere.xlsx")

    karen = Person.objects.get(employee_number="8001")
    [employment] = karen.employments.all()
    assert (employment.unit.code, employment.start_date, employment.birth_year) == (
        "220",
        date(2019, 9, 30),
        1985,
    )
    niels = Person.objects.get(employee_number="8002")
    assert niels.employments.get().birth_year == 1962
    assert RoleAssignment.objects.filter(
        person=niels, role=Role.UNIT_LEADER, units=personas.units["310"]
    ).exists()
    assert not Employment.objects.filter(person__organisation=personas.org, end_date__isnull=False).exists()


def test_xlsx_bad_rows_are_numbered_as_excel_shows_them(hr):
    rows = [PEOPLE_HEADER, *TESTBY_STAFF, [], ["8003", "Mads", "Fejl", "", "210", "", "i går", "", "Nej"]]
    upload(hr, kind="people", name="p.xlsx", content=xlsx_bytes(rows))
    [error] = hr.get(job_url("import_preview", ImportJob.objects.get())).context["errors"]
    assert error["number"] == len(TESTBY_STAFF) + 3


def test_failure_in_the_middle_of_apply_saves_nothing(hr, personas, monkeypatch):
    rows = [
        PEOPLE_HEADER,
        *[row for row in TESTBY_STAFF if row[0] != "2201"],
        ["5001", "Lis", "Leder", "", "220", "Leder", "01-01-2020", "1970", "Ja"],
    ]
    upload(hr, kind="people", name="p.csv", content=csv_bytes(rows))
    job = ImportJob.objects.get()

    def broken_role_assign(**kwargs):
        raise RuntimeError("database went away")

    # People and employments are written before the leader roles, so this fails half-way.
    monkeypatch.setattr(organisation_services, "role_assign", broken_role_assign)
    hr.post(job_url("import_apply", job), {"action": "apply"})

    assert not Person.objects.filter(employee_number="5001").exists()
    assert Employment.objects.get(person=personas.employee_person).end_date is None
    assert not AuditEntry.objects.filter(action="import.apply").exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    page = hr.get(job_url("import_preview", job)).content.decode()
    assert "nothing was saved" in page


def test_a_job_is_applied_once_even_if_confirmed_twice(hr):
    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF,
        ["5001", "Lis", "Leder", "", "220", "Leder", "01-01-2020", "1970", "Ja"],
    ]
    job = preview_and_apply(hr, content=csv_bytes(rows))
    response = hr.post(job_url("import_apply", job), {"action": "apply"}, follow=True)
    assert "already been applied" in response.content.decode()
    assert AuditEntry.objects.filter(action="import.apply").count() == 1


def test_changes_made_after_the_preview_need_a_new_confirmation(hr, personas):
    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF,
        ["5001", "Lis", "Leder", "", "220", "Leder", "01-01-2020", "1970", "Nej"],
    ]
    upload(hr, kind="people", name="p.csv", content=csv_bytes(rows))
    job = ImportJob.objects.get()
    Person.objects.filter(pk=personas.employee_person.pk).update(first_name="Erika")

    hr.post(job_url("import_apply", job), {"action": "apply"})
    page = hr.get(job_url("import_preview", job))
    assert "The data changed after the preview" in page.content.decode()
    assert not Person.objects.filter(employee_number="5001").exists()

    hr.post(job_url("import_apply", job), {"action": "apply"})
    assert Person.objects.filter(employee_number="5001").exists()
    assert Person.objects.get(pk=personas.employee_person.pk).first_name == "Erik"


def test_cancelling_deletes_the_file_and_changes_nothing(hr):
    rows = [PEOPLE_HEADER, ["5001", "Lis", "Leder", "", "220", "Leder", "01-01-2020", "1970", "Nej"]]
    upload(hr, kind="people", name="p.csv", content=csv_bytes(rows))
    job = ImportJob.objects.get()
    stored = job.file.path
    hr.post(job_url("import_apply", job), {"action": "cancel"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not job.file
    assert not Person.objects.filter(employee_number="5001").exists()
    assert not Employment.objects.filter(end_date__isnull=False).exists()
    assert not os.path.exists(stored)


def test_a_failing_preview_says_so_and_keeps_nothing(hr, monkeypatch):
    from puls.organisations.imports import services as import_services

    def broken_planner(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(import_services, "plan_people", broken_planner)
    upload(hr, kind="people", name="p.csv", content=csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF]))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert not job.file
    page = hr.get(job_url("import_preview", job)).content.decode()
    assert "Something went wrong while checking the file" in page
