"""Page layout of the report with fpdf2: paper sizes, embedded fonts, text blocks,
tables and pictures.

Notes
-----
Fonts
    DejaVu Sans (regular and bold) from matplotlib's own font folder, so every
    machine with PoseDash installed has them: no system font is used. They are
    embedded (subset) in the PDF and cover Latin with accents, Greek, Cyrillic
    and more. Characters they lack (Chinese, Japanese, Korean, ...) fall back
    to matplotlib's *Last Resort* font: the text is kept in the PDF (it can be
    searched and copied), but each such character is drawn as a box naming
    its Unicode block, because no installed package ships a CJK font.
User text
    Patient label and notes are written as plain text: never interpreted as
    markup; control characters are removed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos

PAPERS = ("A4", "Letter")
FONT = "dejavu"
FALLBACK = "lastresort"
MARGIN_MM = 15.0
GREY = (90, 90, 90)
LIGHT = (242, 242, 242)
ACCENT = (0, 84, 147)
#: Removed from user text: control characters, zero-width and bidirectional marks,
#: overrides and isolates (which could reorder what a reader sees), lone surrogates,
#: the byte-order mark and the Unicode "specials" (interlinear annotation, object
#: replacement).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069"
    r"\ud800-\udfff\ufeff\ufff9-\ufffc]"
)


def font_dir() -> Path:
    """matplotlib's bundled TrueType folder (DejaVu, Last Resort)."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def plain(text, limit: int | None = None) -> str:
    """User text made safe to print as it is: control characters removed, tabs and
    Windows line ends normalised, optionally cut to ``limit`` characters."""
    text = str(text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    text = _CONTROL.sub("", text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def uncovered(text: str) -> set:
    """Code points of ``text`` that DejaVu Sans (regular and bold) has no glyph for."""
    from fontTools.ttLib import TTFont

    global _CMAP
    if _CMAP is None:
        cmaps = []
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
            with TTFont(str(font_dir() / name), lazy=True) as font:
                cmaps.append(set(font.getBestCmap()))
        _CMAP = cmaps[0] & cmaps[1]
    return {ord(c) for c in text if ord(c) not in _CMAP and c not in "\n "}


def covered(text: str) -> bool:
    """True when DejaVu Sans has a glyph for every character of ``text``."""
    return not uncovered(text)


_CMAP: set[int] | None = None


class _PDF(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(FONT, "", 6.5)
        self.set_text_color(*GREY)
        text, width = self.footer_text, self.epw - 24
        while text and self.get_string_width(text) > width:
            text = text[:-2] + "…"
        self.cell(self.epw - 22, 4, text, align="L")
        self.cell(22, 4, f"page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


class Document:
    """A report being laid out: sections append headings, text, tables and pictures.

    Parameters
    ----------
    texts
        Every text from outside (patient label, notes, file names): characters
        DejaVu Sans lacks load the fallback font for them.
    paper
        ``'A4'`` or ``'Letter'``.
    footer
        Text printed at the bottom of every page (plain text).
    created
        Creation date written in the PDF's metadata (default: now, UTC).
    """

    def __init__(
        self,
        paper: str = "A4",
        footer: str = "",
        created: datetime | None = None,
        texts: Sequence[str] = (),
    ) -> None:
        if paper not in PAPERS:
            raise ValueError(f"paper must be one of {PAPERS}, got {paper!r}")
        pdf = _PDF(orientation="P", unit="mm", format=paper)
        pdf.footer_text = plain(footer, 160)
        pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        pdf.set_auto_page_break(True, margin=16)
        fonts = font_dir()
        pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        missing = uncovered("".join(texts) + footer)
        if missing:  # loading Last Resort takes a second or two: only when needed
            pdf.add_font(
                FALLBACK, "", str(fonts / "LastResortHE-Regular.ttf"), unicode_range=sorted(missing)
            )
            pdf.set_fallback_fonts([FALLBACK], exact_match=False)
        pdf.set_title("PoseDash movement analysis report")
        pdf.set_creator("PoseDash")
        pdf.set_creation_date(created or datetime.now(timezone.utc))
        pdf.set_font(FONT, "", 9)
        pdf.add_page()
        self.pdf = pdf

    # -- geometry -------------------------------------------------------------
    @property
    def width(self) -> float:
        """Usable width between the margins, in mm."""
        return self.pdf.epw

    def space_left(self) -> float:
        return self.pdf.page_break_trigger - self.pdf.get_y()

    def ensure_space(self, height_mm: float) -> None:
        """Start a new page unless ``height_mm`` fits on this one."""
        if self.space_left() < height_mm:
            self.pdf.add_page()

    def page_break(self) -> None:
        """Start a new page (unless the current one is still empty)."""
        if self.pdf.get_y() > self.pdf.t_margin + 1:
            self.pdf.add_page()

    def gap(self, mm: float = 2.0) -> None:
        self.pdf.ln(mm)

    # -- text -----------------------------------------------------------------
    def title(self, text: str, subtitle: str = "") -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", 16)
        pdf.set_text_color(*ACCENT)
        pdf.multi_cell(0, 8, plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        if subtitle:
            pdf.set_font(FONT, "", 9)
            pdf.set_text_color(*GREY)
            pdf.multi_cell(0, 4.5, plain(subtitle), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
        self.gap(2)

    def heading(self, text: str, level: int = 1, keep_mm: float = 30.0) -> None:
        """A section (level 1) or sub-section (2) heading, kept with what follows."""
        self.ensure_space(keep_mm)
        pdf = self.pdf
        self.gap(3 if level == 1 else 1.5)
        pdf.set_font(FONT, "B", 12.5 if level == 1 else 9.5)
        pdf.set_text_color(*ACCENT)
        pdf.multi_cell(
            0, 6 if level == 1 else 5, plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        if level == 1:
            y = pdf.get_y()
            pdf.set_draw_color(*ACCENT)
            pdf.set_line_width(0.3)
            pdf.line(pdf.l_margin, y, pdf.l_margin + self.width, y)
            self.gap(1.5)
        pdf.set_text_color(0, 0, 0)

    def paragraph(
        self,
        text: str,
        size: float = 8.5,
        bold: bool = False,
        colour: tuple[int, int, int] = (0, 0, 0),
        line: float | None = None,
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(
            0, line or size * 0.5, plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_text_color(0, 0, 0)
        self.gap(1)

    def caption(self, text: str) -> None:
        self.paragraph(text, size=7.5, colour=GREY)

    def bullets(self, items: Sequence[str], size: float = 8.5) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        for item in items:
            pdf.set_x(pdf.l_margin)
            pdf.cell(4, size * 0.5, "•")
            pdf.multi_cell(
                self.width - 4,
                size * 0.5,
                plain(item),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            self.gap(0.6)
        self.gap(0.6)

    def note(self, text: str, size: float = 8.5) -> None:
        """A shaded box: a message that matters (nobody found, no video, ...)."""
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        pdf.set_fill_color(*LIGHT)
        pdf.multi_cell(
            0,
            size * 0.55,
            plain(text),
            fill=True,
            padding=2,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.gap(2)

    # -- tables ---------------------------------------------------------------
    def key_values(
        self, rows: Sequence[tuple[str, str]], key_width: float = 42.0, size: float = 8.5
    ) -> None:
        """Two-column table of labels and values (values are plain text)."""
        pdf = self.pdf
        for key, value in rows:
            pdf.set_x(pdf.l_margin)
            pdf.set_font(FONT, "B", size)
            y = pdf.get_y()
            pdf.multi_cell(
                key_width - 1.5,
                size * 0.5,
                plain(key),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            key_bottom = pdf.get_y()
            pdf.set_xy(pdf.l_margin + key_width, y)
            pdf.set_font(FONT, "", size)
            pdf.multi_cell(
                self.width - key_width,
                size * 0.5,
                plain(value),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.set_y(max(pdf.get_y(), key_bottom, y + size * 0.5) + 0.8)
        self.gap(1.5)

    def table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        align: Sequence[str] | None = None,
        size: float = 7.5,
    ) -> None:
        """A ruled table; ``widths`` are relative (scaled to the page width)."""
        pdf = self.pdf
        self.ensure_space(18)
        pdf.set_font(FONT, "", size)
        pdf.set_draw_color(190, 190, 190)
        pdf.set_line_width(0.15)
        align = list(align or ["LEFT"] * len(headings))
        with pdf.table(
            col_widths=tuple(widths),
            width=self.width,
            line_height=size * 0.5,
            text_align=tuple(align),
            first_row_as_headings=True,
            headings_style=_heading_style(size),
            padding=0.8,
            cell_fill_color=LIGHT,
            cell_fill_mode=TableCellFillMode.ROWS,
            markdown=False,
        ) as table:
            head = table.row()
            for text in headings:
                head.cell(plain(text))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(plain(value))
        self.gap(2)

    # -- pictures -------------------------------------------------------------
    def image(self, data: bytes, width_mm: float, height_mm: float, x: float | None = None) -> None:
        """A picture (PNG or JPEG bytes) ``width_mm`` wide at the current line."""
        self.ensure_space(height_mm + 2)
        pdf = self.pdf
        pdf.image(
            io.BytesIO(data),
            x=pdf.l_margin if x is None else x,
            y=pdf.get_y(),
            w=width_mm,
            h=height_mm,
        )
        pdf.set_y(pdf.get_y() + height_mm + 1.5)

    def image_grid(
        self,
        items: Sequence[tuple[bytes, tuple[int, int], str]],
        columns: int = 3,
        max_height_mm: float = 80.0,
    ) -> None:
        """Pictures in rows of ``columns``, each with a caption under it.

        ``items`` are (JPEG/PNG bytes, (width px, height px), caption).
        """
        pdf = self.pdf
        gutter = 4.0
        cell_w = (self.width - gutter * (columns - 1)) / columns
        for start in range(0, len(items), columns):
            chunk = items[start : start + columns]
            sizes = []
            for _, (px_w, px_h), _ in chunk:
                scale = min(cell_w / px_w, max_height_mm / px_h)
                sizes.append((px_w * scale, px_h * scale))
            row_h = max(h for _, h in sizes)
            self.ensure_space(row_h + 14)
            top = pdf.get_y()
            bottom = top
            for k, ((data, _, caption), (w, h)) in enumerate(zip(chunk, sizes, strict=False)):
                x = pdf.l_margin + k * (cell_w + gutter)
                pdf.image(io.BytesIO(data), x=x + (cell_w - w) / 2, y=top, w=w, h=h)
                pdf.set_xy(x, top + row_h + 1)
                pdf.set_font(FONT, "", 7)
                pdf.multi_cell(
                    cell_w, 3.3, plain(caption), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
                )
                bottom = max(bottom, pdf.get_y())
            pdf.set_y(bottom + 3)

    # -- output ---------------------------------------------------------------
    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _heading_style(size: float):
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD", size_pt=size, fill_color=(215, 226, 238))
