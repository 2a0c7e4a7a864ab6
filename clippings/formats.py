"""Output formats shared by the commands: table, json, jsonl and csv, with one option decorator."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "jsonl", "csv")
_LINK_SCHEMES = ("http", "https")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# C0 controls but tab and newline, DEL and C1 controls: a scraped "\x1b]0;..." must not drive the terminal.
_CONTROLS = dict.fromkeys([*(c for c in range(0x20) if c not in (0x09, 0x0A)), 0x7F, *range(0x80, 0xA0)])


def printable(text: str) -> str:
    """Text for a terminal or a plain-text file: control characters (escape sequences) removed."""
    return text.translate(_CONTROLS)


def format_option(default: str = "table") -> Callable[[F], F]:
    """The `--format` option every listing command takes."""
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default=default, show_default=True,
        help="Output format: an aligned table for people, json/jsonl/csv for other tools.",
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(value: Any) -> str:
    """JSON text with ISO 8601 dates and non-ASCII kept as is."""
    return json.dumps(value, default=_jsonable, ensure_ascii=False)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = _cell(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(
    rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str], widths: dict[str, int] | None = None
) -> str:
    """Rows (dicts with the public JSON keys) in one of FORMATS; `columns` picks the table/CSV columns."""
    if fmt == "json":
        return json.dumps(list(rows), default=_jsonable, ensure_ascii=False, indent=2)
    if fmt == "jsonl":
        return "\n".join(to_json(row) for row in rows)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; quotes a cell with a bare CR too
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row.get(c)) for c in columns])
        return out.getvalue().removesuffix("\r\n")
    return render_table(rows, columns, widths or {})


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], widths: dict[str, int]) -> str:
    """A plain aligned text table; long cells are cut to `widths[column]` characters."""
    def cut(text: str, limit: int | None) -> str:
        text = printable(" ".join(text.split()))
        return text if not limit or len(text) <= limit else text[: limit - 1] + "…"

    cells = [[cut(_cell(row.get(c)), widths.get(c)) for c in columns] for row in rows]
    heads = [printable(c) for c in columns]  # (a timeline's columns are named after outlets)
    sizes = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(heads)]
    lines = ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(heads)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    lines += ["  ".join(r[i].ljust(sizes[i]) for i in range(len(columns))).rstrip() for r in cells]
    if not rows:
        lines.append("(none)")
    return "\n".join(lines)


def safe_href(url: str | None) -> str | None:
    """The URL when it may become a link in HTML or Markdown output: http(s) with a host and no
    whitespace or control characters. Anything else (`javascript:alert(1)`, `data:…`, `//host/x`,
    `java\\tscript:…`) is None, and the output shows it as text."""
    if not url or any(ord(ch) <= 0x20 or ord(ch) == 0x7F for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return url
