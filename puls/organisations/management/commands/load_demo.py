import time
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from puls.organisations.demo.generator import DEMO_ORGANISATIONS, demo_exists, demo_load
from puls.organisations.demo.structure import DEMO_SLUG
from puls.organisations.models import Organisation


class Command(BaseCommand):
    help = "Create Demo Kommune (about 2,000 people in 60 units), Nabo Kommune and one login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo organisations' data and create it again."
        )
        parser.add_argument(
            "--without-surveys",
            "--without-ballots",
            dest="without_surveys",
            action="store_true",
            help=(
                "Leave out the demo surveys and the dialogue process, whose answered ballots take most of "
                "the loading time (organisations, people, logins, policy and action plans only)."
            ),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even when DEBUG is off (a public demo server): its password is published.",
        )

    def handle(self, *args: Any, reset: bool, force: bool, without_surveys: bool, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "The demo logins share a published password, so load_demo refuses to run with DEBUG off. "
                    "Use --force on a server that exists only to show the demo."
                )
            )
        surveys = apps.is_installed("puls.surveys") and not without_surveys
        dialogue = apps.is_installed("puls.participation") and not without_surveys
        if demo_exists() and not reset:
            # A demo loaded before the surveys (actions, dialogue) demo existed gets them now. Surveys
            # come before actions: the action plans follow up results of the computed survey report.
            created = bool(surveys and self._surveys_demo())
            created = self._policy_demo() or created
            created = self._actions_demo() or created
            created = bool(dialogue and self._dialogue_demo()) or created
            if not created:
                self.stdout.write(
                    _("Demo Kommune already exists; nothing to do (use --reset to create it again).")
                )
            return
        started = time.monotonic()
        with transaction.atomic():
            if reset and apps.is_installed("puls.participation"):
                self._dialogue_clear()
            if reset and apps.is_installed("puls.surveys"):
                self._surveys_clear()
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
        if surveys:
            self._surveys_demo()  # computes the reports, whose low results the action plans follow up
        self._policy_demo()
        self._actions_demo()
        if dialogue:
            self._dialogue_demo()

    def _surveys_clear(self) -> None:
        """Answer rows protect their ballots' storage cells, so surveys go before the generic reset."""
        from puls.surveys.demo.generator import surveys_clear

        slugs = [spec.slug for spec in DEMO_ORGANISATIONS]
        for demo_organisation in Organisation.objects.filter(slug__in=slugs):
            surveys_clear(demo_organisation)

    def _dialogue_clear(self) -> None:
        """Dialogue answer rows protect their ballots' storage cells too: processes go first."""
        from puls.participation.demo import dialogue_clear

        slugs = [spec.slug for spec in DEMO_ORGANISATIONS]
        for demo_organisation in Organisation.objects.filter(slug__in=slugs):
            dialogue_clear(demo_organisation)

    def _dialogue_demo(self) -> bool:
        """The dialogue process "Fælles værdier 2027" (puls/participation/demo.py). True when created."""
        from puls.participation.demo import dialogue_demo_create, dialogue_demo_line

        started = time.monotonic()
        summary = dialogue_demo_create(organisation=Organisation.objects.get(slug=DEMO_SLUG))
        if summary.created:
            self.stdout.write(
                _("Demo dialogue ready in %(seconds).1f s: %(line)s.")
                % {"seconds": time.monotonic() - started, "line": dialogue_demo_line(summary)}
            )
        return summary.created

    def _policy_demo(self) -> bool:
        """Demo Kommune's policy tree, Værdivejen and report-back (puls/policy/demo/). True when created."""
        if not apps.is_installed("puls.policy"):
            return False
        from puls.policy.demo.generator import policy_demo_create, policy_line

        summary = policy_demo_create(organisation=Organisation.objects.get(slug=DEMO_SLUG))
        if summary.created:
            self.stdout.write(_("Demo staff policy ready: %(line)s.") % {"line": policy_line(summary)})
        return summary.created

    def _actions_demo(self) -> bool:
        """The action plans and APVs of Demo Kommune (puls/actions/demo.py). True when created."""
        if not apps.is_installed("puls.actions"):
            return False
        from puls.actions.demo import actions_demo_create, actions_demo_line

        organisation = Organisation.objects.get(slug=DEMO_SLUG)
        summary = actions_demo_create(organisation=organisation)
        if summary.created:
            self.stdout.write(_("Demo action plans ready: %(line)s.") % {"line": actions_demo_line(summary)})
        return self._follow_up_demo(organisation) or summary.created

    def _follow_up_demo(self, organisation: Organisation) -> bool:
        """Actions made from low results of the latest survey and a reason why not
        (puls/actions/demo_follow_up.py): after the surveys demo, which computes the report."""
        if not apps.is_installed("puls.surveys"):
            return False
        from puls.actions.demo_follow_up import follow_up_demo_create, follow_up_demo_line

        summary = follow_up_demo_create(organisation=organisation)
        if summary.created:
            self.stdout.write(
                _("Demo follow-up of low results: %(line)s.") % {"line": follow_up_demo_line(summary)}
            )
        return summary.created

    def _surveys_demo(self) -> bool:
        """The surveys demo: a separate step, in Demo Kommune only. True when it created the surveys."""
        from puls.surveys.demo.generator import survey_line, surveys_demo_create

        started = time.monotonic()
        organisation = Organisation.objects.get(slug=DEMO_SLUG)
        summary = surveys_demo_create(organisation=organisation)
        if summary.created:
            self.stdout.write(
                _("Demo surveys ready in %(seconds).1f s: %(surveys)s.")
                % {
                    "seconds": time.monotonic() - started,
                    "surveys": "; ".join(survey_line(survey) for survey in summary.surveys),
                }
            )
        return summary.created
