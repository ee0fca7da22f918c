"""What the screens' data tables share."""

from __future__ import annotations

from textual.widgets import DataTable


def set_columns(table: DataTable, columns: list[tuple[str, int]]) -> bool:
    """Give `table` these (label, width) columns, unless it has them already; whether they changed (its rows are
    then gone, for the caller to fill again). Tables lay out again when the terminal is resized."""
    if [(str(c.label), c.width) for c in table.columns.values()] == columns:
        return False
    table.clear(columns=True)
    for label, width in columns:
        table.add_column(label, width=width)
    return True
