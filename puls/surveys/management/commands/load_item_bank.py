"""Load an item bank (JSON or XLSX, see docs/item-bank.md) for an organisation, or as a bank
every organisation can use when no organisation is given."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from puls.organisations.models import Organisation
from puls.surveys import services
from puls.surveys.itembank import ItemBankError


class Command(BaseCommand):
    help = "Load an item bank (JSON or XLSX) with its scales, reference values and questionnaires."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to a .json or .xlsx file")
        parser.add_argument("--organisation", help="Slug of the organisation that owns the bank")
        parser.add_argument("--name", default="", help="Name of the bank (default: the name in the file)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation with the slug {options['organisation']!r}")
        with path.open("rb") as stream:
            try:
                bank = services.item_bank_import(
                    actor=None,
                    organisation=organisation,
                    stream=stream,
                    file_name=path.name,
                    name=options["name"],
                )
            except ItemBankError as error:
                for problem in error.errors:
                    self.stderr.write(str(problem))
                raise CommandError(
                    f"{len(error.errors)} problem(s) in {path.name}; nothing was saved."
                ) from None
        owner = organisation.name if organisation else "every organisation"
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {bank.name!r} for {owner}: {bank.scales.count()} scales, {bank.items.count()} items."
            )
        )
