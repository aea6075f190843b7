"""The Streamlit layer: the only package (with the page scripts) that imports streamlit.

``state`` (per-session state: the analysis under review, the analyses cache and
the derived-views cache), ``widgets`` (empty-state notice, person picker,
description), ``navigation`` (the page registry and menu), ``page`` (setup),
``sidebar``, ``analysis_settings`` (model and detection), ``messages``, and one
module per page: ``home``, ``photo``, ``video``, ``review``, ``angles`` (with its
parts ``angles_*``), ``view3d``, ``explorer``, ``sessions``, ``comparison``.
Pages compose core functions; clinical rules live in the core.
"""
