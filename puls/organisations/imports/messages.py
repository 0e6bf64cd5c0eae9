"""What an import says about a row, stored as (code, params) and translated when shown.

Previews are computed by a task that has no request language, and read later by users who may
have chosen English or Danish, so the stored preview holds codes and the page translates them.
"""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Message = tuple[str, dict[str, Any]]

MESSAGES: dict[str, Promise] = {
    # Row errors
    "missing_value": _("%(field)s is missing."),
    "too_long": _("%(field)s is longer than %(limit)s characters."),
    "invalid_email": _("“%(value)s” is not a valid e-mail address."),
    "unknown_unit": _("Unit code %(value)s does not exist in Puls. Import the units first."),
    "closed_unit": _("Unit %(value)s is closed."),
    "duplicate_employee_number": _("Employee number %(value)s also appears in row %(row)s."),
    "duplicate_unit_code": _("Unit code %(value)s also appears in row %(row)s."),
    "invalid_date": _("“%(value)s” is not a date. Write dates as dd-mm-yyyy."),
    "invalid_birth_year": _("“%(value)s” is not a birth year. Write four digits, e.g. 1980."),
    "invalid_leader": _("“%(value)s” in the leader column must be yes or no."),
    "cpr_value": _(
        "The row contains what looks like a CPR number. Puls never stores CPR numbers: "
        "remove it from the file."
    ),
    "unknown_parent": _("Parent unit %(value)s is neither in the file nor in Puls."),
    "parent_has_errors": _("Parent unit %(value)s cannot be imported because its row has errors."),
    "cycle": _("The parent units form a cycle: %(value)s."),
    # Changes
    "field_changed": _("%(field)s: %(old)s → %(new)s"),
    "new_employment": _("The current employment ends %(end)s and a new one starts %(start)s."),
    "employment_starts": _("A new employment in unit %(unit)s starts %(start)s."),
    "becomes_leader": _("Becomes unit leader of %(unit)s."),
    "leader_removed": _("Is no longer unit leader of %(unit)s."),
}

FIELD_LABELS: dict[str, Promise] = {
    "code": _("Unit code"),
    "name": _("Name"),
    "parent_code": _("Parent unit code"),
    "employee_number": _("Employee number"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail"),
    "unit_code": _("Unit code"),
    "job_group": _("Job group"),
    "start_date": _("Start date"),
    "birth_year": _("Birth year"),
    "leader": _("Leader"),
}

OUTCOME_LABELS: dict[str, Promise] = {
    "new": _("New"),
    "changed": _("Changed"),
    "unchanged": _("Unchanged"),
    "error": _("Error"),
}

EMPTY = "–"


def describe(code: str, params: dict[str, Any]) -> str:
    """The message in the active language; an unknown code shows as itself rather than failing."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    values = {key: (EMPTY if value in ("", None) else value) for key, value in params.items()}
    if "field" in values:
        values["field"] = FIELD_LABELS.get(values["field"], values["field"])
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return code
