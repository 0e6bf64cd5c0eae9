"""Background work of the policy app (ids only in the arguments)."""

from django_tasks import task

from puls.policy.models import ReportRound
from puls.policy.services import report


@task()
def report_round_announce(round_id: str) -> dict[str, int]:
    """E-mail the leaders that a report-back round has opened."""
    report_round = ReportRound.objects.select_related("organisation").filter(pk=round_id).first()
    if report_round is None or report_round.status != ReportRound.Status.OPEN:
        return {"sent": 0}
    return {"sent": report.round_announce(report_round=report_round)}


@task()
def report_reminders_send() -> dict[str, int]:
    """Remind the leaders who have not answered an open round (before the deadline and weekly after it)."""
    return {"sent": report.reminders_send_due()}
