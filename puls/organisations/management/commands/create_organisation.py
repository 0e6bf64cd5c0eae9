"""Create an organisation and its first HR administrator from the command line."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from puls.core.models import User
from puls.organisations import services
from puls.organisations.accounts import activation_link
from puls.organisations.forms_platform import OrganisationCreateForm
from puls.organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Create an organisation and its first HR administrator. Without --admin-password the "
        "administrator's activation link is printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument(
            "--kind", default=Organisation.Kind.MUNICIPALITY, choices=Organisation.Kind.values
        )
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument("--admin-employee-number", required=True)
        parser.add_argument(
            "--admin-password", help="Set this password instead of printing an activation link."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        form = OrganisationCreateForm(
            data={
                "name": options["name"],
                "slug": options["slug"],
                "kind": options["kind"],
                "admin_email": options["admin_email"],
                "admin_first_name": options["admin_first_name"],
                "admin_last_name": options["admin_last_name"],
                "admin_employee_number": options["admin_employee_number"],
            }
        )
        if not form.is_valid():
            problems = "; ".join(
                f"--{name.replace('_', '-')}: {' '.join(str(error) for error in errors)}"
                for name, errors in form.errors.items()
            )
            raise CommandError(problems)
        data = form.cleaned_data
        password = options["admin_password"]

        if password:
            candidate = User(
                email=data["admin_email"], full_name=f"{data['admin_first_name']} {data['admin_last_name']}"
            )
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error

        with transaction.atomic():
            organisation, admin = services.organisation_create_with_admin(
                actor=None,
                name=data["name"],
                kind=data["kind"],
                slug=data["slug"],
                admin_first_name=data["admin_first_name"],
                admin_last_name=data["admin_last_name"],
                admin_email=data["admin_email"],
                admin_employee_number=data["admin_employee_number"],
            )
            user = services.user_for_person(person=admin)
            if password:
                user.set_password(password)
                user.save(update_fields=["password"])

        self.stdout.write(self.style.SUCCESS(f"Created {organisation.name} (/o/{organisation.slug}/)."))
        if password:
            self.stdout.write(f"{user.email} can log in with the given password.")
        else:
            self.stdout.write(f"Activation link for {user.email} (works once):")
            self.stdout.write(activation_link(user))
