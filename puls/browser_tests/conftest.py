"""Browser tests: Chromium through Playwright against pytest-django's live server.

Every page a test visits is checked with axe-core (`visit`, `assert_accessible`), and a page that
breaks the Content-Security-Policy fails the test.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from puls.testing import PASSWORD, Personas, build_personas

AXE = Axe()


@dataclass
class Site:
    """The live server with the test personas in its database."""

    base_url: str
    personas: Personas

    def path(self, name: str, **kwargs: object) -> str:
        return reverse(name, kwargs=kwargs or None)

    def org_path(self, name: str, **kwargs: object) -> str:
        return self.path(name, org_slug=self.personas.org.slug, **kwargs)

    def url(self, name: str, **kwargs: object) -> str:
        return self.base_url + self.path(name, **kwargs)

    def org_url(self, name: str, **kwargs: object) -> str:
        return self.base_url + self.org_path(name, **kwargs)


@pytest.fixture
def site(live_server, transactional_db) -> Site:
    return Site(base_url=live_server.url, personas=build_personas())


@pytest.fixture
def browser_context_args(browser_context_args):
    # Danish is the default language of the UI; the browser asks for it as a Danish user's would.
    return {**browser_context_args, "locale": "da-DK", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _fail_on_csp_violations(page: Page) -> Iterator[None]:
    """Inline scripts or styles would be blocked in production; the console says so."""
    violations: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", collect)
    yield
    assert violations == [], "\n".join(violations)


def assert_accessible(page: Page, *, context: str | None = None) -> None:
    """Run axe-core on the page as it is now (also after htmx swapped part of it)."""
    results = AXE.run(page, context=context)
    assert results.violations_count == 0, f"axe-core on {page.url}:\n{results.generate_report()}"


def visit(page: Page, url: str, *, status: int = 200) -> None:
    """Open the page, check its status and run axe-core on it (error pages are pages too)."""
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url} answered {response.status}"
    assert_accessible(page)


def log_in(page: Page, site: Site, email: str, *, password: str = PASSWORD) -> None:
    """Log in through the real login form and wait for the page the user lands on."""
    visit(page, site.url("core:login"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_password")).to_have_count(0)
    assert_accessible(page)


def focused(page: Page, selector: str) -> bool:
    return bool(page.evaluate("(selector) => document.activeElement?.matches(selector) ?? false", selector))


def tab_to(page: Page, selector: str, *, max_presses: int = 60) -> None:
    """Press Tab until the element matching `selector` has focus, as a keyboard user would."""
    for _press in range(max_presses):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} was not reached with {max_presses} presses of Tab on {page.url}")
