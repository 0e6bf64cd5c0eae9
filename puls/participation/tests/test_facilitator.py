"""Process and round pages: create, edit, rounds a week long by default, launch, close; the round's
results after close; shuffle and close keep receipts and contributions together."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from puls.invitations.models import Ballot
from puls.participation.models import Contribution, Process, Receipt, Round
from puls.participation.tests.conftest import facilitator_client

pytestmark = pytest.mark.django_db


def test_facilitator_creates_a_process_and_a_round_and_launches_it(crowd):
    client = facilitator_client(crowd)
    response = client.post(
        reverse("participation:process_create", kwargs={"org_slug": crowd.org.slug}),
        {
            "title": "Fælles værdier 2027",
            "purpose": "Vi finder vores værdier",
            "mode": "anonymous",
            "results": "internal",
            "audience": "everyone",
        },
    )
    process = Process.objects.get()
    assert response.status_code == 302
    round_url = reverse(
        "participation:round_create", kwargs={"org_slug": crowd.org.slug, "process_id": process.pk}
    )
    form = client.get(round_url).context["form"]
    opens, closes = form.initial["opens_at"], form.initial["closes_at"]
    assert closes - opens == timedelta(days=7)
    fmt = "%Y-%m-%dT%H:%M"
    now = timezone.localtime()
    client.post(
        round_url,
        {
            "title": "Runde 1",
            "kind": "ideas",
            "opens_at": (now - timedelta(hours=1)).strftime(fmt),
            "closes_at": (now + timedelta(days=7)).strftime(fmt),
            "categories": "Arbejdsmiljø\nLedelse",
            "supports": "on",
            "reminder_days": "3, 6",
        },
    )
    round_ = Round.objects.get()
    assert round_.settings["categories"] == ["Arbejdsmiljø", "Ledelse"]
    assert round_.ballot.reminder_days == [3, 6]
    kwargs = {"org_slug": crowd.org.slug, "process_id": process.pk, "round_id": round_.pk}
    client.post(reverse("participation:round_launch", kwargs=kwargs))
    round_.ballot.refresh_from_db()
    assert round_.ballot.status == Ballot.Status.OPEN
    assert round_.ballot.invited_count == 18
    # Anonymity and audience are frozen once a round is launched.
    response = client.post(
        reverse("participation:process_edit", kwargs={"org_slug": crowd.org.slug, "process_id": process.pk}),
        {"title": "Ny titel", "mode": "named", "results": "internal", "audience": "everyone"},
    )
    assert "can no longer change" in response.content.decode()
    process.refresh_from_db()
    assert process.mode == Process.Mode.ANONYMOUS


def test_results_after_close_and_cells_merged_with_their_rows(dialogue):
    people = dialogue.people()
    for index, person in enumerate(people[:10]):
        dialogue.submit_ideas(person, [f"Idé nummer {index}"])
    client = facilitator_client(dialogue.personas)
    round_url = dialogue.admin_url("round_detail", round_id=dialogue.round.pk)
    assert client.get(round_url).context["results"].shown is False
    receipts_before = set(Receipt.objects.values_list("pk", flat=True))
    client.post(dialogue.admin_url("round_close", round_id=dialogue.round.pk))
    ballot = dialogue.ballot
    assert ballot.status == Ballot.Status.CLOSED
    # The shuffle kept the pseudonyms and published everything.
    assert set(Receipt.objects.values_list("pk", flat=True)) == receipts_before
    assert not Contribution.objects.filter(shuffled=False).exists()
    assert all(receipt.contributions.count() == 1 for receipt in Receipt.objects.all())
    surviving = set(ballot.cells.filter(merged_into__isnull=True).values_list("pk", flat=True))
    assert set(Contribution.objects.values_list("cell_id", flat=True)) <= surviving
    page = client.get(round_url)
    assert page.context["results"].shown is True
    assert "Idé nummer 3" in page.content.decode()


def test_facilitator_pages_render(dialogue):
    client = facilitator_client(dialogue.personas)
    dialogue.submit_ideas(dialogue.people()[0], ["Idé"])
    dialogue.publish()
    for name, kwargs in (
        ("process_detail", {}),
        ("process_edit", {}),
        ("round_create", {}),
        ("round_detail", {"round_id": dialogue.round.pk}),
        ("round_edit", {"round_id": dialogue.round.pk}),
    ):
        response = client.get(dialogue.admin_url(name, **kwargs))
        assert response.status_code == 200, name
    page = client.get(dialogue.admin_url("round_detail", round_id=dialogue.round.pk))
    assert "Idé" in page.content.decode()
