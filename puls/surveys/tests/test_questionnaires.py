"""Questionnaires: organisation copies of templates, own items, versions, local items."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from puls.invitations.models import Ballot
from puls.surveys import services
from puls.surveys.models import Item, LocalItem, Questionnaire, SectionItem
from puls.surveys.services import NewItem
from puls.surveys.tests.admin_setup import draft_survey, logged_in, template


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def item_codes(questionnaire: Questionnaire) -> list[str]:
    return list(
        SectionItem.objects.filter(section__questionnaire=questionnaire)
        .order_by("section__order", "order")
        .values_list("item__code", flat=True)
    )


def test_copying_a_template_gives_the_organisation_its_own_editable_questionnaire(personas):
    trivsel = template(Questionnaire.Kind.TRIVSEL)
    copy = services.questionnaire_copy_for(
        organisation=personas.org, template=trivsel, actor=personas.org_admin
    )
    assert copy.pk != trivsel.pk
    assert copy.organisation == personas.org
    assert (copy.kind, copy.name, copy.version, copy.frozen) == (trivsel.kind, trivsel.name, 1, False)
    assert [s.title_da for s in copy.sections.all()] == [s.title_da for s in trivsel.sections.all()]
    assert item_codes(copy) == item_codes(trivsel)
    # Adding to the copy leaves the template as shipped.
    services.questionnaire_item_add(
        actor=personas.org_admin,
        questionnaire=copy,
        new_item=NewItem(kind=Item.Kind.LIKERT, text_da="Er kaffen god?", text_en="Is the coffee good?"),
        section=copy.sections.first(),
    )
    assert len(item_codes(copy)) == len(item_codes(trivsel)) + 1


def test_an_organisation_adds_items_of_every_kind_to_its_copy(personas):
    copy = services.questionnaire_copy_for(
        organisation=personas.org, template=template(Questionnaire.Kind.APV)
    )
    kinds = {
        Item.Kind.LIKERT: (),
        Item.Kind.SINGLE: ({"da": "Ja", "en": "Yes"}, {"da": "Nej", "en": "No"}),
        Item.Kind.MULTIPLE: ({"da": "A", "en": "A"}, {"da": "B", "en": "B"}),
        Item.Kind.SCALE_0_10: (),
        Item.Kind.FREE_TEXT: (),
    }
    for kind, options in kinds.items():
        version, item = services.questionnaire_item_add(
            actor=personas.org_admin,
            questionnaire=copy,
            new_item=NewItem(kind=kind, text_da=f"Vores {kind}", text_en=f"Our {kind}", options=options),
            new_section_title_da="Vores egne spørgsmål",
            new_section_title_en="Our own questions",
        )
        assert version.pk == copy.pk
        assert item.organisation == personas.org
        assert item.bank is None
    own_sections = copy.sections.filter(title_da="Vores egne spørgsmål")
    assert own_sections.count() == len(kinds)
    likert = Item.objects.get(organisation=personas.org, kind=Item.Kind.LIKERT, bank__isnull=True)
    assert len(likert.options) == 5


def test_templates_cannot_be_edited(personas):
    with pytest.raises(services.QuestionnaireNotEditable):
        services.questionnaire_item_add(
            actor=personas.org_admin,
            questionnaire=template(Questionnaire.Kind.TRIVSEL),
            new_item=NewItem(kind=Item.Kind.FREE_TEXT, text_da="Nej"),
            new_section_title_da="X",
        )


def test_a_launched_questionnaire_is_frozen_and_editing_it_makes_version_2(personas):
    survey = draft_survey(personas)
    version_1 = survey.questionnaire
    survey = services.survey_launch(actor=personas.org_admin, survey=survey)
    assert survey.ballot.status == Ballot.Status.OPEN
    version_1.refresh_from_db()
    assert version_1.frozen is True
    asked = item_codes(version_1)

    version_2, item = services.questionnaire_item_add(
        actor=personas.org_admin,
        questionnaire=version_1,
        new_item=NewItem(kind=Item.Kind.FREE_TEXT, text_da="Hvad mangler vi?"),
        section=version_1.sections.last(),
    )
    assert version_2.pk != version_1.pk
    assert (version_2.version, version_2.previous_version, version_2.frozen) == (2, version_1, False)
    assert item_codes(version_2) == [*asked, item.code]
    assert item_codes(version_1) == asked
    survey.refresh_from_db()
    assert survey.questionnaire == version_1

    # Further edits go to version 2 (not a second branch), also when started from version 1.
    again = services.questionnaire_item_remove(
        actor=personas.org_admin,
        questionnaire=version_1,
        section_item=SectionItem.objects.filter(section__questionnaire=version_1).first(),
    )
    assert again == version_2
    assert len(item_codes(version_2)) == len(asked)
    assert item_codes(version_1) == asked


def test_adding_a_question_to_a_frozen_questionnaire_on_the_page_says_a_new_version_was_made(personas):
    survey = draft_survey(personas)
    services.survey_launch(actor=personas.org_admin, survey=survey)
    version_1 = survey.questionnaire
    client = logged_in(personas.org_admin)
    url = reverse(
        "surveys:questionnaire_item_add", kwargs={"org_slug": "testby", "questionnaire_id": version_1.pk}
    )
    assert "is added to a new version" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "section": "new",
            "new_section_da": "Lokalt",
            "kind": "single",
            "text_da": "Kantinen?",
            "choices": "Ja | Yes\nNej | No",
        },
        follow=True,
    )
    version_2 = Questionnaire.objects.get(previous_version=version_1)
    assert response.redirect_chain[-1][0].endswith(f"/questionnaires/{version_2.pk}/")
    html = response.content.decode()
    assert "new version (2)" in html
    assert "Kantinen?" in html
    item = Item.objects.get(text_da="Kantinen?")
    assert item.options == [{"da": "Ja", "en": "Yes"}, {"da": "Nej", "en": "No"}]


def test_a_choice_question_needs_options(personas):
    copy = services.questionnaire_copy_for(
        organisation=personas.org, template=template(Questionnaire.Kind.APV)
    )
    client = logged_in(personas.org_admin)
    url = reverse(
        "surveys:questionnaire_item_add", kwargs={"org_slug": "testby", "questionnaire_id": copy.pk}
    )
    count = Item.objects.count()
    response = client.post(
        url, {"section": str(copy.sections.first().pk), "kind": "single", "text_da": "Hvad?"}
    )
    assert response.status_code == 200
    assert "Write 2–20 answer options, one per line." in response.content.decode()
    assert Item.objects.count() == count


# Local items ---------------------------------------------------------------------------------------


def local(text: str) -> NewItem:
    return NewItem(kind=Item.Kind.LIKERT, text_da=text, text_en=text)


def test_a_unit_may_add_at_most_five_local_items(personas):
    survey = draft_survey(personas)
    school = personas.units["210"]
    for number in range(5):
        services.local_item_add(
            actor=personas.leader, survey=survey, unit=school, new_item=local(f"Lokal {number}")
        )
    with pytest.raises(ValidationError) as caught:
        services.local_item_add(
            actor=personas.leader, survey=survey, unit=school, new_item=local("Nummer seks")
        )
    assert "unit" in caught.value.message_dict
    assert LocalItem.objects.filter(survey=survey, unit=school).count() == 5
    # Another unit has its own five.
    services.local_item_add(
        actor=personas.org_admin, survey=survey, unit=personas.units["220"], new_item=local("Skole B")
    )


def test_the_sixth_local_item_is_a_field_error_on_the_page(personas):
    survey = draft_survey(personas)
    school = personas.units["210"]
    for number in range(5):
        services.local_item_add(
            actor=personas.leader, survey=survey, unit=school, new_item=local(f"Lokal {number}")
        )
    client = logged_in(personas.leader)
    url = reverse("surveys:local_items", kwargs={"org_slug": "testby", "survey_id": survey.pk})
    response = client.post(
        url, {"unit": str(school.pk), "kind": "likert", "likert_scale": "extent", "text_da": "Seks"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_unit-error"' in html
    assert "already has 5 questions of its own" in html
    assert LocalItem.objects.filter(survey=survey).count() == 5


def test_a_leader_adds_local_items_for_their_own_unit_only(personas):
    survey = draft_survey(personas)
    client = logged_in(personas.leader)
    url = reverse("surveys:local_items", kwargs={"org_slug": "testby", "survey_id": survey.pk})
    page = client.get(url).content.decode()
    assert "Skole A" in page
    assert "Skole B" not in page
    response = client.post(url, {"unit": str(personas.units["220"].pk), "kind": "text", "text_da": "Hej"})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        url, {"unit": str(personas.units["210"].pk), "kind": "text", "text_da": "Hvad savner du?"}
    )
    assert response.status_code == 302
    added = LocalItem.objects.get(survey=survey)
    assert (added.unit, added.item.kind, added.item.text_da) == (
        personas.units["210"],
        "text",
        "Hvad savner du?",
    )
    # MED representatives and employees cannot add local items.
    assert logged_in(personas.med_rep).get(url).status_code == 403
    assert logged_in(personas.employee).get(url).status_code == 403


def test_local_items_are_refused_after_launch(personas):
    survey = draft_survey(personas)
    services.survey_launch(actor=personas.org_admin, survey=survey)
    with pytest.raises(ValidationError, match="launched"):
        services.local_item_add(
            actor=personas.org_admin, survey=survey, unit=personas.units["210"], new_item=local("For sent")
        )
    client = logged_in(personas.leader)
    url = reverse("surveys:local_items", kwargs={"org_slug": "testby", "survey_id": survey.pk})
    response = client.post(
        url, {"unit": str(personas.units["210"].pk), "kind": "text", "text_da": "For sent"}
    )
    assert "can no longer change" in response.content.decode()
    assert not LocalItem.objects.filter(survey=survey).exists()
