"""Reference values: the shipped files, the normal gait band and its comparison,
norms by age and sex, and change against the minimal detectable change."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboard import references
from dashboard.references import build_gait_band, gait_band
from dashboard.references.change import exceeds_mdc
from dashboard.references.norms import age_on, norm_for, norms_for


def test_every_shipped_file_is_traceable():
    ids = references.available()
    assert "gait_cycle_fukuchi2018" in ids
    for ref_id in ids:
        ref = references.load(ref_id)
        src = ref["source"]
        assert src["citation"].strip() and src.get("checked", "").strip(), ref_id
        assert ref["rows"], ref_id


def test_band_file_matches_the_conventions_and_the_builder():
    ref = references.load("gait_cycle_fukuchi2018")
    assert "CC BY 4.0" in ref["source"]["licence"]
    assert ref["source"]["doi"] == "10.7717/peerj.4640"
    knee = gait_band.band("knee_flexion")
    assert knee is not None and knee.n_curves == 2 * knee.n_subjects >= 20
    assert len(knee.cycle_pct) == len(knee.mean_deg) == len(knee.sd_deg) == 101
    # the shapes the conventions promise: knee flexion positive, swing peak 55-70 deg at 65-80 %
    peak = int(np.argmax(knee.mean_deg))
    assert 65 <= peak <= 80 and 55 <= knee.mean_deg[peak] <= 70
    hip = gait_band.band("hip_flexion")
    assert hip.mean_deg[0] > 20  # flexed at initial contact
    ankle = gait_band.band("ankle_dorsiflexion")
    assert ankle.mean_deg[55:75].min() < -5  # plantarflexion just after toe off
    assert all((b.sd_deg > 0).all() for b in (hip, knee, ankle))


def _band(mean, sd=2.0):
    mean = np.asarray(mean, float)
    return gait_band.Band(
        "knee_flexion", "comfortable", np.arange(101.0), mean, np.full(101, sd), 3, 6
    )


def test_compare_known_answers():
    pct = np.arange(101.0)
    mean = 30 * np.sin(pct / 100 * 2 * np.pi)
    b = _band(mean)
    same = gait_band.compare(pct, mean, b)
    assert same["r"] == 1.0 and same["outside_2sd_pct"] == 0.0 and same["n_points"] == 101
    shifted = gait_band.compare(pct, mean + 5.0, b)  # 5 > 2 SD everywhere, same shape
    assert shifted["r"] == 1.0 and shifted["outside_2sd_pct"] == 100.0
    assert shifted["mean_offset_deg"] == 5.0
    half = np.where(pct < 50, mean + 5.0, mean)
    assert gait_band.compare(pct, half, b)["outside_2sd_pct"] == pytest.approx(50 / 101 * 100, 0.01)
    # a coarser curve is interpolated onto the band's grid
    coarse = gait_band.compare(pct[::5], mean[::5], b)
    assert coarse["r"] > 0.99 and coarse["n_points"] == 101
    # too little of the cycle: no verdict
    short = gait_band.compare(pct[:30], mean[:30], b)
    assert short["r"] is None and short["outside_2sd_pct"] is None and short["n_points"] == 30
    gaps = mean.copy()
    gaps[::2] = np.nan  # half the points missing: still interpolated between values
    assert gait_band.compare(pct, gaps, b)["r"] > 0.99


def test_normal_band_for_gait_json():
    pct = np.arange(101.0)
    knee = gait_band.band("knee_flexion")
    cycles = pd.DataFrame(
        dict(
            side="left",
            angle="knee_flexion",
            cycle_pct=pct,
            mean_deg=knee.mean_deg,
            sd_deg=1.0,
            n_cycles=4,
        )
    )
    doc = gait_band.normal_band(cycles)
    json.dumps(doc, allow_nan=False)
    assert doc["source"]["doi"] == "10.7717/peerj.4640" and "CC BY" in doc["source"]["licence"]
    assert set(doc["curves"]) == set(gait_band.CURVE_ANGLES)
    (row,) = doc["comparison"]
    assert row["side"] == "left" and row["n_cycles"] == 4 and row["r"] == 1.0
    assert row["outside_2sd_pct"] == 0.0
    assert gait_band.normal_band(cycles.iloc[:0])["comparison"] == []


def _subject(folder, n, speed, offset):
    pct = np.arange(101)
    base = np.sin(pct / 100 * 2 * np.pi)
    df = pd.DataFrame({"pct": pct})
    for j, scale in (("hip", 20), ("knee", 30), ("ankle", 10)):
        df[f"{j}_r"] = scale * base + offset
        df[f"{j}_l"] = scale * base + offset + 2
    df.to_csv(folder / f"WBDS{n:02d}_{speed}.csv", index=False)


def test_build_band_from_subject_files(tmp_path):
    for n, offset in ((1, 0.0), (2, 4.0), (3, 8.0)):
        _subject(tmp_path, n, "C", offset)
    _subject(tmp_path, 1, "F", 1.0)
    (tmp_path / "README.md").write_text("not a subject")
    out = tmp_path / "band.json"
    assert build_gait_band.main([str(tmp_path), "--out", str(out)]) == 0
    first = out.read_bytes()
    assert build_gait_band.main([str(tmp_path), "--out", str(out)]) == 0
    assert out.read_bytes() == first  # deterministic
    doc = json.loads(first)
    comfortable = [r for r in doc["rows"] if r["speed"] == "comfortable"]
    knee = next(r for r in comfortable if r["angle"] == "knee_flexion")
    assert knee["n_subjects"] == 3 and knee["n_curves"] == 6
    curves = np.array([o + d for o in (0, 4, 8) for d in (0, 2)], float)  # offsets at 0 %
    assert knee["mean_deg"][0] == pytest.approx(curves.mean(), abs=0.01)
    assert knee["sd_deg"][0] == pytest.approx(curves.std(ddof=1), abs=0.01)
    assert {r["speed"] for r in doc["rows"]} == {"comfortable", "fast"}
    assert doc["source"]["citation"].startswith("Fukuchi")


def test_build_band_refuses_a_malformed_file(tmp_path, capsys):
    pd.DataFrame({"pct": range(50), "hip_r": 0.0}).to_csv(tmp_path / "WBDS01_C.csv", index=False)
    assert build_gait_band.main([str(tmp_path), "--out", str(tmp_path / "b.json")]) == 2
    assert "expected 101 rows" in capsys.readouterr().err
    assert build_gait_band.main([str(tmp_path / "none"), "--out", str(tmp_path / "b.json")]) == 2


def test_norms_by_age_and_sex():
    n = norm_for("rom.knee_flexion", 30, "female", "max")
    assert n.mean == 141.9 and n.group == "women 20–44" and "Soucie" in n.source
    assert norm_for("rom.knee_flexion", 30, "male", "max").mean == 137.7
    assert norm_for("rom.knee_flexion", 75, "male", "max") is None  # no row for that age
    # AAOS values (all adults) when age or sex is not known
    n = norm_for("rom.shoulder_abduction", None, None, "max")
    assert n.mean == 180.0 and n.group == "adults"
    # a sex- and age-specific row beats an 'any' row
    assert norm_for("rom.shoulder_flexion", 30, "male", "max").mean == 168.8
    assert norm_for("rom.shoulder_flexion", None, None, "max").mean == 180.0
    assert norm_for("rom.hip_flexion", 50, "female", "min").mean == -16.7
    assert norms_for("no.such.measure") == []
    assert "rom_soucie2011" in [r["id"] for r in references.for_measure("rom.knee_flexion")]


def test_age_on():
    assert age_on("1960-06-15", "2026-06-14") == 65
    assert age_on("1960-06-15", "2026-06-15") == 66
    assert age_on("", "2026-01-01") is None and age_on("not a date") is None
    assert age_on("2030-01-01", "2026-01-01") is None


def test_exceeds_mdc():
    c = exceeds_mdc("gait.speed_m_s", 1.10, 1.32, n_before=3, n_after=5)
    assert c.change == pytest.approx(0.22) and c.mdc == 0.19 and c.exceeds is True
    assert c.verdict() == "yes" and "Donoghue" in c.words() and c.n_after == 5
    small = exceeds_mdc("gait.speed_m_s", 1.10, 1.00)
    assert small.exceeds is False and small.verdict() == "no" and "within" in small.words()
    assert exceeds_mdc("gait.speed_m_s", 1.0, 1.19).exceeds is True  # exactly the MDC
    missing = exceeds_mdc("gait.speed_m_s", None, 1.0)
    assert missing.change is None and missing.exceeds is None and missing.verdict() == "no value"
    unknown = exceeds_mdc("gait.cadence_steps_per_min", 100, 130)
    assert unknown.mdc is None and unknown.exceeds is None and unknown.verdict() == "no MDC"
    json.dumps(c.as_dict(), allow_nan=False)
    assert exceeds_mdc("rom.knee_valgus", 5, 40).exceeds is True


# --- functional tests' norms, cut-offs and placement (issue 21/22) ---------------------


def test_functional_norms_as_published():
    from dashboard.references.norms import norm_for

    assert norm_for("sts5.total_s", 65, None).mean == 11.4
    assert norm_for("sts5.total_s", 85, "f").mean == 14.8
    assert norm_for("sts5.total_s", 50, "f") is None  # no row under 60
    tug = norm_for("tug.total_s", 80, "m")
    assert (tug.mean, tug.ci95) == (11.3, (10.0, 12.7))
    chair = norm_for("chair30.stands", 67, "male")
    assert (chair.mean, chair.p25, chair.p75) == (None, 12.0, 18.0)
    assert "25th–75th percentile" in chair.value_words(0) and not chair.verified
    assert norm_for("gait.speed_m_s", 45, "male").mean == 1.434  # from the abstract
    assert norm_for("gait.speed_m_s", 85, "female").verified
    assert not norm_for("gait.speed_m_s", 65, "female").verified  # secondary transcription


def test_place_reads_the_sources_way():
    from dashboard.references.placement import cutoffs_for, place

    p = place("tug.total_s", 12.5, 75, "m")
    assert p["norm"]["mean"] == 9.2 and "worse than the reference average" in p["verdict"]
    assert [c["met"] for c in p["cutoffs"]] == [True]  # STEADI: >= 12 s
    assert place("tug.total_s", 9.9, 75, "m")["cutoffs"][0]["met"] is False
    inside = place("tug.total_s", 10.0, 75, "m")["verdict"]
    assert inside.startswith("within the 95 % confidence interval")
    assert place("tug.total_s", 12.0)["cutoffs"][0]["met"] is True  # at the threshold
    whole = place("tug.total_s", 9.0)  # age unknown: the table, no verdict against a row
    assert whole["norm"] is None and len(whole["table"]) == 3 and "whole table" in whole["verdict"]
    low = place("chair30.stands", 9, 66, "f")
    assert (
        low["verdict"].startswith("below the 25th percentile") and "normal range" in low["verdict"]
    )
    assert place("chair30.stands", 14, 66, "f")["verdict"].startswith("within the normal range")
    assert place("sts5.total_s", None, 65)["verdict"] == ""  # withheld result: no verdict
    assert place("no.such", 1.0)["verdict"].startswith("no published normal values")
    assert cutoffs_for("backward3.time_s")[0].threshold == 5.5
    refs = {r["id"] for r in place("tug.total_s", 9.0)["references"]}
    assert {"functional_tug_bohannon2006", "functional_tug_steadi", "mdc_tug_donoghue2019"} <= refs


def test_functional_mdcs():
    assert exceeds_mdc("sts5.total_s", 14.0, 11.0).exceeds is True  # 3.0 >= 2.5
    assert exceeds_mdc("sts5.total_s", 14.0, 12.0).exceeds is False
    assert exceeds_mdc("tug.total_s", 12.0, 9.92).exceeds is True  # 2.08 exactly
    assert exceeds_mdc("chair30.stands", 10, 12).exceeds is False


def test_rom_norm_words_name_the_direction_and_say_why_none():
    from dashboard.text.norm_words import rom_norm_words

    assert rom_norm_words("knee_flexion", 30, "f").startswith("flexion 142° (women 20–44;")
    assert rom_norm_words("hip_flexion", 50, "male").startswith("extension 14° (men 45–69;")
    assert rom_norm_words("knee_flexion") == "needs age and sex"
    assert rom_norm_words("knee_flexion", 67, "female") == "none shipped for this age and sex"
    assert rom_norm_words("trunk_inclination") == ""
    both = rom_norm_words("shoulder_flexion")
    assert both.startswith("flexion 180°") and "; extension 60°" in both


def test_rom_norm_words_of_a_normal_range_give_the_range(monkeypatch):
    """A ROM row given as 25th-75th percentiles (no mean) is said as its range; it made
    a TypeError (formatting None) before, found by the type checker."""
    from dataclasses import replace

    from dashboard.references.norms import norms_for
    from dashboard.text import norm_words

    row = norms_for("rom.knee_flexion")[0]
    ranged = replace(row, mean=None, sd=None, ci95=None, p25=130.0, p75=150.0)
    monkeypatch.setattr(norm_words, "norm_for", lambda *a, **k: ranged)
    assert norm_words.rom_norm_words("knee_flexion", 30, "f").startswith(
        f"flexion 130–150° (25th–75th percentile) ({row.group}; {row.source}"
    )
