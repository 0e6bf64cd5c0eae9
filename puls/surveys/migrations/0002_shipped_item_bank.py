"""Load Puls's own item bank and its template questionnaires (Trivsel, APV) from
puls/surveys/data/puls_itembank.json. Reversing removes them again, unless a survey uses them."""

from django.db import migrations

from puls.surveys.itembank import SHIPPED_BANK_CODE, BankModels, load_shipped_bank


def load(apps, schema_editor):
    load_shipped_bank(BankModels.from_apps(apps))


def unload(apps, schema_editor):
    models = BankModels.from_apps(apps)
    bank = models.ItemBank.objects.filter(organisation__isnull=True, code=SHIPPED_BANK_CODE).first()
    if bank is None:
        return
    templates = models.Questionnaire.objects.filter(
        organisation__isnull=True, sections__section_items__item__bank=bank
    ).distinct()
    models.SectionItem.objects.filter(section__questionnaire__in=templates).delete()
    templates.delete()
    models.Item.objects.filter(bank=bank).delete()
    bank.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
