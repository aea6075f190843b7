"""A test page for the click-on-frame component alone (tests/e2e/test_clickframe_browser.py).

A 2000 x 1000 picture (larger than the 1280 pixels sent to the browser, so the
coordinates must come back scaled) with a grid every 100 pixels."""

import numpy as np
import streamlit as st

from dashboard.ui.clickframe import click_frame, reset_points

img = np.full((1000, 2000, 3), 40, np.uint8)
img[::100, :] = 255
img[:, ::100] = 255
st.title("Click-on-frame test page")
pts = click_frame(img, key="test", max_points=3, mode="angle", labels=("A", "B", "C"))
st.code(";".join(f"{x:.1f},{y:.1f}" for x, y in pts) or "none", language=None)
if st.button("Clear the points"):
    reset_points("test")
    st.rerun()
