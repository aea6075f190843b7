"""Gait exports: ``<stem>.gait.json`` and ``<stem>.gait_cycles.csv``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["gait_cycles_csv", "write_gait"]


def gait_cycles_csv(result) -> str:
    """The cycle curves as CSV text, angles rounded to 1e-3 deg; gaps are empty cells."""
    df = result.cycles_table()
    df = df.assign(
        mean_deg=df["mean_deg"].astype(float).round(3), sd_deg=df["sd_deg"].astype(float).round(3)
    )
    return df.to_csv(index=False)


def write_gait(result, out_dir, stem: str) -> tuple[Path, Path]:
    """Write ``out_dir/<stem>.gait.json`` and ``out_dir/<stem>.gait_cycles.csv``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path, csv_path = out_dir / f"{stem}.gait.json", out_dir / f"{stem}.gait_cycles.csv"
    json_path.write_text(result.to_json())
    csv_path.write_text(gait_cycles_csv(result))
    return json_path, csv_path
