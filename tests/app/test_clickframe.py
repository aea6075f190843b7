"""The click-on-frame component's Python side through AppTest (no browser: the points
are given with ``set_points``, as a page proposing points does); the browser side is
tests/e2e/test_clickframe_browser.py."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import numpy as np
    import streamlit as st

    from dashboard.ui.clickframe import click_frame

    img = np.zeros((1000, 3000, 3), np.uint8)  # sent to the browser at 1280 x 427
    pts = click_frame(img, key="k", max_points=3, mode="angle", points=[(10, 20)])
    st.json({"points": [list(p) for p in pts]})


def _points(at) -> list:
    import json

    return json.loads(at.json[0].value)["points"]


def test_initial_points_then_given_points_clamped_and_limited():
    at = AppTest.from_function(_page, default_timeout=30).run()
    assert not at.exception, at.exception
    assert _points(at) == [[10.0, 20.0]]  # the initial points until the user clicks
    at.session_state["posedash_clickframe_given_k"] = [
        (2999.5, 999.0),
        (float("nan"), 3.0),  # not finite: left out
        (-5.0, 1200.0),  # off the picture: clamped to its edge
        (100.0, 100.0),
        (200.0, 200.0),  # a fourth point: beyond max_points
    ]
    at.run()
    assert not at.exception, at.exception
    assert _points(at) == [[2999.5, 999.0], [0.0, 1000.0], [100.0, 100.0]]


def test_the_picture_is_sent_scaled_and_coordinates_come_back_full_size():
    import numpy as np

    from dashboard.ui.clickframe import SEND_SIDE, _jpeg_data_url

    url, scale = _jpeg_data_url(np.zeros((1000, 3000, 3), np.uint8))
    assert url.startswith("data:image/jpeg;base64,")
    assert abs(scale - 3000 / SEND_SIDE) < 1e-9
    url, scale = _jpeg_data_url(np.zeros((100, 200, 3), np.uint8))
    assert scale == 1.0
