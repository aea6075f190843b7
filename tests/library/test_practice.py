"""Practice details (clinician, clinic, per-movement measures) kept encrypted in the
library: set once, read back after a lock, hostile text refused, nothing in clear."""

from __future__ import annotations

import pytest

from dashboard.library.errors import BadValue, Locked
from dashboard.library.practice import Practice, read_practice, save_practice
from dashboard.library.service import Library
from tests.library.helpers import fast_kdf, found_in_files

PASS = "correct horse battery staple"


@pytest.fixture()
def lib(tmp_path):
    return Library.create(PASS, tmp_path / "library.sqlite3", kdf=fast_kdf())


def test_set_once_read_after_a_lock(lib):
    assert read_practice(lib) == Practice()
    saved = save_practice(
        lib,
        "  Dr Zoë Ångström, PT ",
        "Riverside Physiotherapy",
        {
            "squat": ["knee_flexion", "knee_valgus", "knee_flexion", "no_such_angle"],
            "juggling": ["x"],
        },
    )
    assert saved.clinician == "Dr Zoë Ångström, PT"
    assert saved.measures == {"squat": ("knee_flexion", "knee_valgus")}
    lib.lock()
    with pytest.raises(Locked):
        read_practice(lib)
    lib.unlock(PASS)
    assert read_practice(lib) == saved
    assert save_practice(lib, "A. Other", "").clinic == ""  # replaced, not added
    assert read_practice(lib).clinician == "A. Other"
    assert not found_in_files(lib.path, [b"Riverside", b"A. Other", "Ångström".encode()])


@pytest.mark.parametrize(
    "text",
    ["Dr\nEvil", "tab\there", "x" * 121, "bidi \u202egnp.exe", "zero\u200bwidth", "nul\x00"],
)
def test_hostile_names_are_refused(lib, text):
    with pytest.raises(BadValue):
        save_practice(lib, text, "")
    assert read_practice(lib) == Practice()  # nothing half-saved


def test_formula_like_text_is_kept_as_text(lib):
    # a name is text: a formula is only neutralised where a spreadsheet would run it
    assert save_practice(lib, '=HYPERLINK("x")', "@clinic").clinician == '=HYPERLINK("x")'
