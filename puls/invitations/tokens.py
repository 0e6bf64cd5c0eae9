"""Invitation tokens (DESIGN §4.6).

token = HMAC(key, invitation id ‖ issue number), so reminders resend the same token without
storing it and a reprint (issue number + 1) kills the old one. Only HMACs of the token are
stored: one to find the invitation, a different one to key the draft. The token is written in
Crockford base32 in groups of four so it can be typed from a printed letter.
"""

import base64
import hashlib
import hmac
import re
import uuid

from django.conf import settings

TOKEN_CHARS = 16  # 80 bits
_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_NORMALISE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def _key(purpose: str) -> bytes:
    secret = getattr(settings, "INVITATION_SECRET", "") or settings.SECRET_KEY
    return hashlib.sha256(f"puls.invitations.{purpose}:{secret}".encode()).digest()


def _mac(purpose: str, message: str) -> bytes:
    return hmac.new(_key(purpose), message.encode(), hashlib.sha256).digest()


def token_for(invitation_id: uuid.UUID, issue_number: int) -> str:
    raw = _mac("token", f"{invitation_id.hex}:{issue_number}")
    encoded = base64.b32encode(raw).decode().translate(_CROCKFORD)
    return encoded[:TOKEN_CHARS]


def token_normalise(text: str) -> str:
    """Accept what people type from a letter: spaces, dashes, lower case, O for 0, I/L for 1."""
    return re.sub(r"[^0-9A-Z]", "", text.upper().translate(_NORMALISE))


def token_format(token: str) -> str:
    return "-".join(token[i : i + 4] for i in range(0, len(token), 4))


def token_lookup_hmac(token: str) -> str:
    return _mac("lookup", token_normalise(token)).hex()


def token_draft_key(token: str) -> str:
    return _mac("draft", token_normalise(token)).hex()
