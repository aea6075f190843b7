"""The browser side of privacy, in a real browser: every page of the app loads
nothing but the app itself, and user text (a hostile file or session name) never
becomes a link, an image or a request. The request recorder is the shared
``requests_log`` fixture (tests/conftest.py), active in every browser test."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from dashboard.ui import navigation
from tests.apprunner import wait_rendered

pytestmark = pytest.mark.e2e

HOST = "evil.example"
HOSTILE = (
    f"![t](http://{HOST}/p.png) [Click here to re-verify your licence](http://{HOST}) "
    f'<img src="http://{HOST}/i.png"> <a href="http://{HOST}/a">here</a> www.{HOST}'
)


def test_the_recorder_catches_a_foreign_request(page, requests_log):
    """The recorder itself works: a picture from elsewhere is seen (then forgotten)."""
    page.set_content('<img src="http://192.0.2.1/pixel.png">')
    page.wait_for_timeout(300)
    assert any("192.0.2.1" in u for u in requests_log.foreign)
    requests_log.urls.clear()


@pytest.mark.parametrize("entry", navigation.entries(), ids=lambda e: e.key)
def test_every_page_requests_only_the_app(page, app_url, requests_log, entry):
    page.goto(app_url + entry.address)
    wait_rendered(page)
    assert requests_log.urls, "nothing recorded: the recorder is not attached"
    assert page.get_by_text("Traceback").count() == 0


@pytest.fixture(scope="module")
def hostile_session(media_dir, tmp_path_factory):
    from dashboard.outputs.session import save_session
    from tests.reference_data import legacy_analysis

    analysis = legacy_analysis(
        media_dir / "reference" / "sports2d_demo5_lateral_raise_front.legacy.json"
    )
    path = tmp_path_factory.mktemp("hostile") / "week1.posedash"
    path.write_bytes(save_session(replace(analysis, source_name=HOSTILE + ".mp4")))
    return path


def _no_hostile_markup(pg) -> None:
    assert pg.locator(f"a[href*='{HOST}']").count() == 0
    assert pg.locator(f"img[src*='{HOST}']").count() == 0
    assert pg.locator(f"svg a[href*='{HOST}'], svg a[*|href*='{HOST}']").count() == 0


def test_hostile_session_name_on_every_review_page(page, app_url, requests_log, hostile_session):
    page.goto(f"{app_url}/Sessions")
    wait_rendered(page)
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(
        str(hostile_session)
    )
    page.get_by_text("It is now the analysis under review").wait_for()
    page.get_by_text("Click here to re-verify your licence").first.wait_for()
    _no_hostile_markup(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    for entry in navigation.entries():
        if entry.key == "photo":
            continue
        sidebar.get_by_role("link", name=entry.title).first.click()
        page.wait_for_url(re.compile(re.escape(entry.address) + "$"))
        wait_rendered(page)
        _no_hostile_markup(page)
        assert page.get_by_text("Traceback").count() == 0
    # the comparison's legend: the same session on both sides
    sidebar.get_by_role("link", name="Compare sessions").first.click()
    wait_rendered(page)
    page.locator("[data-testid=stMain] input[type=file]").first.set_input_files(
        str(hostile_session)
    )
    page.locator("[data-testid=stPlotlyChart]").first.wait_for()
    page.wait_for_timeout(1000)
    legend = page.locator("[data-testid=stPlotlyChart] .legendtext").all_text_contents()
    assert any("Click here" in t for t in legend), legend
    _no_hostile_markup(page)
    assert not requests_log.foreign
