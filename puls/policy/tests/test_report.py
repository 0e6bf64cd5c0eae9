"""Report-back: HR opens a yearly round, each unit's leader answers, the dashboard counts who has
answered and which tools were used against the goal, reminders go out by the daily job."""

import io
import subprocess
from datetime import timedelta

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from puls.core.periodic import periodic_jobs
from puls.organisations import services as org_services
from puls.organisations.models import Role
from puls.policy.models import ReportAnswer, ReportRound, ValueWalk
from puls.policy.services import report
from puls.policy.tasks import report_reminders_send
from puls.policy.tests.conftest import client_for

pytestmark = pytest.mark.django_db
ORG = "testby"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"policy:{name}", kwargs={"org_slug": ORG, **kwargs})


def answer_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "what_done": "Vi holdt Værdivejen med hele personalet.",
        "tools": ["Værdivejen"],
        "effect": "Flere tager ordet på personalemøderne.",
        "next_steps": "Vi tager værdien ansvar op i foråret.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def second_leader(personas):
    """Skole B gets a leader too (Erik, who already has a login)."""
    org_services.role_assign(
        actor=None, person=personas.employee_person, role=Role.UNIT_LEADER, units=[personas.units["220"]]
    )
    return personas.employee


def test_hr_opens_a_round_and_every_unit_with_a_leader_is_asked(
    personas, second_leader, django_capture_on_commit_callbacks
):
    hr = client_for(personas.org_admin)
    due = timezone.localdate() + timedelta(days=30)
    response = hr.post(
        url("round_create"),
        {
            "title": "Status på værdiarbejdet 2027",
            "year": "2027",
            "due_on": due.isoformat(),
            "intro": "",
            "tools": "Værdivejen\nHverdagsfortællinger\n\nVærdivejen",
            "goal_units": "30",
        },
    )
    report_round = ReportRound.objects.get(title="Status på værdiarbejdet 2027")
    assert response["Location"] == url("round_detail", round_id=report_round.pk)
    assert report_round.tools == ["Værdivejen", "Hverdagsfortællinger"]
    assert report_round.status == ReportRound.Status.DRAFT
    # Leaders do not see a round before it opens.
    assert client_for(personas.leader).get(url("round_detail", round_id=report_round.pk)).status_code == 404

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(url("round_open", round_id=report_round.pk))
    report_round.refresh_from_db()
    assert report_round.status == ReportRound.Status.OPEN
    units = set(ReportAnswer.objects.filter(round=report_round).values_list("unit__code", flat=True))
    assert units == {"210", "220"}
    assert sorted(message.to[0] for message in mail.outbox) == ["ansat@testby.test", "leder@testby.test"]
    body = mail.outbox[0].body
    assert "Status på værdiarbejdet 2027" in body
    assert "/report-back/" in body


def test_leader_answers_and_the_dashboard_count_changes(personas, second_leader, objects):
    report_round = objects.round
    hr = client_for(personas.org_admin)
    dashboard = hr.get(url("round_detail", round_id=report_round.pk)).content.decode()
    assert "0 / 2" in dashboard
    assert dashboard.count("Not answered") == 2

    leader = client_for(personas.leader)
    answer_url = url("round_answer", round_id=report_round.pk, unit_id=personas.units["210"].pk)
    response = leader.post(answer_url, answer_data())
    assert response["Location"] == url("round_detail", round_id=report_round.pk)
    answer = ReportAnswer.objects.get(round=report_round, unit=personas.units["210"])
    assert answer.is_answered
    assert answer.tools == ["Værdivejen"]
    assert answer.submitted_by == personas.leader

    dashboard = hr.get(url("round_detail", round_id=report_round.pk)).content.decode()
    assert "1 / 2" in dashboard
    assert dashboard.count("Not answered") == 1
    # Tool counts: one unit used Værdivejen, and the goal of two workplaces is not reached yet.
    assert '<th scope="row">Værdivejen</th><td class="align-text-right">1</td>' in dashboard
    assert "So far: 1." in dashboard
    assert "The goal is reached." not in dashboard

    client_for(second_leader).post(
        url("round_answer", round_id=report_round.pk, unit_id=personas.units["220"].pk),
        answer_data(tools=["Værdivejen", "Hverdagsfortællinger"]),
    )
    dashboard = hr.get(url("round_detail", round_id=report_round.pk)).content.decode()
    assert "2 / 2" in dashboard
    assert "The goal is reached." in dashboard
    assert '<th scope="row">Værdivejen</th><td class="align-text-right">2</td>' in dashboard


def test_a_leader_answers_only_for_their_own_units(personas, second_leader, objects):
    report_round = objects.round
    leader = client_for(personas.leader)
    other = url("round_answer", round_id=report_round.pk, unit_id=personas.units["220"].pk)
    assert leader.get(other).status_code == 404
    assert leader.post(other, answer_data()).status_code == 404
    assert not ReportAnswer.objects.get(round=report_round, unit=personas.units["220"]).is_answered
    page = leader.get(url("round_detail", round_id=report_round.pk)).content.decode()
    assert "Skole A" in page
    assert "Skole B" not in page
    # Employees have no report-back pages; MED/AMO reads without answering.
    assert client_for(personas.employee_person.user).get(url("round_list")).status_code == 200  # now a leader
    from puls.testing import make_person

    plain = make_person(
        personas.org, personas.units["220"], "2290", "Ib", "Ingen", email="ib@testby.test", with_user=True
    )
    assert client_for(plain.user).get(url("round_list")).status_code == 403


def test_med_rep_reads_answers_of_their_units(personas, objects):
    plejecenter = personas.units["310"]
    from puls.testing import make_person

    boss = make_person(
        personas.org, plejecenter, "3199", "Pia", "Plejeleder", email="pia@testby.test", with_user=True
    )
    org_services.role_assign(actor=None, person=boss, role=Role.UNIT_LEADER, units=[plejecenter])
    ReportAnswer.objects.create(round=objects.round, unit=plejecenter)
    client_for(boss.user).post(
        url("round_answer", round_id=objects.round.pk, unit_id=plejecenter.pk), answer_data()
    )
    med = client_for(personas.med_rep)
    page = med.get(url("round_answer", round_id=objects.round.pk, unit_id=plejecenter.pk)).content.decode()
    assert "Flere tager ordet" in page
    assert 'name="what_done"' not in page
    assert (
        med.post(
            url("round_answer", round_id=objects.round.pk, unit_id=plejecenter.pk), answer_data()
        ).status_code
        == 403
    )
    assert (
        med.get(url("round_answer", round_id=objects.round.pk, unit_id=personas.units["210"].pk)).status_code
        == 404
    )


def test_the_form_ticks_vaerdivejen_when_the_unit_walked_this_year(personas, objects):
    ValueWalk.objects.filter(pk=objects.walk.pk).update(status=ValueWalk.Status.COMPLETED)
    page = (
        client_for(personas.leader)
        .get(url("round_answer", round_id=objects.round.pk, unit_id=personas.units["210"].pk))
        .content.decode()
    )
    assert 'value="Værdivejen" class="form-checkbox" id="id_tools_0" checked' in page


def test_reminders_go_before_the_deadline_once_and_weekly_after_it(personas, objects):
    report_round = objects.round
    now = timezone.now()
    mail.outbox.clear()
    assert report.reminders_send(report_round=report_round, now=now) == 0  # 30 days left
    ReportRound.objects.filter(pk=report_round.pk).update(due_on=timezone.localdate(now) + timedelta(days=5))
    report_reminders_send.enqueue()  # the daily job
    assert [message.to for message in mail.outbox] == [["leder@testby.test"]]
    assert "Reminder" in mail.outbox[0].subject or "Påmindelse" in mail.outbox[0].subject
    report_reminders_send.enqueue()  # run twice the same day: nothing more
    assert len(mail.outbox) == 1

    assert report.reminders_send_due(now=now + timedelta(days=3)) == 0  # still before the deadline
    assert report.reminders_send_due(now=now + timedelta(days=6)) == 1  # the deadline has passed
    assert report.reminders_send_due(now=now + timedelta(days=8)) == 0
    assert report.reminders_send_due(now=now + timedelta(days=13)) == 1  # a week later
    assert "The deadline was" in mail.outbox[-1].body

    # Once answered, no more reminders.
    answer = ReportAnswer.objects.get(round=report_round)
    report.answer_submit(
        actor=personas.leader,
        answer=answer,
        content=report.AnswerContent(what_done="x", tools=[], effect="y", next_steps="z"),
    )
    assert report.reminders_send_due(now=now + timedelta(days=30)) == 0
    assert "policy.report_reminders" in periodic_jobs()


def test_hr_reminds_by_hand_and_the_dashboard_shows_it(personas, objects):
    mail.outbox.clear()
    hr = client_for(personas.org_admin)
    hr.post(url("round_remind", round_id=objects.round.pk))
    assert len(mail.outbox) == 1
    page = hr.get(url("round_detail", round_id=objects.round.pk)).content.decode()
    assert "1 reminder was sent." in page or "<td>1 (" in page


def test_a_closed_round_takes_no_answers(personas, objects):
    client_for(personas.org_admin).post(url("round_close", round_id=objects.round.pk))
    response = client_for(personas.leader).post(
        url("round_answer", round_id=objects.round.pk, unit_id=personas.units["210"].pk), answer_data()
    )
    assert response.status_code == 403
    assert not ReportAnswer.objects.get(round=objects.round).is_answered


def test_compiled_pdf_and_xlsx_for_the_med_committee(personas, objects, tmp_path):
    client_for(personas.leader).post(
        url("round_answer", round_id=objects.round.pk, unit_id=personas.units["210"].pk), answer_data()
    )
    hr = client_for(personas.org_admin)
    response = hr.get(url("round_pdf", round_id=objects.round.pk))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    text = " ".join(text.split())
    assert "1 of 1 units have answered." in text
    assert "Flere tager ordet på personalemøderne." in text

    book = openpyxl.load_workbook(io.BytesIO(hr.get(url("round_xlsx", round_id=objects.round.pk)).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][4:6] == ("Værdivejen", "Hverdagsfortællinger")
    assert rows[1][1] == "Skole A"
    assert rows[1][4] == "Yes"
    assert rows[1][5] is None
    for user in (personas.leader, personas.med_rep):
        assert client_for(user).get(url("round_pdf", round_id=objects.round.pk)).status_code == 403
