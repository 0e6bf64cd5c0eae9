"""The process website /p/<org>/dialog/<process>/ (DESIGN §4.13, issue 6 part 5): who may read a
public and an internal process, draft rounds, results only when they may be shown, participation
per unit only where k holds, the round's XLSX and its PDF (made in the background, with progress),
and the process's outcomes."""

import io
import subprocess
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import openpyxl
import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from puls.core.models import User
from puls.core.periodic import periodic_jobs
from puls.organisations.models import Person
from puls.participation import selectors_site, services, services_site
from puls.participation.link_kinds import OUTCOME_KIND
from puls.participation.models import Contribution, Outcome, Process, Round, RoundExport
from puls.participation.site_access import site_cookie_grant, site_cookie_name
from puls.participation.site_exports import round_pdf
from puls.participation.tasks import round_exports_prune_task, round_pdf_task
from puls.participation.tests.conftest import Dialogue, facilitator_client
from puls.testing import Personas, dark_share, pdf_page_image

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
EXPORT_PAGES = ("round_pdf_status", "round_pdf_progress", "round_pdf_download")


def site_url(dialogue: Dialogue, name: str = "process", org_slug: str = "", **kwargs: object) -> str:
    return reverse(
        f"dialogue_site:{name}",
        kwargs={
            "org_slug": org_slug or dialogue.process.organisation.slug,
            "process_id": dialogue.process.pk,
            **kwargs,
        },
    )


def round_url(dialogue: Dialogue, name: str = "round", round_: Round | None = None) -> str:
    return site_url(dialogue, name, round_id=(round_ or dialogue.round).pk)


def anonymous() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def logged_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def make_public(dialogue: Dialogue, *, live: bool = False) -> None:
    Process.objects.filter(pk=dialogue.process.pk).update(results=Process.Results.PUBLIC, live_results=live)
    dialogue.process.refresh_from_db()


def with_site_cookie(client: Client, process: Process) -> Client:
    """The cookie the participant pages give whoever used an invitation to one of the rounds."""
    granted = site_cookie_grant(HttpResponse(), process)
    name = site_cookie_name(process)
    client.cookies[name] = granted.cookies[name].value
    return client


def ten_ideas(dialogue: Dialogue) -> list[Person]:
    """Ten participants (the free-text threshold) each submit one idea."""
    people = dialogue.people()[:10]
    for index, person in enumerate(people):
        dialogue.submit_ideas(person, [f"Idé nummer {index}"])
    return people


def close(dialogue: Dialogue) -> None:
    services.round_close(actor=dialogue.personas.org_admin, round_=Round.objects.get(pk=dialogue.round.pk))


@pytest.fixture
def closed_dialogue(dialogue: Dialogue) -> Dialogue:
    """Ten ballots; after close one idea is hidden, two are grouped under a theme with an outcome."""
    ten_ideas(dialogue)
    close(dialogue)
    admin = dialogue.personas.org_admin
    services.contribution_hide(
        actor=admin, contribution=Contribution.objects.get(text="Idé nummer 9"), reason="Nævner en person"
    )
    theme = services.theme_create(actor=admin, process=dialogue.process, title="Arbejdstid")
    members = set(
        Contribution.objects.filter(text__in=["Idé nummer 1", "Idé nummer 2"]).values_list("pk", flat=True)
    )
    services.theme_assign(actor=admin, theme=theme, contribution_ids=members, shown_ids=members)
    outcome = services.outcome_create(
        actor=admin, process=dialogue.process, kind=Outcome.Kind.DRAFT_VALUE, title="Vi respekterer fritiden"
    )
    services.outcome_link(
        actor=admin, theme=theme, target_kind=OUTCOME_KIND, target_id=outcome.pk, reason="Nævnt af mange"
    )
    return dialogue


# Who may read ----------------------------------------------------------------------------------------


def test_public_process_is_readable_without_login(dialogue):
    make_public(dialogue)
    response = anonymous().get(site_url(dialogue))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fælles værdier 2027" in page
    assert "Runde 1: Udfordringer" in page
    assert round_url(dialogue) in page
    assert reverse("dialogue_receipt:receipt") in page
    assert "private" in response["Cache-Control"]
    assert "no-store" not in response["Cache-Control"]
    assert anonymous().get(round_url(dialogue)).status_code == 200


def test_internal_process_is_a_404_for_anonymous_and_other_organisations(dialogue):
    personas = dialogue.personas
    for client in (anonymous(), logged_in(personas.outsider)):
        assert client.get(site_url(dialogue)).status_code == 404
        assert client.get(round_url(dialogue)).status_code == 404
    # Under another organisation's address the process does not exist, whoever asks.
    for client in (logged_in(personas.org_admin), logged_in(personas.outsider), anonymous()):
        assert client.get(site_url(dialogue, org_slug=personas.other_org.slug)).status_code == 404
    make_public(dialogue)
    assert anonymous().get(site_url(dialogue, org_slug=personas.other_org.slug)).status_code == 404


def test_internal_process_is_a_404_for_a_colleague_outside_its_audience(crowd: Personas):
    """Only Børn og Unge (200) is asked: the MED rep in Plejecenter (310) is neither in the
    audience nor invited, so the process does not exist for her."""
    process = services.process_create(
        actor=crowd.org_admin,
        organisation=crowd.org,
        settings=services.ProcessSettings(
            title="Skolernes værdier", audience_everyone=False, audience_units=[crowd.units["200"]]
        ),
    )
    now = timezone.now()
    round_ = services.round_create(
        actor=crowd.org_admin,
        process=process,
        settings=services.RoundSettings(
            title="Runde 1",
            kind="ideas",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=7),
        ),
    )
    services.round_launch(actor=crowd.org_admin, round_=round_)
    url = reverse("dialogue_site:process", kwargs={"org_slug": crowd.org.slug, "process_id": process.pk})
    assert logged_in(crowd.med_rep).get(url).status_code == 404
    assert logged_in(crowd.employee).get(url).status_code == 200  # Skole B is in Børn og Unge
    assert logged_in(crowd.leader).get(url).status_code == 200


def test_internal_process_is_open_to_facilitator_audience_member_and_invitation_cookie(dialogue):
    personas = dialogue.personas
    facilitator = facilitator_client(personas)
    response = facilitator.get(site_url(dialogue))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    # The facilitator gets a way back to the pages where the process is run.
    assert dialogue.admin_url("process_detail") in response.content.decode()
    # An employee of the audience who logs in.
    member = logged_in(personas.employee)
    assert member.get(site_url(dialogue)).status_code == 200
    assert member.get(round_url(dialogue)).status_code == 200
    assert dialogue.admin_url("process_detail") not in member.get(site_url(dialogue)).content.decode()
    # Someone without an account who holds the process's invitation cookie.
    cookie = with_site_cookie(anonymous(), dialogue.process)
    assert cookie.get(site_url(dialogue)).status_code == 200
    assert cookie.get(round_url(dialogue)).status_code == 200
    # A forged cookie value opens nothing.
    forged = anonymous()
    forged.cookies[site_cookie_name(dialogue.process)] = dialogue.process.pk.hex
    assert forged.get(site_url(dialogue)).status_code == 404


def test_the_invitation_link_gives_the_site_cookie(dialogue):
    """A participant without an account follows the invitation link and can then read the site."""
    participant = dialogue.participant(dialogue.people()[3])
    assert participant.get(dialogue.url("start")).status_code == 302
    assert participant.get(site_url(dialogue)).status_code == 200


def test_a_cookie_of_another_process_opens_nothing(dialogue, make_dialogue: Callable[..., Dialogue]):
    other = make_dialogue()
    client = with_site_cookie(anonymous(), other.process)
    assert client.get(site_url(other)).status_code == 200
    assert client.get(site_url(dialogue)).status_code == 404


def test_draft_rounds_are_not_part_of_the_site(dialogue):
    now = timezone.now()
    draft = services.round_create(
        actor=dialogue.personas.org_admin,
        process=dialogue.process,
        settings=services.RoundSettings(
            title="Runde 2: Hemmelig kladde",
            kind="ideas",
            opens_at=now + timedelta(days=8),
            closes_at=now + timedelta(days=15),
        ),
    )
    facilitator = facilitator_client(dialogue.personas)
    page = facilitator.get(site_url(dialogue)).content.decode()
    assert "Runde 1: Udfordringer" in page
    assert "Hemmelig kladde" not in page
    assert facilitator.get(round_url(dialogue, round_=draft)).status_code == 404


# Results ---------------------------------------------------------------------------------------------


def test_results_appear_only_after_the_round_closes(dialogue):
    make_public(dialogue)
    ten_ideas(dialogue)
    dialogue.publish()
    before = anonymous().get(round_url(dialogue))
    assert "The results appear when the round closes." in before.content.decode()
    assert "Idé nummer 3" not in before.content.decode()
    assert anonymous().get(round_url(dialogue, "round_pdf")).status_code == 404
    assert anonymous().get(round_url(dialogue, "round_xlsx")).status_code == 404
    close(dialogue)
    after = anonymous().get(round_url(dialogue)).content.decode()
    assert "Idé nummer 3" in after
    assert round_url(dialogue, "round_pdf") in after


def test_closed_round_with_too_few_ballots_says_so(dialogue):
    make_public(dialogue)
    for index, person in enumerate(dialogue.people()[:3]):
        dialogue.submit_ideas(person, [f"Idé {index}"])
    close(dialogue)
    page = anonymous().get(round_url(dialogue)).content.decode()
    assert "when enough people have taken part" in page
    assert "Idé 1" not in page
    assert anonymous().get(round_url(dialogue, "round_xlsx")).status_code == 404


def test_live_results_while_open_when_the_process_says_so(dialogue):
    make_public(dialogue, live=True)
    ten_ideas(dialogue)
    dialogue.publish()
    page = anonymous().get(round_url(dialogue)).content.decode()
    assert "Idé nummer 4" in page
    assert "Live results" in page
    # A ballot submitted since the last batch stays unpublished: it is not shown one by one.
    dialogue.submit_ideas(dialogue.people()[10], ["Helt ny idé"])
    assert "Helt ny idé" not in anonymous().get(round_url(dialogue)).content.decode()


def test_ideas_are_listed_by_theme_hidden_ones_with_the_reason(closed_dialogue):
    page = facilitator_client(closed_dialogue.personas).get(round_url(closed_dialogue)).content.decode()
    theme_at = page.index("Theme: Arbejdstid")
    loose_at = page.index("Not grouped under a theme")
    assert theme_at < page.index("Idé nummer 1") < loose_at
    assert loose_at < page.index("Idé nummer 5")
    assert "Hidden by moderator: Nævner en person" in page
    assert "Idé nummer 9" not in page
    # The facilitator's own round page includes the same results template.
    admin_page = facilitator_client(closed_dialogue.personas).get(
        closed_dialogue.admin_url("round_detail", round_id=closed_dialogue.round.pk)
    )
    assert "Theme: Arbejdstid" in admin_page.content.decode()


def test_process_page_shows_what_became_of_each_theme(closed_dialogue):
    page = facilitator_client(closed_dialogue.personas).get(site_url(closed_dialogue)).content.decode()
    assert "Arbejdstid" in page
    assert "Vi respekterer fritiden" in page
    assert "Nævnt af mange" in page
    assert "Closed" in page


# Participation ---------------------------------------------------------------------------------------


def test_participation_per_unit_only_for_units_with_k_invitees(closed_dialogue):
    """18 invited: Skole A 7, Skole B 6, Testby Kommune's own staff 3, Ældre/Plejecenter 2 (< k = 5)."""
    response = facilitator_client(closed_dialogue.personas).get(round_url(closed_dialogue))
    participation = response.context["participation"]
    assert (participation.invited, participation.answered) == (18, 10)
    shown = {row.unit.name: row.invited for row in participation.units}
    assert shown == {"Testby Kommune": 18, "Børn og Unge": 13, "Skole A": 7, "Skole B": 6}
    assert participation.hidden_units == 2
    page = response.content.decode()
    table = page[page.index('id="unit-participation"') :]
    assert "Skole A" in table
    assert "Plejecenter" not in table
    assert "Ældre" not in table
    assert "2 units are not listed on their own" in page


# Exports ---------------------------------------------------------------------------------------------


def request_pdf(client: Client, dialogue: Dialogue, capture, *, execute: bool = True, **extra: Any) -> Any:
    """Press the round page's "Results as PDF" button; with `execute` the task runs (immediate
    backend) once the request commits, as the worker would run it."""
    with capture(execute=execute):
        return client.post(round_url(dialogue, "round_pdf"), **extra)


def export_url(dialogue: Dialogue, name: str, export: RoundExport, org_slug: str = "") -> str:
    return site_url(dialogue, name, org_slug=org_slug, round_id=export.round_id, export_id=export.pk)


def test_round_pdf_is_made_in_the_background_then_downloaded(
    closed_dialogue, tmp_path, django_capture_on_commit_callbacks
):
    client = facilitator_client(closed_dialogue.personas)
    page = client.get(round_url(closed_dialogue)).content.decode()
    assert f'hx-post="{round_url(closed_dialogue, "round_pdf")}"' in page
    assert '<div id="round-pdf-export" role="status" aria-live="polite"></div>' in page

    fragment = request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks, **HTMX)
    export = RoundExport.objects.get()
    assert (export.round_id, export.status, export.progress, export.language) == (
        closed_dialogue.round.pk,
        RoundExport.Status.DONE,
        100,
        "en",
    )
    assert fragment.status_code == 200
    assert "no-store" in fragment["Cache-Control"]
    # The fragment was answered before the task ran (on commit); its next poll offers the file.
    assert export_url(closed_dialogue, "round_pdf_progress", export) in fragment.content.decode()
    html = client.get(export_url(closed_dialogue, "round_pdf_progress", export), **HTMX).content.decode()
    assert export_url(closed_dialogue, "round_pdf_download", export) in html
    assert "hx-get" not in html

    response = client.get(export_url(closed_dialogue, "round_pdf_download", export))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="1-runde-1-udfordringer.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "round.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "Runde 1: Udfordringer" in text
    assert "Fælles værdier 2027" in text
    assert "How anonymity is protected" in text
    assert "Idé nummer 3" in text
    assert "Hidden by moderator: Nævner en person" in text
    assert "Idé nummer 9" not in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "(A4)" in info
    for number in (1, 2, 3):  # cover, participation, results: drawn as a printer would, none blank
        assert dark_share(pdf_page_image(pdf, page=number)) > 0.0005


def test_round_pdf_is_the_round_page_context_rendered_as_before(
    closed_dialogue, django_capture_on_commit_callbacks
):
    """The task renders exactly what `round_pdf` renders for the round page's context."""
    client = facilitator_client(closed_dialogue.personas)
    request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks)
    export = RoundExport.objects.get()
    with translation.override("en"):
        context = selectors_site.site_round_context(
            process=closed_dialogue.process, round_id=closed_dialogue.round.pk
        )
        expected = round_pdf(context=context)
    assert pdf_text(bytes(export.content or b"")) == pdf_text(expected)


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S607


def test_round_pdf_shows_its_progress_until_the_file_is_ready(
    closed_dialogue, django_capture_on_commit_callbacks
):
    client = facilitator_client(closed_dialogue.personas)
    # The request's commit is not simulated: the task has not run, the export waits.
    fragment = request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks, execute=False, **HTMX)
    export = RoundExport.objects.get()
    assert export.status == RoundExport.Status.PENDING
    html = fragment.content.decode()
    assert (
        f'<progress id="round-pdf-export-bar-{export.pk}" class="puls-progress" max="100" value="0">' in html
    )
    assert (
        f'<label class="form-label" for="round-pdf-export-bar-{export.pk}">Making the results PDF</label>'
        in html
    )
    assert f'hx-get="{export_url(closed_dialogue, "round_pdf_progress", export)}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "Waiting to start." in html
    assert client.get(export_url(closed_dialogue, "round_pdf_download", export)).status_code == 404

    # A second press while it is being made follows the same export.
    again = request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks, execute=False)
    assert again.status_code == 302
    assert again["Location"] == export_url(closed_dialogue, "round_pdf_status", export)
    assert RoundExport.objects.count() == 1

    # Without JavaScript: the export's own page, with the bar in a live region and a reload link.
    status = client.get(export_url(closed_dialogue, "round_pdf_status", export))
    assert status.status_code == 200
    assert "no-store" in status["Cache-Control"]
    page = status.content.decode()
    assert '<div role="status" aria-live="polite">' in page
    assert f'<a href="{export_url(closed_dialogue, "round_pdf_status", export)}">Update</a>' in page

    RoundExport.objects.filter(pk=export.pk).update(status=RoundExport.Status.RUNNING, progress=40)
    running = client.get(export_url(closed_dialogue, "round_pdf_progress", export), **HTMX).content.decode()
    assert 'max="100" value="40"' in running
    assert "40 % done." in running
    assert "hx-get" in running

    RoundExport.objects.filter(pk=export.pk).update(status=RoundExport.Status.PENDING, progress=0)
    assert round_pdf_task.call(str(export.pk)) == RoundExport.Status.DONE
    assert round_pdf_task.call(str(export.pk)) == "skipped"  # built once
    done = client.get(export_url(closed_dialogue, "round_pdf_progress", export), **HTMX).content.decode()
    assert export_url(closed_dialogue, "round_pdf_download", export) in done
    assert "Download the PDF" in done
    assert "hx-get" not in done  # polling stops
    assert "<progress" not in done
    assert client.get(export_url(closed_dialogue, "round_pdf_download", export)).content.startswith(b"%PDF")


def test_a_failed_or_lost_round_pdf_says_so_and_stops_polling(
    closed_dialogue, django_capture_on_commit_callbacks
):
    client = facilitator_client(closed_dialogue.personas)
    request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks, execute=False)
    export = RoundExport.objects.get()
    # Still "building" two hours later: its worker was lost.
    RoundExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(hours=2))
    for status in (RoundExport.Status.RUNNING, RoundExport.Status.FAILED):
        RoundExport.objects.filter(pk=export.pk).update(status=status)
        html = client.get(export_url(closed_dialogue, "round_pdf_progress", export), **HTMX).content.decode()
        assert "The PDF could not be made" in html, status
        assert 'role="alert"' in html
        assert "hx-get" not in html
        assert client.get(export_url(closed_dialogue, "round_pdf_download", export)).status_code == 404
    # A new press makes a new PDF instead of following the lost one.
    request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks)
    assert RoundExport.objects.filter(status=RoundExport.Status.DONE).count() == 1


def test_an_old_link_to_the_round_pdf_leads_to_the_round_page(closed_dialogue):
    response = facilitator_client(closed_dialogue.personas).get(round_url(closed_dialogue, "round_pdf"))
    assert response.status_code == 302
    assert response["Location"] == round_url(closed_dialogue)
    assert not RoundExport.objects.exists()


def test_round_pdf_needs_the_same_access_as_the_round_page(
    closed_dialogue, django_capture_on_commit_callbacks
):
    """Internal process: the facilitator, a member of the audience and the invitation cookie may make
    and fetch the PDF; anyone else gets the 404 the round page gives them, for every address."""
    personas = closed_dialogue.personas
    request_pdf(facilitator_client(personas), closed_dialogue, django_capture_on_commit_callbacks)
    export = RoundExport.objects.get()
    addresses = [export_url(closed_dialogue, name, export) for name in EXPORT_PAGES]
    for client in (anonymous(), logged_in(personas.outsider)):
        assert request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks).status_code == 404
        for address in addresses:
            assert client.get(address).status_code == 404, address
    assert RoundExport.objects.count() == 1
    for client in (logged_in(personas.employee), with_site_cookie(anonymous(), closed_dialogue.process)):
        for address in addresses:
            assert client.get(address).status_code == 200, address
        assert client.get(addresses[-1]).content.startswith(b"%PDF")
        assert request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks).status_code == 302
    # A public process: anyone, no login needed.
    make_public(closed_dialogue)
    assert anonymous().get(addresses[-1]).content.startswith(b"%PDF")


def test_round_pdf_only_of_results_that_may_be_shown(dialogue, django_capture_on_commit_callbacks):
    make_public(dialogue)
    ten_ideas(dialogue)
    assert request_pdf(anonymous(), dialogue, django_capture_on_commit_callbacks).status_code == 404
    assert not RoundExport.objects.exists()
    # An export of a round whose results are not shown (made here by hand) is not served either.
    export = RoundExport.objects.create(
        round=dialogue.round, status=RoundExport.Status.DONE, content=b"%PDF-", file_name="x.pdf"
    )
    for name in EXPORT_PAGES:
        assert anonymous().get(export_url(dialogue, name, export)).status_code == 404
    RoundExport.objects.filter(pk=export.pk).update(status=RoundExport.Status.PENDING)
    assert services_site.round_pdf_build(export_id=export.pk) == RoundExport.Status.FAILED


def test_another_rounds_or_organisations_round_pdf_is_a_404(
    closed_dialogue, make_dialogue: Callable[..., Dialogue], django_capture_on_commit_callbacks
):
    personas = closed_dialogue.personas
    client = facilitator_client(personas)
    request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks)
    export = RoundExport.objects.get()
    other = make_dialogue()
    for name in EXPORT_PAGES:
        # Under another process of the same organisation, or another organisation's address.
        assert client.get(export_url(other, name, export)).status_code == 404, name
        assert (
            client.get(
                export_url(closed_dialogue, name, export, org_slug=personas.other_org.slug)
            ).status_code
            == 404
        )
        # Another organisation's admin.
        assert logged_in(personas.outsider).get(export_url(closed_dialogue, name, export)).status_code == 404
        # An unknown export id.
        unknown = site_url(closed_dialogue, name, round_id=closed_dialogue.round.pk, export_id=uuid.uuid4())
        assert client.get(unknown).status_code == 404, name


def test_round_pdfs_are_deleted_a_day_after_they_were_requested(
    closed_dialogue, django_capture_on_commit_callbacks
):
    client = facilitator_client(closed_dialogue.personas)
    request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks)
    old = RoundExport.objects.get()
    RoundExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    request_pdf(client, closed_dialogue, django_capture_on_commit_callbacks)
    new = RoundExport.objects.exclude(pk=old.pk).get()
    assert round_exports_prune_task.call() == 1
    assert list(RoundExport.objects.values_list("pk", flat=True)) == [new.pk]
    job = periodic_jobs()["participation.round_exports_prune"]
    assert job.task is round_exports_prune_task
    assert job.every <= timedelta(hours=1)


def test_round_xlsx_numbers_are_the_pages(closed_dialogue):
    client = facilitator_client(closed_dialogue.personas)
    page = client.get(round_url(closed_dialogue)).context["participation"]
    response = client.get(round_url(closed_dialogue, "round_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames[:2] == ["Overview", "Participation"]
    assert len(workbook.sheetnames) == 3  # the ideas kind's one sheet
    overview = {row[0]: row[1] for row in workbook["Overview"].iter_rows(min_row=2, values_only=True)}
    assert overview["Process"] == "Fælles værdier 2027"
    assert overview["Round"] == "1. Runde 1: Udfordringer"
    assert (overview["Invited"], overview["Answered"]) == (page.invited, page.answered)
    units = list(workbook["Participation"].iter_rows(min_row=2, values_only=True))
    assert units == [(row.unit.name, row.invited, row.answered, row.rate) for row in page.units]
    ideas = [row[0] for row in workbook[workbook.sheetnames[2]].iter_rows(min_row=2, values_only=True)]
    assert len(ideas) == 10
    assert "Idé nummer 3" in ideas
    assert "Idé nummer 9" not in ideas


def test_exports_follow_the_same_access_as_the_pages(closed_dialogue):
    for name in ("round_pdf", "round_xlsx"):
        assert anonymous().get(round_url(closed_dialogue, name)).status_code == 404
        assert (
            logged_in(closed_dialogue.personas.outsider).get(round_url(closed_dialogue, name)).status_code
            == 404
        )
    assert (
        logged_in(closed_dialogue.personas.employee).get(round_url(closed_dialogue, "round_xlsx")).status_code
        == 200
    )


def test_site_pages_accept_no_post(dialogue):
    make_public(dialogue)
    assert anonymous().post(site_url(dialogue)).status_code == 405
    assert anonymous().post(round_url(dialogue)).status_code == 405
