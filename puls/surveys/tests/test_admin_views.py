"""HR pages: survey list, create, detail, launch, extend, close; who may see what."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from puls.core.models import AuditEntry
from puls.invitations import services as invitation_services
from puls.invitations.models import Ballot, Invitation
from puls.invitations.services import BallotError
from puls.invitations.tokens import token_for, token_format
from puls.surveys import services
from puls.surveys.models import Questionnaire, Survey
from puls.surveys.tests.admin_setup import draft_survey, logged_in, template
from puls.testing import make_person

ORG = "testby"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"surveys:{name}", kwargs={"org_slug": ORG, **kwargs})


def form_data(**overrides: object) -> dict[str, object]:
    opens = timezone.localtime() + timedelta(days=1)
    data: dict[str, object] = {
        "title": "Trivselsmåling 2026",
        "questionnaire": str(template(Questionnaire.Kind.TRIVSEL).pk),
        "audience": "everyone",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (opens + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M"),
        "reminder_days": "3,7,14",
        "requested_k": "",
        "requested_free_text_k": "",
        "attributes": ["job_group", "age_band"],
        "previous_survey": "",
    }
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------------


def test_employees_are_refused_the_survey_pages(personas):
    survey = draft_survey(personas)
    client = logged_in(personas.employee)
    for name, kwargs in [
        ("survey_list", {}),
        ("survey_create", {}),
        ("survey_detail", {"survey_id": survey.pk}),
        ("questionnaire_list", {}),
        ("item_bank_list", {}),
        ("item_bank_upload", {}),
    ]:
        assert client.get(url(name, **kwargs)).status_code == 403, name


def test_another_organisations_admin_gets_404(personas):
    survey = draft_survey(personas)
    outsider = logged_in(personas.outsider)
    assert outsider.get(url("survey_list")).status_code == 404
    assert outsider.get(url("survey_detail", survey_id=survey.pk)).status_code == 404
    # The survey's id under the outsider's own organisation is not found either.
    foreign = reverse("surveys:survey_detail", kwargs={"org_slug": "andenby", "survey_id": survey.pk})
    assert outsider.get(foreign).status_code == 404
    launch = reverse("surveys:survey_launch", kwargs={"org_slug": "andenby", "survey_id": survey.pk})
    assert outsider.post(launch).status_code == 404
    copy = services.questionnaire_copy_for(
        organisation=personas.org, template=template(Questionnaire.Kind.APV)
    )
    own = reverse("surveys:questionnaire_detail", kwargs={"org_slug": "andenby", "questionnaire_id": copy.pk})
    assert outsider.get(own).status_code == 404
    survey.ballot.refresh_from_db()
    assert survey.ballot.status == Ballot.Status.DRAFT


@pytest.mark.parametrize("persona", ["leader", "med_rep"])
def test_leaders_and_med_reps_see_surveys_read_only(personas, persona):
    survey = draft_survey(personas)
    client = logged_in(getattr(personas, persona))
    listing = client.get(url("survey_list")).content.decode()
    assert "Trivsel 2026" in listing
    assert url("survey_create") not in listing
    detail = client.get(url("survey_detail", survey_id=survey.pk)).content.decode()
    assert "Demands at work" in detail
    assert url("survey_launch", survey_id=survey.pk) not in detail
    assert url("survey_edit", survey_id=survey.pk) not in detail
    for name in ("survey_create", "questionnaire_list", "item_bank_list"):
        assert client.get(url(name)).status_code == 403
    assert client.post(url("survey_launch", survey_id=survey.pk)).status_code == 403
    assert client.post(url("survey_edit", survey_id=survey.pk), form_data()).status_code == 403
    survey.ballot.refresh_from_db()
    assert survey.ballot.status == Ballot.Status.DRAFT


def test_the_navigation_links_surveys_for_those_who_may_see_them(personas):
    dashboard = reverse("organisations:dashboard", kwargs={"org_slug": ORG})
    for user in (personas.org_admin, personas.leader, personas.med_rep):
        assert f'href="{url("survey_list")}"' in logged_in(user).get(dashboard).content.decode()
    assert f'href="{url("survey_list")}"' not in logged_in(personas.employee).get(dashboard).content.decode()


# Create ------------------------------------------------------------------------------------------


def test_creating_a_survey_makes_a_ballot_and_a_copy_of_the_template(personas):
    client = logged_in(personas.org_admin)
    assert 'value="3,7,14"' in client.get(url("survey_create")).content.decode()
    response = client.post(url("survey_create"), form_data(requested_k="6", requested_free_text_k="12"))
    survey = Survey.objects.get(organisation=personas.org)
    assert response["Location"] == url("survey_detail", survey_id=survey.pk)
    ballot = survey.ballot
    assert ballot.kind == "surveys.survey"
    assert ballot.status == Ballot.Status.DRAFT
    assert (ballot.requested_k, ballot.requested_free_text_k) == (6, 12)
    assert ballot.reminder_days == [3, 7, 14]
    assert ballot.attributes == ["job_group", "age_band"]
    assert ballot.closes_at - ballot.opens_at == timedelta(days=21)
    assert survey.audience_everyone is True
    # The template was copied, so the organisation can add its own questions.
    assert survey.questionnaire.organisation == personas.org
    assert survey.questionnaire.name == template(Questionnaire.Kind.TRIVSEL).name


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"requested_k": "4"}, "requested_k", "cannot be lower than your organisation&#x27;s threshold, 5"),
        ({"requested_k": "11"}, "requested_k", "less than or equal to 10"),
        ({"requested_free_text_k": "8"}, "requested_free_text_k", "cannot be lower than 10"),
        (
            {"requested_k": "10", "requested_free_text_k": "9"},
            "requested_free_text_k",
            "cannot be lower than",
        ),
        ({"audience": "units"}, "units", "Choose at least one unit"),
        ({"audience": "job_groups"}, "job_groups", "Choose at least one job group"),
        ({"reminder_days": "3,x"}, "reminder_days", "Write whole days"),
        ({"reminder_days": "30"}, "reminder_days", "before the survey closes"),
    ],
)
def test_invalid_settings_are_field_errors_and_nothing_is_saved(personas, overrides, field, message):
    client = logged_in(personas.org_admin)
    response = client.post(url("survey_create"), form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    error = html.split(f'id="id_{field}-error"', 1)[1].split("</span>", 2)[1]
    assert message in error
    assert not Survey.objects.exists()
    assert not Ballot.objects.exists()


def test_free_text_threshold_of_k_with_a_higher_k(personas):
    client = logged_in(personas.org_admin)
    client.post(url("survey_create"), form_data(requested_k="10", requested_free_text_k="10"))
    assert Survey.objects.get().ballot.requested_free_text_k == 10


def test_a_survey_for_chosen_units_and_job_groups(personas):
    make_person(personas.org, personas.units["210"], "2199", "Sara", "Sosu", job_group="SOSU-assistent")
    client = logged_in(personas.org_admin)
    data = form_data(audience="units", units=[str(personas.units["200"].pk)], job_groups=["Pædagog"])
    client.post(url("survey_create"), data)
    survey = Survey.objects.get()
    assert survey.audience_everyone is False
    assert list(survey.audience_units.all()) == [personas.units["200"]]
    assert survey.audience_job_groups == ["Pædagog"]
    detail = client.get(url("survey_detail", survey_id=survey.pk)).content.decode()
    # Børn og Unge: the leader, three teachers in Skole A and the employee in Skole B (not Sara).
    assert "<dt>People in the audience today</dt><dd>5</dd>" in detail


# Detail, launch, extend, close --------------------------------------------------------------------


def test_detail_previews_the_questionnaire_in_both_languages_and_the_audience_size(personas):
    survey = draft_survey(personas)
    html = logged_in(personas.org_admin).get(url("survey_detail", survey_id=survey.pk)).content.decode()
    assert "<dt>People in the audience today</dt><dd>8</dd>" in html
    danish = "Jeg kan nå mine opgaver inden for den almindelige arbejdstid."
    assert f'<p class="puls-preview-text" lang="da">{danish}</p>' in html
    assert "I can get my tasks done within my normal working hours." in html
    assert "reversed" in html
    assert "I meget høj grad" in html
    assert url("survey_launch", survey_id=survey.pk) in html


def test_the_launch_button_launches_the_survey(personas, monkeypatch):
    survey = draft_survey(personas)
    calls = []
    real_launch = invitation_services.ballot_launch

    def spy(**kwargs):
        calls.append(kwargs)
        return real_launch(**kwargs)

    monkeypatch.setattr(invitation_services, "ballot_launch", spy)
    client = logged_in(personas.org_admin)
    confirm = client.get(url("survey_launch", survey_id=survey.pk)).content.decode()
    assert "for 8 people" in confirm
    assert calls == []
    response = client.post(url("survey_launch", survey_id=survey.pk), follow=True)
    assert [call["ballot"].pk for call in calls] == [survey.ballot.pk]
    assert calls[0]["actor"] == personas.org_admin
    survey.refresh_from_db()
    assert survey.ballot.status == Ballot.Status.OPEN
    assert survey.ballot.invited_count == 8
    assert survey.questionnaire.frozen is True
    html = response.content.decode()
    assert "The survey was launched" in html
    assert "How answers are grouped to protect anonymity" in html
    assert url("survey_extend", survey_id=survey.pk) in html
    assert url("survey_close", survey_id=survey.pk) in html
    assert reverse("survey_rate:page", kwargs={"org_slug": ORG, "survey_id": survey.pk}) in html


def test_a_refused_launch_shows_the_reason(personas):
    survey = draft_survey(personas, audience_everyone=False, audience_units=(personas.units["220"],))
    client = logged_in(personas.org_admin)
    response = client.post(url("survey_launch", survey_id=survey.pk), follow=True)
    html = response.content.decode()
    assert "alert-error" in html
    assert "Only 1 people are in the audience; at least 5 are needed" in html
    survey.ballot.refresh_from_db()
    assert survey.ballot.status == Ballot.Status.DRAFT
    assert survey.questionnaire.frozen is False


def test_launch_errors_from_the_ballot_are_shown(personas, monkeypatch):
    def refuse(**kwargs):
        raise BallotError("The ballot cannot be launched today.")

    monkeypatch.setattr(invitation_services, "ballot_launch", refuse)
    survey = draft_survey(personas)
    response = logged_in(personas.org_admin).post(url("survey_launch", survey_id=survey.pk), follow=True)
    assert "The ballot cannot be launched today." in response.content.decode()


def test_settings_cannot_be_edited_after_launch(personas):
    survey = draft_survey(personas)
    services.survey_launch(actor=personas.org_admin, survey=survey)
    client = logged_in(personas.org_admin)
    page = client.get(url("survey_edit", survey_id=survey.pk)).content.decode()
    assert "its settings can no longer be changed" in page
    response = client.post(
        url("survey_edit", survey_id=survey.pk), form_data(title="Changed", requested_k="7")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The survey has been launched, so its settings can no longer be changed." in html
    survey.ballot.refresh_from_db()
    assert survey.ballot.title == "Trivsel 2026"
    assert survey.ballot.requested_k is None


def test_settings_can_be_edited_before_launch(personas):
    survey = draft_survey(personas)
    client = logged_in(personas.org_admin)
    form = client.get(url("survey_edit", survey_id=survey.pk)).content.decode()
    assert 'value="Trivsel 2026"' in form
    data = form_data(title="Trivsel forår 2026", questionnaire=str(survey.questionnaire_id), requested_k="7")
    response = client.post(url("survey_edit", survey_id=survey.pk), data)
    assert response.status_code == 302
    survey.ballot.refresh_from_db()
    assert (survey.ballot.title, survey.ballot.requested_k) == ("Trivsel forår 2026", 7)


def test_extend_and_close_an_open_survey(personas):
    survey = draft_survey(personas)
    services.survey_launch(actor=personas.org_admin, survey=survey)
    client = logged_in(personas.org_admin)
    survey.ballot.refresh_from_db()
    earlier = timezone.localtime(survey.ballot.closes_at) - timedelta(days=1)
    response = client.post(
        url("survey_extend", survey_id=survey.pk), {"closes_at": earlier.strftime("%Y-%m-%dT%H:%M")}
    )
    assert "Choose a time after the current closing time." in response.content.decode()
    later = timezone.localtime(survey.ballot.closes_at) + timedelta(days=7)
    client.post(url("survey_extend", survey_id=survey.pk), {"closes_at": later.strftime("%Y-%m-%dT%H:%M")})
    survey.ballot.refresh_from_db()
    assert timezone.localtime(survey.ballot.closes_at).date() == later.date()

    assert "can never be reopened" in client.get(url("survey_close", survey_id=survey.pk)).content.decode()
    response = client.post(url("survey_close", survey_id=survey.pk), follow=True)
    survey.ballot.refresh_from_db()
    assert survey.ballot.status == Ballot.Status.CLOSED
    assert "The survey was closed" in response.content.decode()
    assert url("survey_close", survey_id=survey.pk) not in response.content.decode()


def test_med_reps_and_leaders_see_the_frozen_audience_only_for_units_of_at_least_k(personas):
    for number in range(6):
        make_person(personas.org, personas.units["310"], f"31{number}9", f"Plejer{number}", "Hansen")
    survey = draft_survey(personas)
    services.survey_launch(actor=personas.org_admin, survey=survey)
    # Invited: 100 → 14 in all; 200 → 5 (210: 4, 220: 1); 300 and 310 → 8. k = 5. Showing 200 would
    # leave 14 − 5 − 8 = 1 person in the root's residual, so 200 is hidden (SUPPRESSION.md rule 3).
    med = logged_in(personas.med_rep).get(url("survey_detail", survey_id=survey.pk)).content.decode()
    rows = med.split('id="audience-caption"', 1)[1].split("</table>", 1)[0]
    assert '<td>Ældre</td><td class="align-text-right">8</td>' in rows
    assert '<td>Plejecenter</td><td class="align-text-right">8</td>' in rows
    assert "Testby Kommune" not in rows
    assert "How answers are grouped" not in med
    assert "People invited" not in med

    leader = logged_in(personas.leader).get(url("survey_detail", survey_id=survey.pk)).content.decode()
    assert "None of your units has enough invited people to be shown on its own." in leader

    hr = logged_in(personas.org_admin).get(url("survey_detail", survey_id=survey.pk)).content.decode()
    hr_rows = hr.split('id="audience-caption"', 1)[1].split("</table>", 1)[0]
    assert '<td>Testby Kommune</td><td class="align-text-right">14</td>' in hr_rows
    assert "Børn og Unge" not in hr_rows
    assert "<dt>People invited</dt><dd>14</dd>" in hr


def test_survey_list_shows_status_period_and_counts(personas):
    survey = draft_survey(personas)
    services.survey_launch(actor=personas.org_admin, survey=survey)
    Ballot.objects.filter(pk=survey.ballot_id).update(completed_count=3)
    html = logged_in(personas.org_admin).get(url("survey_list")).content.decode()
    assert "Trivsel 2026" in html
    assert "<td>Open</td>" in html
    assert '<td class="align-text-right">3</td>' in html
    assert '<td class="align-text-right">8</td>' in html


def test_print_letters_for_invitees_without_e_mail(personas):
    survey = draft_survey(personas)
    client = logged_in(personas.org_admin)
    # Not before launch.
    response = client.get(url("survey_letters", survey_id=survey.pk), follow=True)
    assert "Letters can only be printed while the survey is open." in response.content.decode()
    services.survey_launch(actor=personas.org_admin, survey=survey)
    detail = client.get(url("survey_detail", survey_id=survey.pk)).content.decode()
    assert url("survey_letters", survey_id=survey.pk) in detail
    # Three teachers in Skole A and Ole in Plejecenter have no e-mail address.
    page = client.get(url("survey_letters", survey_id=survey.pk)).content.decode()
    assert "4 people have no e-mail address" in page
    response = client.post(url("survey_letters", survey_id=survey.pk))
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="ballot.letters_printed", organisation=personas.org).count() == 1
    assert logged_in(personas.leader).post(url("survey_letters", survey_id=survey.pk)).status_code == 403


# Invitation and reminder texts --------------------------------------------------------------------

INVITATION_TEXT = "Kære kolleger\n\nVi vil gerne høre, hvordan I har det på arbejdet."
REMINDER_TEXT = "Der er stadig tid til at svare."


def _create_and_launch(client, **overrides: object) -> Survey:
    opens = timezone.localtime() - timedelta(hours=1)
    data = form_data(
        opens_at=opens.strftime("%Y-%m-%dT%H:%M"),
        closes_at=(opens + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M"),
        **overrides,
    )
    response = client.post(url("survey_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    survey = Survey.objects.get()
    client.post(url("survey_launch", survey_id=survey.pk))
    survey.ballot.refresh_from_db()
    assert survey.ballot.status == Ballot.Status.OPEN
    return survey


def test_the_invitation_and_reminder_mails_carry_the_surveys_texts(personas):
    client = logged_in(personas.org_admin)
    mail.outbox.clear()
    survey = _create_and_launch(client, invitation_text=f"  {INVITATION_TEXT}\n", reminder_text=REMINDER_TEXT)
    ballot = survey.ballot
    assert (ballot.invitation_text, ballot.reminder_text) == (INVITATION_TEXT, REMINDER_TEXT)
    employee = personas.employee_person
    message = next(m for m in mail.outbox if m.to == [employee.email])
    # HR's own words come first; the standard text with the personal link and code follows.
    assert message.body.startswith(INVITATION_TEXT)
    invitation = Invitation.objects.get(ballot=ballot, person=employee)
    token = token_for(invitation.pk, invitation.issue_number)
    assert message.body.index(INVITATION_TEXT) < message.body.index(token_format(token))
    assert "Dear Erik," in message.body
    assert REMINDER_TEXT not in message.body
    assert INVITATION_TEXT not in message.subject

    mail.outbox.clear()
    invitation_services.ballots_run_due(now=timezone.now() + timedelta(days=3, minutes=1))
    reminder = next(m for m in mail.outbox if m.to == [employee.email])
    assert reminder.body.startswith(REMINDER_TEXT)
    assert INVITATION_TEXT not in reminder.body
    assert token_format(token) in reminder.body
    detail = client.get(url("survey_detail", survey_id=survey.pk)).content.decode()
    assert "Vi vil gerne høre, hvordan I har det på arbejdet." in detail


def test_without_texts_the_mails_are_the_standard_ones(personas):
    client = logged_in(personas.org_admin)
    mail.outbox.clear()
    survey = _create_and_launch(client, invitation_text="", reminder_text="  ")
    assert (survey.ballot.invitation_text, survey.ballot.reminder_text) == ("", "")
    message = next(m for m in mail.outbox if m.to == [personas.employee_person.email])
    assert message.body.startswith("Kære Erik")
    assert "=====" not in message.body
    mail.outbox.clear()
    invitation_services.ballots_run_due(now=timezone.now() + timedelta(days=3, minutes=1))
    reminder = next(m for m in mail.outbox if m.to == [personas.employee_person.email])
    assert reminder.body.startswith("Kære Erik")
    assert "=====" not in reminder.body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("invitation_text", "x" * 4001, "at most 4000 characters"),
        ("reminder_text", "x" * 4001, "at most 4000 characters"),
        ("invitation_text", "Hej\x00", "Null characters are not allowed"),
    ],
)
def test_bad_texts_are_field_errors_and_nothing_is_saved(personas, field, value, message):
    client = logged_in(personas.org_admin)
    response = client.post(url("survey_create"), form_data(**{field: value}))
    assert response.status_code == 200
    error = response.content.decode().split(f'id="id_{field}-error"', 1)[1].split("</span>", 2)[1]
    assert message in error
    assert not Survey.objects.exists()
    assert not Ballot.objects.exists()


def test_the_survey_form_keeps_the_texts_until_launch(personas):
    client = logged_in(personas.org_admin)
    client.post(url("survey_create"), form_data(invitation_text=INVITATION_TEXT, reminder_text=REMINDER_TEXT))
    survey = Survey.objects.get()
    form = client.get(url("survey_edit", survey_id=survey.pk)).context["form"]
    assert (form.initial["invitation_text"], form.initial["reminder_text"]) == (
        INVITATION_TEXT,
        REMINDER_TEXT,
    )
    data = form_data(
        questionnaire=str(survey.questionnaire_id), invitation_text=INVITATION_TEXT, reminder_text=""
    )
    assert client.post(url("survey_edit", survey_id=survey.pk), data).status_code == 302
    survey.ballot.refresh_from_db()
    assert (survey.ballot.invitation_text, survey.ballot.reminder_text) == (INVITATION_TEXT, "")
    services.survey_launch(actor=personas.org_admin, survey=survey)
    client.post(url("survey_edit", survey_id=survey.pk), {**data, "invitation_text": "Ændret"})
    survey.ballot.refresh_from_db()
    assert survey.ballot.invitation_text == INVITATION_TEXT
