"""Printed invitation letters: one A4 page per person with the code and a QR code of the link.

The PDF holds live codes, so it is built on request and never stored; each printing is audited
with a count only (DESIGN §4, residual risks: letter printing audited).
"""

import uuid
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.models import User
from puls.invitations import tokens
from puls.invitations.models import Ballot, Invitation
from puls.invitations.sending import code_entry_url, invitation_link
from puls.invitations.services import BallotError


@dataclass(frozen=True)
class Letter:
    name: str
    unit: str
    code: str
    qr_svg: SafeString


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code (only our own URL goes in, and the SVG is generated, not user input)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308  # nosec B308 B703


def _letters(invitations: list[Invitation]) -> list[Letter]:
    letters = []
    for invitation in invitations:
        token = tokens.token_for(invitation.pk, invitation.issue_number)
        letters.append(
            Letter(
                name=invitation.person.full_name,
                unit=invitation.unit.name,
                code=tokens.token_format(token),
                qr_svg=qr_svg(invitation_link(invitation.ballot_id, token)),
            )
        )
    return letters


def letters_pdf(*, actor: User, ballot: Ballot, invitation_ids: list[uuid.UUID] | None = None) -> bytes:
    """The letters of all letter-channel invitations of the ballot, or of the given invitations."""
    ballot = Ballot.objects.select_related("organisation").get(pk=ballot.pk)
    if ballot.status != Ballot.Status.OPEN or ballot.closes_at <= timezone.now():
        raise BallotError(_("Letters can only be printed while the ballot is open."))
    invitations = Invitation.objects.filter(ballot=ballot).select_related("person", "unit")
    if invitation_ids is None:
        invitations = invitations.filter(channel=Invitation.Channel.LETTER)
    else:
        invitations = invitations.filter(pk__in=invitation_ids)
    chosen = list(invitations.order_by("unit__path", "person__last_name", "person__first_name", "id"))
    if not chosen:
        raise BallotError(_("There are no letters to print."))
    html = render_to_string(
        "invitations/letters.html",
        {
            "ballot": ballot,
            "organisation": ballot.organisation,
            "letters": _letters(chosen),
            "code_url": code_entry_url(),
        },
    )
    import weasyprint  # imported here: it is slow to import and only letters need it

    pdf = weasyprint.HTML(string=html).write_pdf()
    audit_record(
        actor=actor,
        action="ballot.letters_printed",
        organisation=ballot.organisation,
        target=ballot,
        summary=ballot.title,
        data={"count": len(chosen), "selected": invitation_ids is not None},
    )
    return bytes(pdf or b"")
