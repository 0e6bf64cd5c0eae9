"""The shipped item bank and the import of licensed banks (JSON, XLSX, page, command)."""

import io
import json
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from puls.core.models import AuditEntry
from puls.surveys import itembank, services
from puls.surveys.models import Domain, Item, ItemBank, Questionnaire, ReferenceValue, Scale, SectionItem
from puls.surveys.tests.admin_setup import logged_in


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def shipped() -> ItemBank:
    return ItemBank.objects.get(organisation__isnull=True, code=itembank.SHIPPED_BANK_CODE)


# The shipped bank --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_ships_a_bilingual_bank_of_at_least_15_scales_and_60_items():
    bank = shipped()
    scales = list(bank.scales.all())
    items = list(bank.items.all())
    assert len(scales) >= 15
    assert len(items) >= 60
    assert all(item.text_da.strip() and item.text_en.strip() for item in items)
    assert all(scale.name_da and scale.name_en for scale in scales)
    assert all(scale.items.exists() for scale in scales)
    assert any(item.reversed for item in items)
    assert [scale.code for scale in scales if scale.is_outcome] == ["job_satisfaction"]
    assert {False, True} == {scale.higher_is_better for scale in scales}
    assert "EUPL" in bank.licence_note


@pytest.mark.django_db
def test_the_shipped_bank_covers_the_danish_domains_and_the_apv_items():
    bank = shipped()
    domains = set(bank.domains.values_list("code", flat=True))
    assert {
        "demands",
        "organisation",
        "leadership",
        "work_life",
        "social_capital",
        "offensive",
        "health",
    } <= domains
    assert {"physical", "absence"} <= domains
    codes = {item.code: item for item in bank.items.all()}
    # Offensive behaviour: single choice from "no" to "daily", asked one by one (no scale).
    bullying = codes["offensive_bullying"]
    assert bullying.kind == Item.Kind.SINGLE
    assert bullying.scale is None
    assert [option["en"] for option in bullying.options] == [
        "No",
        "Yes, a few times",
        "Yes, monthly",
        "Yes, weekly",
        "Yes, daily",
    ]
    # Physical environment: noise, indoor climate, lighting, space, lifting and postures.
    physical = " ".join(item.text_en.lower() for item in bank.items.filter(scale__domain__code="physical"))
    for word in ("noise", "temperature", "lighting", "space", "lift", "postures"):
        assert word in physical
    # Sickness absence is asked about the workplace, never about the person's own absence.
    assert (
        codes["absence_contribution"].text_en == "Conditions at my workplace contribute to sickness absence."
    )
    assert codes["open_more"].kind == codes["open_change"].kind == Item.Kind.FREE_TEXT
    likert = [item for item in codes.values() if item.kind == Item.Kind.LIKERT]
    assert all(len(item.options) == 5 for item in likert)
    assert codes["workload_1"].options[0] == {"da": "Altid", "en": "Always"}
    assert codes["influence_1"].options[-1] == {"da": "I meget lav grad", "en": "To a very small extent"}


@pytest.mark.django_db
def test_trivsel_and_apv_templates_are_shipped_with_sections():
    trivsel = Questionnaire.objects.get(organisation__isnull=True, kind=Questionnaire.Kind.TRIVSEL)
    apv = Questionnaire.objects.get(organisation__isnull=True, kind=Questionnaire.Kind.APV)
    trivsel_sections = [section.title_en for section in trivsel.sections.all()]
    assert trivsel_sections[0] == "Demands at work"
    assert "Your comments" in trivsel_sections
    trivsel_items = set(
        SectionItem.objects.filter(section__questionnaire=trivsel).values_list("item__code", flat=True)
    )
    assert {"satisfaction_1", "offensive_bullying", "open_more", "open_change"} <= trivsel_items
    apv_items = set(
        SectionItem.objects.filter(section__questionnaire=apv).values_list("item__code", flat=True)
    )
    assert {"indoor_1", "strain_1", "absence_contribution", "workload_1", "open_environment"} <= apv_items


def test_item_texts_are_not_copsoq_wording():
    """A few well-known COPSOQ II/III phrasings must not appear in our own bank."""
    text = itembank.SHIPPED_BANK_PATH.read_text(encoding="utf-8").lower()
    for phrase in (
        "kommer du bagud med dit arbejde",
        "har du stor indflydelse på beslutninger om dit arbejde",
        "bliver du informeret i god tid",
        "er dit arbejde meningsfuldt",
        "hvor tilfreds er du med dit arbejde som helhed",
    ):
        assert phrase not in text


# Import -------------------------------------------------------------------------------------------


def small_bank(**extra: object) -> dict:
    bank = {
        "format": "puls-itembank/1",
        "code": "licensed",
        "name": "Licensed bank",
        "licence_note": "Licensed to Testby Kommune",
        "domains": [{"code": "demands", "name_da": "Krav", "name_en": "Demands"}],
        "scales": [
            {
                "code": "pace",
                "domain": "demands",
                "name_da": "Tempo",
                "name_en": "Pace",
                "higher_is_better": False,
            }
        ],
        "items": [
            {
                "code": "p1",
                "scale": "pace",
                "options": "frequency",
                "text_da": "Spørgsmål 1",
                "text_en": "Q 1",
            },
            {"code": "p2", "scale": "pace", "reversed": True, "text_da": "Spørgsmål 2", "text_en": "Q 2"},
            {"code": "free", "kind": "text", "text_da": "Fritekst", "text_en": "Free text"},
        ],
        "reference_values": [
            {"scale": "pace", "population": "Denmark, all", "year": 2024, "mean": 58.5, "n": 3000}
        ],
    }
    bank.update(extra)
    return bank


def json_upload(data: dict) -> io.BytesIO:
    return io.BytesIO(json.dumps(data).encode())


def test_json_import_creates_an_organisation_bank_with_reference_values_and_a_questionnaire(personas):
    bank = services.item_bank_import(
        actor=personas.org_admin,
        organisation=personas.org,
        stream=json_upload(small_bank()),
        file_name="bank.json",
    )
    assert bank.organisation == personas.org
    assert bank.licence_note == "Licensed to Testby Kommune"
    pace = bank.scales.get(code="pace")
    assert pace.higher_is_better is False
    assert [item.code for item in pace.items.all()] == ["p1", "p2"]
    assert pace.items.get(code="p2").reversed is True
    assert pace.items.get(code="p1").options[0]["en"] == "Always"
    assert pace.items.get(code="p2").options[0]["en"] == "To a very large extent"
    reference = ReferenceValue.objects.get(scale=pace)
    assert (reference.population, reference.year, reference.mean, reference.n) == (
        "Denmark, all",
        2024,
        58.5,
        3000,
    )
    questionnaire = Questionnaire.objects.get(organisation=personas.org)
    assert questionnaire.name == "Licensed bank"
    assert [s.title_da for s in questionnaire.sections.all()] == ["Krav", "Øvrige spørgsmål"]
    assert AuditEntry.objects.filter(action="surveys.item_bank_import", organisation=personas.org).exists()


def test_json_import_reports_every_bad_row_and_saves_nothing(personas):
    data = small_bank()
    data["items"][0]["scale"] = "nope"
    data["items"][2]["kind"] = "essay"
    data["reference_values"][0]["mean"] = 140
    before = (ItemBank.objects.count(), Item.objects.count())
    with pytest.raises(itembank.ItemBankError) as caught:
        services.item_bank_import(
            actor=None, organisation=personas.org, stream=json_upload(data), file_name="bank.json"
        )
    where = {(error.sheet, error.row) for error in caught.value.errors}
    assert where == {("items", 1), ("items", 3), ("reference_values", 1)}
    assert (ItemBank.objects.count(), Item.objects.count()) == before


def test_a_bank_code_is_unique_within_the_organisation(personas):
    services.item_bank_import(
        actor=None, organisation=personas.org, stream=json_upload(small_bank()), file_name="b.json"
    )
    with pytest.raises(itembank.ItemBankError, match="already exists"):
        services.item_bank_import(
            actor=None, organisation=personas.org, stream=json_upload(small_bank()), file_name="b.json"
        )
    # Another organisation may use the same code.
    services.item_bank_import(
        actor=None, organisation=personas.other_org, stream=json_upload(small_bank()), file_name="b.json"
    )


def workbook(*, bad: bool) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.title = "domains"
    book["domains"].append(["code", "name_da", "name_en"])
    book["domains"].append(["krav", "Krav i arbejdet", "Demands at work"])
    book["domains"].append(["ledelse", "Ledelse", "Leadership"])
    scales = book.create_sheet("scales")
    scales.append(["code", "domain", "name_da", "name_en", "higher_is_better", "is_outcome"])
    scales.append(["tempo", "krav", "Tempo", "Pace", "nej", ""])
    scales.append(["ledelse", "ledelsen" if bad else "ledelse", "Ledelse", "Leadership", "ja", "ja"])
    items = book.create_sheet("items")
    items.append(["code", "scale", "kind", "text_da", "text_en", "options", "reversed"])
    items.append(["t1", "tempo", "likert", "Tempo 1", "Pace 1", "frequency", ""])
    items.append(["t2", "tempo", "likert", "Tempo 2", "Pace 2", "frequency", "ja"])
    items.append(["l1", "ledelse", "likert", "Ledelse 1", "Leadership 1", "", ""])
    items.append(["l2", "ledelse", "likert", "" if bad else "Ledelse 2", "Leadership 2", "", ""])
    references = book.create_sheet("reference_values")
    references.append(["scale", "population", "year", "mean", "n"])
    references.append(["tempo", "Kommuner", 2023, 61.2, 12000])
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    return stream


def test_xlsx_import_with_two_bad_rows_lists_both_and_saves_nothing(personas):
    before = (ItemBank.objects.count(), Domain.objects.count(), Scale.objects.count(), Item.objects.count())
    with pytest.raises(itembank.ItemBankError) as caught:
        services.item_bank_import(
            actor=None, organisation=personas.org, stream=workbook(bad=True), file_name="copsoq.xlsx"
        )
    errors = caught.value.errors
    assert [(error.sheet, error.row) for error in errors] == [("scales", 3), ("items", 5)]
    assert "ledelsen" in errors[0].message
    assert "text_da" in errors[1].message
    assert str(errors[1]).startswith("items, row 5:")
    after = (ItemBank.objects.count(), Domain.objects.count(), Scale.objects.count(), Item.objects.count())
    assert after == before


def test_xlsx_import_of_a_good_workbook(personas):
    bank = services.item_bank_import(
        actor=None, organisation=personas.org, stream=workbook(bad=False), file_name="COPSOQ 2025.xlsx"
    )
    assert bank.name == "COPSOQ 2025"
    assert bank.code == "copsoq-2025"
    assert list(bank.scales.values_list("code", "higher_is_better", "is_outcome")) == [
        ("tempo", False, False),
        ("ledelse", True, True),
    ]
    assert bank.items.get(code="t2").reversed is True
    assert ReferenceValue.objects.get(scale__bank=bank).mean == pytest.approx(61.2)


def test_a_workbook_without_the_required_sheets_is_refused(personas):
    book = openpyxl.Workbook()
    book.active.title = "domains"
    stream = io.BytesIO()
    book.save(stream)
    stream.seek(0)
    with pytest.raises(itembank.ItemBankError) as caught:
        services.item_bank_import(actor=None, organisation=personas.org, stream=stream, file_name="x.xlsx")
    assert {error.sheet for error in caught.value.errors} == {"scales", "items"}


# Upload page and command ---------------------------------------------------------------------------


def test_upload_page_lists_the_bad_rows_with_sheet_and_row(personas):
    client = logged_in(personas.org_admin)
    upload = SimpleUploadedFile("copsoq.xlsx", workbook(bad=True).getvalue())
    response = client.post(
        reverse("surveys:item_bank_upload", kwargs={"org_slug": "testby"}), {"file": upload}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 problems in the file" in html
    assert "Nothing was saved" in html
    rows = re.findall(r"<tr><td>(\w+)</td><td class=\"align-text-right\">(\d+)</td>", html)
    assert rows == [("scales", "3"), ("items", "5")]
    assert not ItemBank.objects.filter(organisation=personas.org).exists()


def test_upload_page_loads_a_good_bank(personas):
    client = logged_in(personas.org_admin)
    upload = SimpleUploadedFile("bank.json", json.dumps(small_bank()).encode())
    response = client.post(
        reverse("surveys:item_bank_upload", kwargs={"org_slug": "testby"}),
        {"file": upload, "name": "DPQ 2025"},
    )
    bank = ItemBank.objects.get(organisation=personas.org)
    assert bank.name == "DPQ 2025"
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "surveys:item_bank_detail", kwargs={"org_slug": "testby", "bank_id": bank.pk}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Spørgsmål 1" in page
    assert "Denmark, all" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bank.csv", b"code;name\n", "Upload a .json or .xlsx file."),
        ("bank.xlsx", b"{}", "not an Excel workbook"),
        ("bank.json", b"PK\x03\x04rest", "not a JSON text file"),
    ],
)
def test_upload_checks_the_file_type(personas, name, content, message):
    client = logged_in(personas.org_admin)
    response = client.post(
        reverse("surveys:item_bank_upload", kwargs={"org_slug": "testby"}),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ItemBank.objects.filter(organisation=personas.org).exists()


def test_upload_checks_the_file_size(personas, monkeypatch):
    monkeypatch.setattr("puls.surveys.forms.ITEM_BANK_MAX_UPLOAD_BYTES", 100)
    client = logged_in(personas.org_admin)
    upload = SimpleUploadedFile("bank.json", json.dumps(small_bank()).encode())
    response = client.post(
        reverse("surveys:item_bank_upload", kwargs={"org_slug": "testby"}), {"file": upload}
    )
    assert "the largest item bank you can upload is 100" in response.content.decode()
    assert not ItemBank.objects.filter(organisation=personas.org).exists()


def test_load_item_bank_command(personas, tmp_path):
    path = tmp_path / "bank.json"
    path.write_text(json.dumps(small_bank()), encoding="utf-8")
    out = io.StringIO()
    call_command("load_item_bank", str(path), "--organisation", "testby", stdout=out)
    assert "1 scales, 3 items" in out.getvalue()
    assert ItemBank.objects.filter(organisation=personas.org, code="licensed").exists()

    bad = tmp_path / "bad.json"
    data = small_bank(code="other")
    data["items"][0]["text_da"] = ""
    bad.write_text(json.dumps(data), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_item_bank", str(bad), "--organisation", "testby", stderr=err)
    assert "items, row 1" in err.getvalue()
    assert not ItemBank.objects.filter(code="other").exists()

    with pytest.raises(CommandError, match="No organisation"):
        call_command("load_item_bank", str(path), "--organisation", "nowhere")
