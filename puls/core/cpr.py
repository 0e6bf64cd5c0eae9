"""The CPR-number screen of free text (DESIGN §4.5): participants are warned before they submit a
text that looks like it holds a Danish CPR number. One rule for surveys and dialogue rounds."""

import re
from datetime import date

# ddmmyy-xxxx or ddmmyyxxxx (a space is tolerated too), not inside a longer run of digits.
_CPR_PATTERN = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[-\s]?\d{4}(?!\d)")


def _plausible_birth_date(day: int, month: int, year: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
        except ValueError:
            continue
        return True
    return False


def looks_like_cpr(text: str) -> bool:
    """True when the text holds a number shaped like a Danish CPR number with a real date."""
    return any(
        _plausible_birth_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        for m in _CPR_PATTERN.finditer(text or "")
    )
