"""Background work of survey reports."""

from puls.surveys.models import Survey


def report_compute_enqueue(*, survey: Survey) -> None:
    """Queue the computation of the survey's stored report (called when the ballot closes)."""
    raise NotImplementedError  # implemented by the report computation
