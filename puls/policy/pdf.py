"""PDFs of the policy app, rendered by WeasyPrint from templates and the print style sheets in
puls/static/puls/policy/ (the CSP does not apply to PDFs, but one style sheet per document keeps the
templates free of inline styles): the handbook (A4), the Værdivejen poster (A3) and the compiled
report-back for the MED committee (A4). Built on request, never stored."""

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

HANDBOOK_CSS = "puls/policy/print.css"
POSTER_CSS = "puls/policy/poster.css"


def _stylesheet(name: str) -> str:
    found = finders.find(name)
    if not found:
        raise FileNotFoundError(name)
    return str(Path(str(found)))


def render_pdf(template: str, context: dict[str, Any], *, stylesheet: str) -> bytes:
    import weasyprint  # imported here: it is slow to import and only PDFs need it

    html = render_to_string(template, {**context, "lang": translation.get_language() or "da"})
    document = weasyprint.HTML(string=html)
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(filename=_stylesheet(stylesheet))])
    return bytes(pdf or b"")
