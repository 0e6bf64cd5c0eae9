"""Moderation (hide with reason, merge duplicates), themes with checkbox assignment and text
similarity suggestions, outcome links — through the facilitator pages (DESIGN §5)."""

import pytest
from django.urls import reverse

from puls.core.links import link_kind_get
from puls.core.models import AuditEntry, Link
from puls.participation import services
from puls.participation.link_kinds import OUTCOME_LINK, THEME_KIND
from puls.participation.models import Contribution, Outcome, Theme, ThemeMembership
from puls.participation.selectors import theme_candidates, theme_suggested_ids
from puls.participation.similarity import duplicate_pairs, similar_to
from puls.participation.tests.conftest import facilitator_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(dialogue):
    people = dialogue.people()
    dialogue.submit_ideas(people[0], ["Mere tid til faglig sparring", "Bedre kaffe i kantinen"])
    dialogue.submit_ideas(people[1], ["Faglig sparring med kolleger hver uge"])
    dialogue.submit_ideas(people[2], ["Færre møder"])
    dialogue.publish()
    return dialogue


def test_hide_with_reason_is_shown_as_hidden_by_moderator(published):
    coffee = Contribution.objects.get(text="Bedre kaffe i kantinen")
    client = facilitator_client(published.personas)
    url = published.admin_url("contribution_hide", round_id=published.round.pk, contribution_id=coffee.pk)
    client.post(url, {"reason": ""})
    coffee.refresh_from_db()
    assert not coffee.hidden
    client.post(url, {"reason": "Uden for emnet"})
    coffee.refresh_from_db()
    assert (coffee.hidden, coffee.hidden_reason) == (True, "Uden for emnet")
    page = client.get(published.admin_url("round_detail", round_id=published.round.pk)).content.decode()
    assert "Hidden by moderator:" in page
    assert "Uden for emnet" in page
    audit = AuditEntry.objects.get(action="dialogue.contribution.hide")
    assert "kaffe" not in str(audit.data) + audit.summary


def test_ideas_show_how_many_supported_them(published):
    page = facilitator_client(published.personas).get(
        published.admin_url("round_detail", round_id=published.round.pk)
    )
    assert page.status_code == 200
    assert "0 supports" in page.content.decode()


def test_unpublished_contributions_cannot_be_moderated(dialogue):
    dialogue.submit_ideas(dialogue.people()[0], ["Ikke offentliggjort endnu"])
    contribution = Contribution.objects.get()
    client = facilitator_client(dialogue.personas)
    url = dialogue.admin_url("contribution_hide", round_id=dialogue.round.pk, contribution_id=contribution.pk)
    assert client.post(url, {"reason": "x"}).status_code == 404
    page = client.get(dialogue.admin_url("round_detail", round_id=dialogue.round.pk)).content.decode()
    assert "Ikke offentliggjort endnu" not in page


def test_merge_duplicates_moves_themes_to_the_kept_contribution(published):
    first = Contribution.objects.get(text="Mere tid til faglig sparring")
    second = Contribution.objects.get(text="Faglig sparring med kolleger hver uge")
    admin = published.personas.org_admin
    theme = services.theme_create(actor=admin, process=published.process, title="Sparring")
    services.theme_assign(actor=admin, theme=theme, contribution_ids={second.pk}, shown_ids={second.pk})
    client = facilitator_client(published.personas)
    url = published.admin_url("contribution_merge", round_id=published.round.pk, contribution_id=second.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"into": str(first.pk)}).status_code == 302
    second.refresh_from_db()
    assert second.merged_into_id == first.pk
    assert set(ThemeMembership.objects.values_list("contribution_id", flat=True)) == {first.pk}
    page = client.get(published.admin_url("round_detail", round_id=published.round.pk)).content.decode()
    assert "Merged duplicate:" in page


def test_duplicate_and_theme_suggestions_come_from_text_similarity(published):
    texts = ["Mere tid til faglig sparring", "Faglig sparring med kolleger", "Bedre kaffe"]
    assert [(i, j) for i, j, _score in duplicate_pairs(texts, minimum=0.3)] == [(0, 1)]
    assert similar_to("sparring", texts)[0][0] in (0, 1)
    theme = Theme.objects.create(process=published.process, title="Faglig sparring")
    suggested = theme_suggested_ids(theme=theme, candidates=theme_candidates(process=published.process))
    assert suggested == set(
        Contribution.objects.filter(text__icontains="sparring").values_list("pk", flat=True)
    )
    page = facilitator_client(published.personas).get(published.admin_url("theme_detail", theme_id=theme.pk))
    assert "suggested" in page.content.decode()


def test_theme_assignment_with_checkboxes_keeps_members_not_on_the_form(published):
    theme = Theme.objects.create(process=published.process, title="Arbejdsliv")
    a, b, c = (
        Contribution.objects.get(text=t)
        for t in ("Færre møder", "Bedre kaffe i kantinen", "Mere tid til faglig sparring")
    )
    client = facilitator_client(published.personas)
    url = published.admin_url("theme_detail", theme_id=theme.pk)
    client.post(url, {"shown": [a.pk, b.pk], "member": [a.pk, b.pk]})
    assert set(theme.memberships.values_list("contribution_id", flat=True)) == {a.pk, b.pk}
    client.post(url, {"shown": [b.pk, c.pk], "member": [c.pk]})
    assert set(theme.memberships.values_list("contribution_id", flat=True)) == {a.pk, c.pk}


def test_outcome_links_are_core_links_with_a_reason(published):
    admin = published.personas.org_admin
    theme = services.theme_create(actor=admin, process=published.process, title="Møder")
    outcome = services.outcome_create(
        actor=admin, process=published.process, kind=Outcome.Kind.NOT_TAKEN_FORWARD, title="Nej"
    )
    client = facilitator_client(published.personas)
    url = published.admin_url("outcome_link", theme_id=theme.pk)
    client.post(url, {"outcome": str(outcome.pk), "reason": ""})
    assert not Link.objects.exists()
    client.post(url, {"outcome": str(outcome.pk), "reason": "Besluttet centralt"})
    link = Link.objects.get()
    assert (link.source_kind, link.source_id, link.kind, link.reason) == (
        THEME_KIND,
        theme.pk,
        OUTCOME_LINK,
        "Besluttet centralt",
    )
    page = client.get(published.admin_url("theme_detail", theme_id=theme.pk)).content.decode()
    assert "Besluttet centralt" in page
    # Other apps (policy) resolve the theme through the registered link kind, in its organisation only.
    assert link_kind_get(THEME_KIND).resolve(published.personas.org, theme.pk) == theme
    assert link_kind_get(THEME_KIND).resolve(published.personas.other_org, theme.pk) is None
    client.post(published.admin_url("outcome_unlink", theme_id=theme.pk, link_id=link.pk))
    assert not Link.objects.exists()


def test_facilitator_pages_are_for_the_organisation_admin_only(published, client):
    personas = published.personas
    url = reverse("participation:process_list", kwargs={"org_slug": personas.org.slug})
    assert facilitator_client(personas).get(url).status_code == 200
    client.force_login(personas.employee, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code == 403
    client.force_login(personas.outsider, backend="django.contrib.auth.backends.ModelBackend")
    foreign = reverse(
        "participation:process_detail",
        kwargs={"org_slug": personas.other_org.slug, "process_id": published.process.pk},
    )
    assert client.get(foreign).status_code == 404
