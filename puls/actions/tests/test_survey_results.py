"""Actions from survey results against a real computed report: a result suppression shows can be
linked; a hidden one is refused (DESIGN §4.3: flags and actions attached to results follow the
same suppression as every other output path)."""

import io
import json

import pytest

from puls.actions import services
from puls.actions.link_kinds import ACTION_KIND
from puls.actions.models import Action
from puls.actions.selectors import actions_for_source
from puls.actions.tests.conftest import temporary_link_kind
from puls.core.links import _registry, links_to
from puls.core.models import Link
from puls.organisations.scoping import access_build
from puls.surveys import services as survey_services
from puls.surveys.models import Questionnaire, Scale, Survey
from puls.surveys.reports.selectors import scale_result_shown
from puls.surveys.reports.tests.closed_survey import closed_survey_build
from puls.testing import Personas

pytestmark = pytest.mark.django_db


def _bank(personas: Personas) -> io.BytesIO:
    return io.BytesIO(
        json.dumps(
            {
                "format": "puls-itembank/1",
                "code": "licensed",
                "name": "Bank",
                "domains": [{"code": "demands", "name_da": "Krav", "name_en": "Demands"}],
                "scales": [{"code": "pace", "domain": "demands", "name_da": "Tempo", "name_en": "Pace"}],
                "items": [
                    {"code": "p1", "scale": "pace", "text_da": "Skal du arbejde hurtigt?"},
                    {"code": "p2", "scale": "pace", "text_da": "Har du tid nok?"},
                ],
            }
        ).encode()
    )


@pytest.fixture
def computed(personas: Personas) -> tuple[Survey, Scale]:
    bank = survey_services.item_bank_import(
        actor=personas.org_admin, organisation=personas.org, stream=_bank(personas), file_name="bank.json"
    )
    survey = closed_survey_build(
        organisation=personas.org,
        admin=personas.org_admin,
        questionnaire=Questionnaire.objects.get(organisation=personas.org),
    )
    return survey, Scale.objects.get(bank=bank)


def _survey_kind():
    """The surveys app's link kind, or a stand-in while it registers none (the action service
    checks the result through scale_result_shown either way)."""
    if "surveys.survey" in _registry:
        return temporary_link_kind("surveys.survey", _registry["surveys.survey"].resolve)
    return temporary_link_kind(
        "surveys.survey", lambda org, pk: Survey.objects.filter(organisation=org, pk=pk).first()
    )


def _create(personas: Personas, survey: Survey, scale: Scale, unit_code: str) -> Action:
    unit = personas.units[unit_code]
    return services.action_create(
        actor=personas.org_admin,
        organisation=personas.org,
        unit=unit,
        title="Mere tid til opgaverne",
        source_kind=services.SURVEY_RESULT_KIND,
        source_id=survey.pk,
        source_detail={"unit": str(unit.pk), "scale": str(scale.pk)},
    )


def test_shown_result_is_linked_to_the_action(personas: Personas, computed):
    survey, scale = computed
    root = personas.units["100"]
    assert scale_result_shown(survey_id=survey.pk, unit_id=root.pk, scale_id=scale.pk)
    with _survey_kind():
        action = _create(personas, survey, scale, "100")
    (link,) = links_to(organisation=personas.org, kind=ACTION_KIND, object_id=action.pk)
    assert link.source_id == survey.pk
    assert link.source_detail == {"unit": str(root.pk), "scale": str(scale.pk)}
    access = access_build(user=personas.org_admin, organisation=personas.org)
    assert access is not None
    found = actions_for_source(
        access=access,
        source_kind="surveys.survey",
        source_id=survey.pk,
        detail={"unit": str(root.pk), "scale": str(scale.pk)},
    )
    assert found == [action]


def test_hidden_result_is_never_linked(personas: Personas, computed):
    survey, scale = computed
    skole_a = personas.units["210"]  # 4 people: below k = 5, hidden
    assert not scale_result_shown(survey_id=survey.pk, unit_id=skole_a.pk, scale_id=scale.pk)
    with _survey_kind(), pytest.raises(services.ActionSourceError, match="hidden"):
        _create(personas, survey, scale, "210")
    assert not Action.objects.exists()
    assert not Link.objects.exists()
