"""The click-on-frame component in a real browser: clicks place points, a drag moves
one, a right-click removes one, and the page gets the coordinates in the full
picture's pixels (the picture sent is scaled down); nothing is loaded from elsewhere
(every browser context records its requests: tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apprunner import running_app

pytestmark = pytest.mark.e2e
SCRIPT = Path(__file__).with_name("clickframe_app.py")
FULL_W = 2000  # the test page's picture


def _points(page) -> list[tuple[float, float]]:
    text = page.locator("[data-testid=stCode]").inner_text().strip()
    if text == "none":
        return []
    return [tuple(float(v) for v in p.split(",")) for p in text.split(";")]


def _wait_points(page, n: int) -> list[tuple[float, float]]:
    page.wait_for_function(
        "n => { const c = document.querySelector('[data-testid=stCode]');"
        " if (!c) return false; const t = c.innerText.trim();"
        " return (t === 'none' ? 0 : t.split(';').length) === n; }",
        arg=n,
    )
    return _points(page)


def test_click_drag_and_remove_points(page):
    with running_app(script=SCRIPT) as url:
        page.goto(url)
        root = page.locator("[data-testid=posedash-clickframe]")
        root.wait_for()
        sent_w = int(root.get_attribute("data-width"))
        sent_h = int(root.get_attribute("data-height"))
        assert (sent_w, sent_h) == (1280, 640)
        svg = root.locator("svg")
        box = svg.bounding_box()
        to_screen = box["width"] / FULL_W  # screen pixels per picture pixel
        wanted = [(400, 300), (1000, 700), (1600, 200)]
        for i, (x, y) in enumerate(wanted, start=1):
            svg.click(position={"x": x * to_screen, "y": y * to_screen})
            got = _wait_points(page, i)
        tolerance = 1.5 / to_screen  # a screen pixel and a half, in picture pixels
        for (gx, gy), (x, y) in zip(got, wanted, strict=True):
            assert abs(gx - x) <= tolerance and abs(gy - y) <= tolerance, (got, wanted)
        # a fourth click is refused: three points at most
        svg.click(position={"x": 100 * to_screen, "y": 900 * to_screen})
        page.wait_for_timeout(500)
        assert len(_points(page)) == 3
        # drag point B by (+200, +100) picture pixels
        handle = root.locator("[data-point-index='1'] circle").nth(1).bounding_box()
        cx, cy = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + 200 * to_screen, cy + 100 * to_screen, steps=6)
        page.mouse.up()
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stCode]').innerText.includes('1200')"
        )
        moved = _points(page)[1]
        assert abs(moved[0] - 1200) <= tolerance and abs(moved[1] - 800) <= tolerance, moved
        # right-click on A removes it
        root.locator("[data-point-index='0'] circle").nth(1).click(button="right")
        assert len(_wait_points(page, 2)) == 2
        page.get_by_role("button", name="Clear the points").click()
        assert _wait_points(page, 0) == []
        assert page.get_by_text("Traceback").count() == 0
