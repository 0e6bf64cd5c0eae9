"""Files that cannot be imported are refused on the upload form, with the reason at the field."""

import io
import zipfile

import pytest

from puls.organisations.models import ImportJob
from puls.organisations.tests.data.import_files import (
    PEOPLE_HEADER,
    TESTBY_STAFF,
    UNITS_HEADER,
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


def file_errors(response):
    assert response.status_code == 200, "the form should be shown again"
    assert not ImportJob.objects.exists(), "a refused file must not be stored"
    return [str(error) for error in response.context["form"].errors["file"]]


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("medarbejdere.pdf", b"%PDF-1.4 ...", "Choose a CSV file (.csv) or an Excel workbook (.xlsx)."),
        (
            "medarbejdere.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "Choose a CSV file (.csv) or an Excel workbook",
        ),
        ("medarbejdere", b"a;b", "Choose a CSV file (.csv) or an Excel workbook"),
        ("medarbejdere.csv", xlsx_bytes([PEOPLE_HEADER]), "The file is not a text file."),
        ("medarbejdere.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not a text file."),
        ("medarbejdere.xlsx", csv_bytes([PEOPLE_HEADER]), "The file is not an Excel workbook (.xlsx)."),
        ("medarbejdere.xlsx", zip_bytes({"hello.txt": "hi"}), "The file is not an Excel workbook (.xlsx)."),
        (
            "medarbejdere.xlsx",
            zip_bytes({"[Content_Types].xml": "<broken", "xl/workbook.xml": "<broken"}),
            "The workbook could not be read.",
        ),
    ],
)
def test_wrong_file_types_are_refused_by_name_and_by_content(hr, name, content, reason):
    [error] = file_errors(upload(hr, kind="people", name=name, content=content))
    assert error.startswith(reason)


def test_too_big_file_is_refused(hr, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    content = csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF * 10])
    assert len(content) > 1024
    [error] = file_errors(upload(hr, kind="people", name="p.csv", content=content))
    assert "the largest file you can import is 1.0" in error


def test_missing_and_unknown_columns_are_a_file_level_error(hr):
    header = ["Medarbejdernummer", "Fornavn", "Efternavn", "Enhedskode", "Afdeling", "Løn"]
    response = upload(
        hr, kind="people", name="p.csv", content=csv_bytes([header, ["1", "A", "B", "210", "x", "1"]])
    )
    errors = file_errors(response)
    assert errors == [
        "These columns are missing: Stillingsgruppe (Job group), Startdato (Start date), "
        "Fødselsår (Birth year), Leder (Leader).",
        "Puls does not know these columns: Afdeling, Løn. The columns are: Medarbejdernummer, Fornavn, "
        "Efternavn, E-mail, Enhedskode, Stillingsgruppe, Startdato, Fødselsår, Leder.",
    ]
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'aria-invalid="true"' in html


def test_a_units_file_uploaded_as_people_is_refused(hr):
    errors = file_errors(
        upload(hr, kind="people", name="u.csv", content=csv_bytes([UNITS_HEADER, ["1", "A", ""]]))
    )
    assert errors[0].startswith("These columns are missing: Medarbejdernummer")


def test_empty_file_and_header_only_file_are_refused(hr):
    assert file_errors(upload(hr, kind="people", name="p.csv", content=b"\r\n\r\n")) == ["The file is empty."]
    assert file_errors(upload(hr, kind="people", name="p.csv", content=csv_bytes([PEOPLE_HEADER]))) == [
        "The file has a header row but no rows below it."
    ]


@pytest.mark.parametrize("header", ["CPR", "CPR-nr.", "Personnummer", "cpr nummer"])
def test_a_cpr_column_is_refused(hr, header):
    rows = [[*PEOPLE_HEADER, header], [*TESTBY_STAFF[0], "010180-1234"]]
    [error] = file_errors(upload(hr, kind="people", name="p.csv", content=csv_bytes(rows)))
    assert "looks like CPR numbers" in error
    assert "never accepts CPR numbers" in error


def test_a_cpr_number_in_a_row_refuses_the_row_without_showing_it(hr):
    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF,
        ["010180-1234", "Cpr", "Som Nummer", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
        ["0101801234", "Cpr", "Uden Streg", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
        ["7001", "Cpr", "I Navnet 010180-1234", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
    ]
    upload(hr, kind="people", name="p.csv", content=csv_bytes(rows))
    job = ImportJob.objects.get()
    page = hr.get(job_url("import_preview", job))
    errors = page.context["errors"]
    assert [row["number"] for row in errors] == [10, 11, 12]
    assert all("looks like a CPR number" in row["details"][0] for row in errors)
    html = page.content.decode()
    assert "010180-1234" not in html
    assert "0101801234" not in html
    assert "010180-1234" not in str(job.summary)


def test_a_form_without_kind_or_file_says_what_is_missing(hr):
    from django.urls import reverse

    response = hr.post(reverse("organisations:import_start", kwargs={"org_slug": "testby"}), {})
    assert set(response.context["form"].errors) == {"kind", "file"}
