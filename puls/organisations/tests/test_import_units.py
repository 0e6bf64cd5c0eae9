"""HR imports the unit tree: created and renamed by code, moved by parent, never deleted."""

import pytest

from puls.core.models import AuditEntry
from puls.organisations.models import Employment, ImportJob, Unit
from puls.organisations.tests.data.import_files import UNITS_HEADER, csv_bytes, job_url, upload, xlsx_bytes

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def hr(client, personas, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    return client


def unit(code, org_slug="testby"):
    return Unit.objects.get(organisation__slug=org_slug, code=code)


def assert_tree_consistent():
    for each in Unit.objects.select_related("parent"):
        expected = (each.parent.path if each.parent else "") + f"{each.pk.hex}/"
        assert each.path == expected, each.code
        assert each.depth == expected.count("/") - 1, each.code


UNITS_FILE = [
    UNITS_HEADER,  # row 1
    ["410", "Skole C", "400"],  # row 2: its parent comes later in the file
    ["400", "Kultur og Fritid", "100"],
    ["411", "Bibliotek", "400"],
    ["220", "Skole B (ny)", "200"],  # row 5: renamed
    ["310", "Plejecenter", "200"],  # row 6: moved from 300 to 200
    ["500", "Ukendt forælder", "999"],  # row 7
    ["600", "Kreds A", "601"],  # row 8
    ["601", "Kreds B", "600"],  # row 9
    ["700", "Under kredsen", "600"],  # row 10
    ["", "Uden kode", "100"],  # row 11
    ["100", "Testby Kommune", ""],
]


def test_units_file_creates_renames_and_moves_with_parents_after_children(hr, personas):
    upload(hr, kind="units", name="Enheder.csv", content=csv_bytes(UNITS_FILE, encoding="cp1252"))
    job = ImportJob.objects.get()
    page = hr.get(job_url("import_preview", job))
    by_number = {row["number"]: row for row in page.context["rows"]}
    assert by_number[2]["outcome"] == by_number[3]["outcome"] == "new"
    assert by_number[5]["details"] == ["Name: Skole B → Skole B (ny)"]
    assert by_number[6]["details"] == ["Parent unit code: 300 → 200"]
    assert by_number[12]["outcome"] == "unchanged"
    errors = {row["number"]: row["details"] for row in page.context["errors"]}
    assert errors == {
        7: ["Parent unit 999 is neither in the file nor in Puls."],
        8: ["The parent units form a cycle: 600 → 601 → 600."],
        9: ["The parent units form a cycle: 600 → 601 → 600."],
        10: ["Parent unit 600 cannot be imported because its row has errors."],
        11: ["Unit code is missing."],
    }
    # Units missing from the file are listed and kept.
    assert sorted(code for code, _name in page.context["absent"]) == ["200", "210", "300"]
    assert not Unit.objects.filter(code="400").exists()

    hr.post(job_url("import_apply", job), {"action": "apply"})

    assert unit("400").parent == unit("100")
    assert unit("410").parent == unit("411").parent == unit("400")
    assert unit("410").is_within(unit("100"))
    assert unit("220").name == "Skole B (ny)"
    assert unit("310").parent == unit("200")
    assert unit("310").is_within(unit("200"))
    assert Employment.objects.filter(unit=unit("310")).count() == 2, "staff move with their unit"
    assert Unit.objects.filter(organisation=personas.org, code__in=["200", "210", "300"]).count() == 3
    assert not Unit.objects.filter(code__in=["500", "600", "601", "700"]).exists()
    assert_tree_consistent()
    assert unit("100", "andenby").name == "Andenby Rådhus", "another organisation's unit 100 is untouched"


def test_reimporting_the_units_file_changes_nothing(hr):
    content = xlsx_bytes(UNITS_FILE)
    upload(hr, kind="units", name="Enheder.xlsx", content=content)
    hr.post(job_url("import_apply", ImportJob.objects.get()), {"action": "apply"})
    units = sorted(Unit.objects.values_list("pk", "code", "name", "parent_id", "path"))
    audit_entries = AuditEntry.objects.count()

    upload(hr, kind="units", name="Enheder.xlsx", content=content)
    job = ImportJob.objects.latest("created_at")
    counts = hr.get(job_url("import_preview", job)).context["counts"]
    assert (counts["new"], counts["changed"]) == (0, 0)
    hr.post(job_url("import_apply", job), {"action": "apply"})

    assert sorted(Unit.objects.values_list("pk", "code", "name", "parent_id", "path")) == units
    assert AuditEntry.objects.count() == audit_entries + 1


def test_moving_a_unit_under_its_own_child_is_a_cycle(hr):
    rows = [UNITS_HEADER, ["200", "Børn og Unge", "210"]]
    upload(hr, kind="units", name="u.csv", content=csv_bytes(rows))
    [error] = hr.get(job_url("import_preview", ImportJob.objects.get())).context["errors"]
    assert error["details"] == ["The parent units form a cycle: 200 → 210 → 200."]


def test_swapping_parent_and_child_in_one_file_works(hr):
    rows = [UNITS_HEADER, ["210", "Skole A", "100"], ["200", "Børn og Unge", "210"]]
    upload(hr, kind="units", name="u.csv", content=csv_bytes(rows))
    hr.post(job_url("import_apply", ImportJob.objects.get()), {"action": "apply"})
    assert unit("210").parent == unit("100")
    assert unit("200").parent == unit("210")
    assert unit("220").is_within(unit("210"))
    assert_tree_consistent()


def test_duplicate_unit_code_in_the_file(hr):
    rows = [UNITS_HEADER, ["800", "Ny", "100"], ["800", "Ny igen", "100"]]
    upload(hr, kind="units", name="u.csv", content=csv_bytes(rows))
    [error] = hr.get(job_url("import_preview", ImportJob.objects.get())).context["errors"]
    assert (error["number"], error["details"]) == (3, ["Unit code 800 also appears in row 2."])
