import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from puls.organisations.demo.generator import demo_exists, demo_load


class Command(BaseCommand):
    help = "Create Demo Kommune (about 2,000 people in 60 units), Nabo Kommune and one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo organisations' data and create it again."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even when DEBUG is off (a public demo server): its password is published.",
        )

    def handle(self, *args: Any, reset: bool, force: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "The demo logins share a published password, so load_demo refuses to run with DEBUG off. "
                    "Use --force on a server that exists only to show the demo."
                )
            )
        if demo_exists() and not reset:
            self.stdout.write(
                _("Demo Kommune already exists; nothing to do (use --reset to create it again).")
            )
            return
        started = time.monotonic()
        summary = demo_load(reset=reset)
        for organisation in summary.organisations:
            self.stdout.write(
                _(
                    "%(name)s: %(people)d people in %(units)d units, %(without_email)d without e-mail, "
                    "%(leaders)d unit leaders."
                )
                % {
                    "name": organisation.name,
                    "people": organisation.people,
                    "units": organisation.units,
                    "without_email": organisation.without_email,
                    "leaders": organisation.leaders,
                }
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("%(logins)d demo logins ready in %(seconds).1f s; see them with: manage.py demo_logins")
                % {"logins": summary.logins, "seconds": time.monotonic() - started}
            )
        )
