"""A bookmark opens the grouped menu: a fresh server whose first request is a page's
address (/Photo_analysis) still routes through app.py's navigation. Streamlit ran that
page alone as a version-1 multipage app and the whole server kept the flat menu
("app", …, "View 7 more") until restarted."""

from __future__ import annotations

import pytest

from tests.apprunner import running_app

pytestmark = pytest.mark.e2e


def test_a_bookmarked_page_on_a_fresh_server_shows_the_grouped_menu(browser):
    with running_app(timeout=120) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(90_000)
        try:
            page.goto(f"{url}/Photo_analysis")
            page.get_by_text("Photo analysis").first.wait_for()
            nav = page.locator("[data-testid=stSidebarNav]")
            nav.get_by_text("Advanced").wait_for()
            text = nav.inner_text()
            for section in ("Record", "Review", "Measure", "Patients", "Advanced"):
                assert section in text, text
            assert "View 7 more" not in text and "\napp\n" not in f"\n{text}\n"
        finally:
            context.close()
