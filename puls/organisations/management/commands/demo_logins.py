from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from puls.organisations.demo.generator import demo_exists
from puls.organisations.demo.structure import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG
from puls.organisations.models import Employment, Organisation


class Command(BaseCommand):
    help = "Print the demo logins (e-mail, password, role, what to try) and the address of the site."

    def handle(self, *args: Any, **options: Any) -> None:
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(_("Puls: %(url)s") % {"url": settings.SITE_URL}))
        if not demo_exists():
            write(_("The demo is not loaded yet: run manage.py load_demo (make run does it for you)."))
            return
        write(_("Demo logins, all with the password %(password)s") % {"password": DEMO_PASSWORD})
        workplaces = {
            employment.person.email: employment
            for employment in Employment.objects.filter(
                person__email__in=[login.email for login in DEMO_LOGINS]
            ).select_related("person", "unit__organisation")
        }
        width = max(len(login.email) for login in DEMO_LOGINS)
        indent = " " * (width + 4)
        for login in DEMO_LOGINS:
            write("")
            write(f"  {self.style.HTTP_INFO(login.email.ljust(width))}  {login.title}")
            employment = workplaces.get(login.email)
            if employment is not None:
                unit = employment.unit
                place = (
                    [unit.name]
                    if unit.name == unit.organisation.name
                    else [unit.name, unit.organisation.name]
                )
                write(indent + ", ".join([employment.person.full_name, *place]))
            write(indent + _("Try: %(what)s") % {"what": login.what_to_try})
        write("")
        if apps.is_installed("puls.surveys"):
            from puls.surveys.demo.generator import surveys_demo_console_lines

            for line in surveys_demo_console_lines(Organisation.objects.get(slug=DEMO_SLUG)):
                write(line)
            write("")
        if apps.is_installed("puls.participation"):
            from puls.participation.demo import dialogue_demo_console_lines

            lines = dialogue_demo_console_lines(Organisation.objects.get(slug=DEMO_SLUG))
            for line in lines:
                write(line)
            if lines:
                write("")
