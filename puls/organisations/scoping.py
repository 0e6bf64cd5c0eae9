"""Who may see what inside an organisation (DESIGN §3).

Every view of tenant data resolves the organisation and the acting user's Access through
`org_view`; every read then goes through a selector that takes that Access. An organisation the
user does not belong to, and an object outside what the user may see, is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from puls.core.models import User
from puls.organisations.models import Organisation, Person, Role, Unit, UnitQuerySet


@dataclass
class Access:
    """What one user may do in one organisation."""

    user: User
    organisation: Organisation
    person: Person | None
    roles: dict[str, list[Unit]] = field(default_factory=dict)

    @property
    def is_platform_admin(self) -> bool:
        return bool(self.user.is_platform_admin)

    @property
    def is_org_admin(self) -> bool:
        return self.is_platform_admin or Role.ORG_ADMIN in self.roles

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_leader(self) -> bool:
        return Role.UNIT_LEADER in self.roles

    @property
    def is_med_rep(self) -> bool:
        return Role.MED_REP in self.roles

    @property
    def is_facilitator(self) -> bool:
        return self.is_org_admin or Role.FACILITATOR in self.roles

    @property
    def can_manage_people(self) -> bool:
        return self.is_org_admin

    @cached_property
    def scope_roots(self) -> list[Unit]:
        """The units whose subtrees this user may see unit data of (leader and MED/AMO roles)."""
        roots: dict[Any, Unit] = {}
        for role in (Role.UNIT_LEADER, Role.MED_REP):
            for unit in self.roles.get(role, []):
                roots[unit.pk] = unit
        # Drop roots that lie inside another root, so subtree filters stay short.
        ordered = sorted(roots.values(), key=lambda u: len(u.path))
        kept: list[Unit] = []
        for unit in ordered:
            if not any(unit.path.startswith(other.path) for other in kept):
                kept.append(unit)
        return kept

    @property
    def sees_whole_organisation(self) -> bool:
        return self.is_org_admin

    @property
    def can_see_people(self) -> bool:
        return self.sees_whole_organisation or bool(self.scope_roots)

    def visible_units(self) -> UnitQuerySet:
        units = Unit.objects.filter(organisation=self.organisation)
        if self.sees_whole_organisation:
            return units
        return units.within(self.scope_roots)

    def can_see_unit(self, unit: Unit) -> bool:
        if unit.organisation_id != self.organisation.pk:
            return False
        return self.sees_whole_organisation or any(unit.is_within(root) for root in self.scope_roots)


def access_build(*, user: User, organisation: Organisation) -> Access | None:
    """The user's Access in the organisation, or None when the user does not belong there."""
    person = (
        Person.objects.filter(organisation=organisation, user=user, anonymised_at__isnull=True).first()
        if user.is_authenticated
        else None
    )
    if person is None and not (user.is_authenticated and user.is_platform_admin):
        return None
    roles: dict[str, list[Unit]] = {}
    if person is not None:
        for assignment in person.role_assignments.prefetch_related("units"):
            roles[assignment.role] = list(assignment.units.all())
    return Access(user=user, organisation=organisation, person=person, roles=roles)


def organisation_get_for_user(*, user: User, slug: str) -> tuple[Organisation, Access]:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    access = access_build(user=user, organisation=organisation)
    if access is None:
        raise Http404
    return organisation, access


def org_view(
    require: Callable[[Access], bool] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view under /o/<org_slug>/: log-in required, sets request.organisation and
    request.access, 404 for organisations the user does not belong to, 403 when the user belongs
    but lacks the capability `require` asks for."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, org_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            organisation, access = organisation_get_for_user(user=request.user, slug=org_slug)  # type: ignore[arg-type]
            request.organisation = organisation  # type: ignore[attr-defined]
            request.access = access  # type: ignore[attr-defined]
            if require is not None and not require(access):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def user_organisations(user: User) -> list[Organisation]:
    if not user.is_authenticated:
        return []
    if user.is_platform_admin:
        return list(Organisation.objects.all())
    return list(Organisation.objects.filter(people__user=user, people__anonymised_at__isnull=True).distinct())
