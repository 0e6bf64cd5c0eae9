"""Printed letters: one A4 page per person with the code, /svar and a QR code; printing is audited."""

import subprocess
from pathlib import Path

import pytest

from puls.core.models import AuditEntry
from puls.invitations import letters, services
from puls.invitations.models import Invitation
from puls.invitations.services import BallotError
from puls.invitations.tokens import token_format

pytestmark = pytest.mark.django_db


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "letters.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed command on a file we wrote
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_letters_for_everyone_without_email(launched, settings, tmp_path):
    ballot = launched.ballot
    pdf = letters.letters_pdf(actor=launched.personas.org_admin, ballot=ballot)
    assert pdf.startswith(b"%PDF")
    pages = pdf_pages(pdf, tmp_path)
    letter_invitations = Invitation.objects.filter(
        ballot=ballot, channel=Invitation.Channel.LETTER
    ).select_related("person", "unit")
    assert len(pages) == letter_invitations.count() == 4
    for invitation in letter_invitations:
        code = token_format(launched.token(invitation.person))
        (page,) = [page for page in pages if code in page]
        assert invitation.person.full_name in page
        assert invitation.unit.name in page
        assert f"{settings.SITE_URL}/svar/" in page
        assert "anonymous" in page or "anonyme" in page

    entry = AuditEntry.objects.get(action="ballot.letters_printed")
    assert entry.actor == launched.personas.org_admin
    assert entry.data == {"count": 4, "selected": False}
    assert not any(token in str(entry.data) + entry.summary for token in launched.tokens())


def test_a_reprinted_letter_carries_the_new_code(launched, tmp_path):
    employee = launched.personas.employee_person
    invitation = launched.invitation(employee)
    old = launched.token(employee)
    new = services.invitation_reprint(actor=launched.personas.org_admin, invitation=invitation)
    pdf = letters.letters_pdf(
        actor=launched.personas.org_admin, ballot=launched.ballot, invitation_ids=[invitation.pk]
    )
    (page,) = pdf_pages(pdf, tmp_path)
    assert token_format(new) in page
    assert token_format(old) not in page
    assert employee.full_name in page
    assert AuditEntry.objects.get(action="ballot.letters_printed").data == {"count": 1, "selected": True}


def test_the_qr_code_holds_the_personal_link(launched, settings):
    svg = letters.qr_svg(f"{settings.SITE_URL}/b/{launched.ballot.pk}/#ABCDEFGHJKMNPQRS")
    assert svg.startswith("<svg")
    assert "<path" in svg


def test_no_letters_after_close(launched):
    services.ballot_close(ballot=launched.ballot)
    with pytest.raises(BallotError):
        letters.letters_pdf(actor=launched.personas.org_admin, ballot=launched.ballot)
    assert not AuditEntry.objects.filter(action="ballot.letters_printed").exists()
