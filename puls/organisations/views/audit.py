"""The organisation's audit log (HR only, read-only)."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from puls.core.models import AuditEntry
from puls.organisations import selectors
from puls.organisations.models import Person, Role
from puls.organisations.scoping import Access, org_view

ENTRIES_PER_PAGE = 50

# Readable names of the recorded actions; an action not listed here is shown by its code.
ACTION_LABELS = {
    "organisation.create": _("Organisation created"),
    "unit.move": _("Unit moved"),
    "unit.reorganise": _("Units reorganised"),
    "role.assign": _("Role assigned"),
    "role.remove": _("Role removed"),
    "person.anonymise": _("Person anonymised"),
    "person.activation_sent": _("Activation link sent"),
    "import.apply": _("Import applied"),
}
ROLE_ACTIONS = {"role.assign", "role.remove"}


@dataclass
class AuditRow:
    entry: AuditEntry
    action: str
    details: str
    # The person the entry is about, looked up now: the log itself stores only the id, so a person
    # who has since been anonymised is no longer named.
    person: Person | None


def _row(entry: AuditEntry, people: dict[str, Person]) -> AuditRow:
    details = entry.summary
    if entry.action in ROLE_ACTIONS and entry.summary in Role.values:
        details = str(Role(entry.summary).label)
        if units := entry.data.get("units"):
            details += f" ({', '.join(units)})"
    return AuditRow(
        entry=entry,
        action=str(ACTION_LABELS.get(entry.action, entry.action)),
        details=details,
        person=people.get(str(entry.data.get("person", ""))),
    )


@org_view(require=lambda access: access.is_org_admin)
def audit_log(request: HttpRequest) -> HttpResponse:
    access: Access = request.access  # type: ignore[attr-defined]
    page_obj = Paginator(selectors.audit_entry_list(access=access), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    entries = list(page_obj)
    person_ids = {str(entry.data["person"]) for entry in entries if entry.data.get("person")}
    people = selectors.people_by_id(access=access, person_ids=person_ids)
    rows = [_row(entry, people) for entry in entries]
    return render(request, "organisations/audit_log.html", {"page_obj": page_obj, "rows": rows})
