"""Normal values beside the numbers on the pages: the patient's age and sex (typed
once, shared by the Report, Gait and Joint angles pages), the normal-value column
of a table and the gait headline table with its normal values.

Every text comes from the core (:mod:`dashboard.references`,
:mod:`dashboard.report.headline`): the pages show what the report prints.
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import streamlit as st

from dashboard.ui import keys

#: Age and sex of the patient under review, kept across pages for this browser session.
AGE, SEX = keys.PATIENT_AGE.name, keys.PATIENT_SEX.name
SEX_LABELS = {"": "not given", "female": "female", "male": "male"}


def shared(age_key: str, sex_key: str) -> None:
    """Before a page draws its age and sex widgets (keys ``age_key``/``sex_key``):
    give them the values typed on another page."""
    if not keys.widget(age_key).exists():
        keys.widget(age_key).set(int(keys.PATIENT_AGE.get() or 0))
    if not keys.widget(sex_key).exists():
        keys.widget(sex_key).set(keys.PATIENT_SEX.get() or "")


def keep(age: int | None, sex: str | None) -> None:
    """After a page's widgets: keep what was typed for the other pages."""
    keys.PATIENT_AGE.set(int(age or 0))
    keys.PATIENT_SEX.set(sex or "")


def age_sex_inputs(prefix: str, container=None) -> tuple[int | None, str | None]:
    """Age and sex widgets for the normal values (``prefix``: the page's key prefix),
    sharing their values with the other pages. Returns (age or None, sex or None)."""
    where = container if container is not None else st
    age_key, sex_key = prefix + "norm_age", prefix + "norm_sex"
    shared(age_key, sex_key)
    c1, c2 = where.columns(2)
    age = c1.number_input(
        "Patient's age (years)",
        0,
        120,
        key=age_key,
        help="For the normal values by age; 0: not given. Shared with the Report page.",
    )
    sex = c2.selectbox("Sex", list(SEX_LABELS), key=sex_key, format_func=SEX_LABELS.get)
    keep(age, sex)
    return (int(age) or None), (sex or None)


def gait_reference_table(gait_doc: dict, age: int | None, sex: str | None) -> pd.DataFrame:
    """Walking speed, cadence, stride and step length, double support: result (mean ±
    SD, n) and the normal value with its source, as on the report's first page."""
    from dashboard.report.headline import gait_headlines

    rows = gait_headlines(gait_doc, SimpleNamespace(age_years=age, sex=sex))
    return pd.DataFrame(
        [
            {"Measure": h.measure, "Result": h.result, "Normal (source)": h.normal or "–"}
            for h in rows
        ]
    )


def rom_normal_column(angle_keys, age: int | None, sex: str | None) -> list[str]:
    """The 'Normal (source)' cell of each range-of-motion row (its angle key)."""
    from dashboard.text.norm_words import rom_norm_words

    return [rom_norm_words(k, age, sex) or "–" for k in angle_keys]


def gait_reference(result) -> None:
    """The Gait page's key results beside their normal values (with the age and
    sex they depend on) and the sources."""
    from dashboard.ui import widgets

    st.subheader("Key results and normal values")
    age, sex = age_sex_inputs("gait_")
    widgets.show_table(gait_reference_table(result.to_dict(), age, sex), hide_index=True)
    st.caption(
        "Normal values of healthy adults in the source named (a reference, not a target). "
        "Walking speed: Bohannon & Williams Andrews 2011, by sex and decade; rows the "
        "source's table could not be checked against are marked 'not verified'. No "
        "normal cadence is shipped yet. The report's appendix lists every source."
    )
