"""Tabular exports: an exporter yields rows; this base renders them as CSV or XLSX.

Cells that a spreadsheet would run as a formula (starting with = + - @ and not
a number) are written as text, so exported free text cannot attack the reader.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


class ListExporter:
    """Subclasses give ``headers()`` and ``rows()``; ``sheets()`` may add more tables."""

    title = "export"

    def headers(self) -> Sequence[str]:
        raise NotImplementedError

    def rows(self) -> Iterable[Sequence[Any]]:
        raise NotImplementedError

    def sheets(self) -> list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]:
        return []

    def filename(self, fmt: str) -> str:
        return f"{self.title}.{fmt}"

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.headers())
        for row in self.rows():
            writer.writerow(["" if v is None else safe_cell(v) for v in row])
        return out.getvalue()

    def to_xlsx(self) -> bytes:
        workbook = Workbook(write_only=True)
        for title, headers, rows in [(self.title, self.headers(), self.rows()), *self.sheets()]:
            sheet = workbook.create_sheet(title=title[:31])
            sheet.append(list(headers))
            for row in rows:
                sheet.append([safe_cell(v) for v in row])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
