"""The central tree: HR writes it, the status workflow freezes versions, the diff shows what changed,
readers of the adopted tree never see drafts, sources are cited through core Links."""

import uuid

import pytest
from django.urls import reverse

from puls.core.links import LinkableKind
from puls.core.models import AuditEntry, Link
from puls.organisations.models import Unit
from puls.policy.models import NodeKind, NodeStatus, NodeVersion, PolicyNode
from puls.policy.selectors.tree import published_tree
from puls.policy.services import tree as services
from puls.policy.services.tree import NodeContent, PolicyError
from puls.policy.tests.builders import adopt, central
from puls.policy.tests.conftest import client_for
from puls.testing import dark_share, pdf_page_image

pytestmark = pytest.mark.django_db
ORG = "testby"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"policy:{name}", kwargs={"org_slug": ORG, **kwargs})


def test_hr_adds_a_value_as_a_draft_that_only_the_working_tree_shows(personas):
    hr = client_for(personas.org_admin)
    response = hr.post(url("node_create"), {"kind": "value", "title": "Åbenhed", "text": "Vi deler viden."})
    node = PolicyNode.objects.get(title="Åbenhed")
    assert response["Location"] == url("node_detail", node_id=node.pk)
    assert node.status == NodeStatus.DRAFT
    assert node.unit is None
    assert "Åbenhed" in hr.get(url("tree")).content.decode()
    assert AuditEntry.objects.filter(action="policy.node_create", target_id=str(node.pk)).exists()

    employee = client_for(personas.employee)
    assert employee.get(url("tree"))["Location"] == url("publication")
    assert "Åbenhed" not in employee.get(url("publication")).content.decode()
    assert employee.get(url("node_detail", node_id=node.pk)).status_code == 404
    # The leader takes part in the hearing and reads drafts.
    assert client_for(personas.leader).get(url("node_detail", node_id=node.pk)).status_code == 200


def test_only_hr_writes_the_central_tree(personas, objects):
    for user in (personas.leader, personas.med_rep):
        client = client_for(user)
        assert client.get(url("node_create")).status_code == 403
        assert client.post(url("node_edit", node_id=objects.value.pk), {"title": "Hacket"}).status_code == 403
        assert (
            client.post(url("node_status", node_id=objects.draft.pk), {"status": "hearing"}).status_code
            == 403
        )
        assert client.post(url("node_delete", node_id=objects.draft.pk)).status_code == 403
    objects.value.refresh_from_db()
    assert objects.value.title == "Tillid"
    assert PolicyNode.objects.filter(pk=objects.draft.pk).exists()


def test_a_node_goes_only_where_its_kind_belongs(personas):
    value = central(personas.org_admin, personas.org, NodeKind.VALUE, "Tillid")
    with pytest.raises(PolicyError):
        central(personas.org_admin, personas.org, NodeKind.FOCUS_AREA, "Forkert", parent=value)
    with pytest.raises(PolicyError):
        central(personas.org_admin, personas.org, NodeKind.INITIATIVE, "Løst")


def test_status_workflow_freezes_a_version_at_each_adoption(personas):
    hr = client_for(personas.org_admin)
    node = central(
        personas.org_admin, personas.org, NodeKind.POLICY, "Seniorpolitik", text="Seniorer er vigtige."
    )
    # A draft cannot be adopted politically without hearing and MED.
    with pytest.raises(PolicyError):
        services.node_status_change(actor=personas.org_admin, node=node, status=NodeStatus.ADOPTED_POLITICAL)
    hr.post(url("node_status", node_id=node.pk), {"status": "hearing"})
    hr.post(
        url("node_status", node_id=node.pk),
        {"status": "adopted_med", "adopted_on": "2026-03-12", "note": "HovedMED pkt. 4"},
    )
    hr.post(url("node_status", node_id=node.pk), {"status": "adopted_political", "adopted_on": "2026-04-02"})
    node.refresh_from_db()
    assert node.status == NodeStatus.ADOPTED_POLITICAL
    versions = list(node.versions.order_by("number").values_list("number", "status", "note"))
    assert versions == [(1, "adopted_med", "HovedMED pkt. 4"), (2, "adopted_political", "")]


def test_adoption_date_in_the_future_is_refused(personas):
    node = central(personas.org_admin, personas.org, NodeKind.VALUE, "Mod")
    services.node_status_change(actor=personas.org_admin, node=node, status=NodeStatus.HEARING)
    response = client_for(personas.org_admin).post(
        url("node_status", node_id=node.pk), {"status": "adopted_med", "adopted_on": "2999-01-01"}
    )
    assert response.status_code == 200
    assert "cannot lie in the future" in response.content.decode()
    assert not NodeVersion.objects.filter(node=node).exists()


def test_revising_an_adopted_text_keeps_the_adopted_version_published(personas, objects):
    hr = client_for(personas.org_admin)
    response = hr.post(
        url("node_edit", node_id=objects.value.pk),
        {
            "title": "Tillid",
            "text": "Vi viser hinanden tillid og ansvar.",
            "rationale": "",
            "responsible": "",
        },
    )
    assert response.status_code == 302
    objects.value.refresh_from_db()
    assert objects.value.status == NodeStatus.DRAFT  # a revision in progress
    employee = client_for(personas.employee)
    published = employee.get(url("publication")).content.decode()
    assert "Vi viser hinanden tillid." in published
    assert "og ansvar" not in published
    detail = employee.get(url("node_detail", node_id=objects.value.pk)).content.decode()
    assert "og ansvar" not in detail

    # The working page says so and links to the changes.
    working = hr.get(url("node_detail", node_id=objects.value.pk)).content.decode()
    assert "has changed since version 1 was adopted" in working

    adopt(personas.org_admin, objects.value)
    assert "og ansvar" in employee.get(url("publication")).content.decode()
    assert objects.value.versions.count() == 2


def test_diff_marks_removed_and_added_words_for_eyes_and_screen_readers(personas, objects):
    services.node_update(
        actor=personas.org_admin,
        node=objects.value,
        content=NodeContent(title="Tillid", text="Vi viser hinanden stor tillid."),
    )
    adopt(personas.org_admin, objects.value)
    page = client_for(personas.org_admin).get(url("node_diff", node_id=objects.value.pk)).content.decode()
    assert '<ins class="puls-diff-ins"><span class="sr-only">[added text:] </span>stor ' in page
    assert "end of added text" in page
    assert "<del" not in page.split("puls-diff-legend")[1].split("</p>")[1]  # nothing removed
    # Title unchanged: said in words.
    assert "(unchanged)" in page

    # Any two versions can be compared, and the working text too.
    page = (
        client_for(personas.org_admin)
        .get(url("node_diff", node_id=objects.value.pk) + "?from=2&to=1")
        .content.decode()
    )
    assert '<del class="puls-diff-del"><span class="sr-only">[removed text:] </span>stor ' in page


def test_diff_of_a_never_adopted_node_is_404_and_employees_get_none(personas, objects):
    assert client_for(personas.org_admin).get(url("node_diff", node_id=objects.draft.pk)).status_code == 404
    assert client_for(personas.employee).get(url("node_diff", node_id=objects.value.pk)).status_code == 403


def test_adopting_with_everything_below_adopts_the_children_that_can_follow(personas):
    policy = central(personas.org_admin, personas.org, NodeKind.POLICY, "Rekruttering")
    focus = central(personas.org_admin, personas.org, NodeKind.FOCUS_AREA, "Unge", parent=policy)
    initiative = central(personas.org_admin, personas.org, NodeKind.INITIATIVE, "Praktik", parent=focus)
    hr = client_for(personas.org_admin)
    hr.post(url("node_status", node_id=policy.pk), {"status": "hearing", "include_below": "on"})
    hr.post(url("node_status", node_id=policy.pk), {"status": "adopted_med", "include_below": "on"})
    statuses = set(
        PolicyNode.objects.filter(pk__in=[policy.pk, focus.pk, initiative.pk]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {NodeStatus.ADOPTED_MED}
    tree = published_tree(organisation=personas.org)
    assert [item.title for item in tree.policies] == ["Rekruttering"]
    assert tree.policies[0].focus_areas[0].initiatives[0].title == "Praktik"


def test_retiring_hides_the_node_and_everything_below_from_the_published_tree(personas, objects):
    services.node_status_change(actor=personas.org_admin, node=objects.policy, status=NodeStatus.RETIRED)
    page = client_for(personas.employee).get(url("publication")).content.decode()
    assert "Trivselspolitik" not in page
    assert "Psykisk arbejdsmiljø" not in page
    assert (
        client_for(personas.employee).get(url("node_detail", node_id=objects.focus_area.pk)).status_code
        == 404
    )


def test_only_a_never_adopted_leaf_can_be_deleted(personas, objects):
    hr = client_for(personas.org_admin)
    hr.post(url("node_delete", node_id=objects.value.pk))
    assert PolicyNode.objects.filter(pk=objects.value.pk).exists()
    hr.post(url("node_delete", node_id=objects.draft.pk))
    assert not PolicyNode.objects.filter(pk=objects.draft.pk).exists()


def test_moving_a_node_changes_the_order_among_its_siblings(personas, objects):
    assert [item.node for item in published_tree(organisation=personas.org).values] == [objects.value]
    adopt(personas.org_admin, objects.draft)
    client_for(personas.org_admin).post(url("node_move", node_id=objects.draft.pk), {"direction": "up"})
    titles = [item.title for item in published_tree(organisation=personas.org).values]
    assert titles == ["Mod", "Tillid"]


@pytest.fixture
def theme_kind(monkeypatch):
    """A citable kind as the dialogue app will register one (a unit stands in for a theme)."""
    from puls.core import links

    kind = LinkableKind(
        name="participation.theme",
        label="Theme",
        resolve=lambda organisation, object_id: Unit.objects.filter(
            organisation=organisation, pk=object_id
        ).first(),
        describe=lambda unit, detail: f"Tema: {unit.name}",
    )
    monkeypatch.setitem(links._registry, kind.name, kind)
    return kind


def test_hr_cites_a_dialogue_theme_by_pasting_its_address(personas, objects, theme_kind):
    theme = personas.units["300"]
    hr = client_for(personas.org_admin)
    address = f"https://puls.example/o/testby/participation/themes/{theme.pk}/?round=2"
    response = hr.post(
        url("citation_add", node_id=objects.value.pk), {"address": address, "reason": "Tillid fyldte meget"}
    )
    assert response.status_code == 302
    link = Link.objects.get(source_kind="policy.node", source_id=objects.value.pk)
    assert (link.target_kind, link.target_id, link.target_detail) == (
        "participation.theme",
        theme.pk,
        {"round": "2"},
    )
    page = hr.get(url("node_detail", node_id=objects.value.pk)).content.decode()
    assert "Tema: Ældre" in page
    assert "Tillid fyldte meget" in page

    # Another organisation's object is not found, and nothing is linked.
    foreign = f"/o/andenby/participation/themes/{personas.other_unit.pk}/"
    response = hr.post(url("citation_add", node_id=objects.value.pk), {"address": foreign})
    assert "found nothing to cite" in response.content.decode()
    assert Link.objects.filter(source_id=objects.value.pk).count() == 1

    hr.post(url("citation_remove", node_id=objects.value.pk, link_id=link.pk))
    assert not Link.objects.filter(pk=link.pk).exists()


def test_links_other_apps_make_to_a_node_are_shown_and_survive_an_uninstalled_kind(personas, objects):
    Link.objects.create(
        organisation=personas.org,
        source_kind="catalog.case",  # not registered: the catalog app lands later
        source_id=uuid.uuid4(),
        target_kind="policy.node",
        target_id=objects.value.pk,
        kind="outcome",
    )
    page = client_for(personas.org_admin).get(url("node_detail", node_id=objects.value.pk)).content.decode()
    assert "catalog.case" in page
    assert "no longer available" in page
    # Readers of the adopted tree do not see the working material.
    assert (
        "catalog.case"
        not in client_for(personas.employee)
        .get(url("node_detail", node_id=objects.value.pk))
        .content.decode()
    )


def test_public_page_exists_only_when_hr_publishes(personas, objects, client):
    public = reverse("policy_public:page", kwargs={"org_slug": ORG})
    assert client.get(public).status_code == 404
    assert client.get(reverse("policy_public:handbook", kwargs={"org_slug": ORG})).status_code == 404
    client_for(personas.org_admin).post(
        url("publication_settings"),
        {"title": "Vores personalepolitik", "intro": "Til alle.", "is_public": "on"},
    )
    page = client.get(public, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Vores personalepolitik" in page
    assert "Tillid" in page
    assert "Trivselspolitik" in page
    assert "Mod" not in page  # a draft
    assert "Gode pauser" not in page  # a unit's own focus area
    assert client.get(reverse("policy_public:page", kwargs={"org_slug": "andenby"})).status_code == 404


def test_handbook_pdf_holds_the_adopted_tree(personas, objects, tmp_path):
    response = client_for(personas.employee).get(url("handbook_pdf"))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "handbook.pdf"
    pdf.write_bytes(response.content)
    import subprocess

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "Tillid" in text
    assert "Trivselspolitik" in text
    assert "Psykisk arbejdsmiljø" in text
    assert "Udkast om mod" not in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "(A4)" in info
    for number in (1, 2):  # the cover and the first page of the tree, drawn as a printer would
        image = pdf_page_image(pdf, page=number)
        assert abs(image.width / image.height - 210 / 297) < 0.01
        assert dark_share(image) > 0.0005  # a title and a few lines of text: not an empty page


def test_tree_export_lists_every_node_with_its_status(personas, objects):
    import io

    import openpyxl

    response = client_for(personas.med_rep).get(url("tree_xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Level", "Kind", "Title")
    titles = {row[2]: row[6] for row in rows[1:]}
    assert titles["Mod"] == "Draft"
    assert titles["Trivselspolitik"] == "Adopted politically"
    assert "Gode pauser" not in titles  # the working tree is central
    assert client_for(personas.employee).get(url("tree_xlsx")).status_code == 403


def test_hr_cites_a_shown_survey_result_but_never_a_hidden_one(personas, objects):
    from puls.core.tests.conftest import small_item_bank_file
    from puls.surveys import services as survey_services
    from puls.surveys.models import Questionnaire, Scale
    from puls.surveys.reports.tests.closed_survey import closed_survey_build

    bank = survey_services.item_bank_import(
        actor=personas.org_admin,
        organisation=personas.org,
        stream=small_item_bank_file(personas.org),
        file_name="b.json",
    )
    survey = closed_survey_build(
        organisation=personas.org,
        admin=personas.org_admin,
        questionnaire=Questionnaire.objects.get(organisation=personas.org),
    )
    scale = Scale.objects.get(bank=bank)

    def scale_page(unit: Unit) -> str:
        return reverse(
            "surveys:report:scale",
            kwargs={"org_slug": ORG, "survey_id": survey.pk, "unit_id": unit.pk, "scale_id": scale.pk},
        )

    hr = client_for(personas.org_admin)
    whole = personas.units["100"]  # all 8 answered: shown
    hr.post(
        url("citation_add", node_id=objects.policy.pk),
        {"address": "https://puls.example" + scale_page(whole)},
    )
    link = Link.objects.get(source_id=objects.policy.pk)
    assert (link.target_kind, link.target_id) == ("surveys.survey", survey.pk)
    assert link.target_detail == {"unit": str(whole.pk), "scale": str(scale.pk)}
    page = hr.get(url("node_detail", node_id=objects.policy.pk)).content.decode()
    assert "Trivsel 2025 – Testby Kommune" in page

    skole_a = personas.units["210"]  # 4 people: below the threshold, hidden
    response = hr.post(url("citation_add", node_id=objects.policy.pk), {"address": scale_page(skole_a)})
    assert "hidden to protect anonymity" in response.content.decode()
    assert Link.objects.filter(source_id=objects.policy.pk).count() == 1
