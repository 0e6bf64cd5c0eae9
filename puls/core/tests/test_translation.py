"""The Danish catalogue: every UI string is translated, and pages speak Danish unless asked not to."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
CATALOGUE = Path(django_settings.BASE_DIR) / "locale" / "da" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdfi]|%[sdfi]|%%|\{\w*\}")


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [value for key, value in self.fields.items() if key.startswith("msgstr")]


def read_catalogue(path: Path) -> list[Entry]:
    """Parse a .po file: comments, flags and (multi-line) msgctxt/msgid/msgid_plural/msgstr[n] fields."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry = Entry()
        current = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry.fields[current] += ast.literal_eval(line)
            else:
                keyword, _, quoted = line.partition(" ")
                current = keyword
                entry.fields[current] = ast.literal_eval(quoted)
        entries.append(entry)
    return entries


CATALOGUE_ENTRIES = read_catalogue(CATALOGUE)
HEADER, MESSAGES = CATALOGUE_ENTRIES[0], CATALOGUE_ENTRIES[1:]


def test_catalogue_header_declares_danish_utf8_and_two_plural_forms():
    assert HEADER.msgid == ""
    header = HEADER.fields["msgstr"]
    assert "Language: da\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert "fuzzy" not in HEADER.flags


def test_every_ui_string_has_a_danish_translation():
    untranslated = [entry.msgid for entry in MESSAGES if not all(entry.translations)]
    fuzzy = [entry.msgid for entry in MESSAGES if "fuzzy" in entry.flags]
    assert len(MESSAGES) > 500
    assert untranslated == [], "Translate these in locale/da/LC_MESSAGES/django.po"
    assert fuzzy == [], "Check these fuzzy entries, then remove the flag (fuzzy entries are not compiled)"


def test_plural_entries_have_both_danish_forms():
    plurals = [entry for entry in MESSAGES if "msgid_plural" in entry.fields]
    assert plurals
    for entry in plurals:
        assert entry.fields["msgstr[0]"], entry.msgid
        assert entry.fields["msgstr[1]"], entry.msgid


def test_translations_keep_the_placeholders_and_markup_of_the_source():
    def marks(text: str) -> list[str]:
        return sorted(PLACEHOLDER.findall(text) + re.findall(r"</?\w+", text))

    broken = []
    for entry in MESSAGES:
        sources = [entry.msgid, entry.fields.get("msgid_plural", entry.msgid)]
        for index, translation in enumerate(entry.translations):
            if marks(translation) != marks(sources[min(index, 1)]):
                broken.append(entry.msgid)
    assert broken == []


def client_for(personas: Personas | None, **headers: str) -> Client:
    """A browser, logged in as the HR administrator when personas are given."""
    client = Client(**headers)
    if personas is not None:
        client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    return client


def dashboard_url() -> str:
    return reverse("organisations:dashboard", kwargs={"org_slug": "testby"})


# page: (URL, logged in as HR?, Danish texts, their English source texts)
PAGES = {
    "login": (
        lambda: reverse("core:login"),
        False,
        ["Log ind på Puls", "Adgangskode", "Glemt adgangskode?", "Gå til sidens indhold"],
        ["Log in to Puls", "Forgot your password?", "Go to main content"],
    ),
    "dashboard": (
        dashboard_url,
        True,
        ["Overblik", "Nøgletal", "Medarbejdere uden e-mail", "Revisionslog", "Log ud"],
        ["Overview", "Key figures", "Employees without e-mail", "Audit log", "Log out"],
    ),
    "privacy": (
        lambda: reverse("core:privacy"),
        False,
        ["Privatlivspolitik", "Dine rettigheder", "dataansvarlig", "Tilgængelighedserklæring"],
        ["Privacy notice", "Your rights", "data controller", "Accessibility statement"],
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_danish_by_default(personas, page):
    url, logged_in, danish, english = PAGES[page]
    client = client_for(personas if logged_in else None)
    html = client.get(url()).content.decode()
    assert '<html lang="da">' in html
    for text in danish:
        assert text in html
    for text in english:
        assert text not in html


@pytest.mark.parametrize("page", PAGES)
def test_pages_are_english_when_the_browser_asks_for_it(personas, page):
    url, logged_in, danish, english = PAGES[page]
    client = client_for(personas if logged_in else None, HTTP_ACCEPT_LANGUAGE="en")
    html = client.get(url()).content.decode()
    assert '<html lang="en">' in html
    for text in english:
        assert text in html
    for text in danish:
        assert text not in html


def test_choosing_english_sticks_until_danish_is_chosen_again(personas):
    client = client_for(personas)
    response = client.post("/i18n/setlang/", {"language": "en", "next": dashboard_url()})
    assert response.status_code == 302
    assert "Key figures" in client.get(dashboard_url()).content.decode()

    client.post("/i18n/setlang/", {"language": "da", "next": dashboard_url()})
    assert "Nøgletal" in client.get(dashboard_url()).content.decode()


def test_plural_forms_follow_the_count_in_danish(client, db, settings):
    settings.RETENTION_PERSON_MONTHS = 1
    assert "efter 1 måned." in client.get(reverse("core:privacy")).content.decode()
    settings.RETENTION_PERSON_MONTHS = 18
    assert "efter 18 måneder." in client.get(reverse("core:privacy")).content.decode()
