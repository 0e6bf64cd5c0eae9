"""Create a platform administrator, or make an existing login one."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from puls.core.audit import audit_record
from puls.core.models import User


class Command(BaseCommand):
    help = "Create a platform administrator (or promote an existing login) with the given password."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="", help="Full name shown in the header.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not a valid e-mail address: {email}") from error

        user = User.objects.filter(email__iexact=email).first()
        created = user is None
        if user is None:
            user = User(email=email)
        try:
            validate_password(options["password"], user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        user.is_platform_admin = True
        if options["name"]:
            user.full_name = options["name"]
        user.set_password(options["password"])
        user.save()
        audit_record(actor=None, action="user.platform_admin", target=user, summary=email)
        self.stdout.write(
            self.style.SUCCESS(f"{'Created' if created else 'Updated'} platform administrator {email}.")
        )
