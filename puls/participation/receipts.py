"""Receipt codes (DESIGN §4.9).

A receipt code is 16 random Crockford base32 characters (80 bits), shown as XXXX-XXXX-XXXX-XXXX on
the ballot's final review page and carried in the submit form. Only HMAC(receipt key, code) is
stored, in the submit transaction; the code itself is never written to a table, task or log.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

from puls.invitations.tokens import TOKEN_CHARS, token_format, token_normalise

CODE_CHARS = TOKEN_CHARS
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def _key() -> bytes:
    secret = getattr(settings, "INVITATION_SECRET", "") or settings.SECRET_KEY
    return hashlib.sha256(f"puls.participation.receipt:{secret}".encode()).digest()


def receipt_code_new() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_CHARS))


def receipt_code_normalise(text: str) -> str:
    """The code as typed (dashes, spaces, lower case, O for 0, I/L for 1) in its stored form, or ""."""
    code = token_normalise(text or "")
    return code if len(code) == CODE_CHARS else ""


def receipt_code_format(code: str) -> str:
    return token_format(code)


def receipt_code_hmac(code: str) -> str:
    return hmac.new(_key(), receipt_code_normalise(code).encode(), hashlib.sha256).hexdigest()
