"""Printing for the command line: aligned tables for people, one JSON document for scripts."""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import click

_SCALARS = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _fields(kind: type) -> tuple[tuple[str, bool], ...]:
    """A dataclass's field names, each with whether it is left out while empty (looked up once
    per class: a long list of suggestions has one class)."""
    return tuple((f.name, bool(f.metadata.get("optional"))) for f in dataclasses.fields(kind))


def _plain(value: Any) -> Any:
    if type(value) in _SCALARS:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # A field marked optional is left out while empty: a shop without locations or lots
        # gets the documents it always got.
        out = {}
        for name, optional in _fields(type(value)):
            field = getattr(value, name)
            if not (optional and field is None):
                out[name] = _plain(field)
        return out
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # a datetime too
        return value.isoformat()
    return value


def emit_json(document: Any) -> None:
    plain = _plain(document)
    text = flat_json(plain)
    click.echo(json.dumps(plain, indent=2, ensure_ascii=False) if text is None else text)


_STRING = json.encoder.encode_basestring  # the C escaper (non-ASCII kept, as ensure_ascii=False)


def _scalar(value: Any) -> str | None:
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        return json.dumps(value)  # NaN and Infinity as json writes them
    return None


def flat_json(document: Any) -> str | None:
    """What `json.dumps(document, indent=2, ensure_ascii=False)` writes, for a list of flat
    objects (scalars only), or None for any other document. json's indenting encoder is pure
    Python: 3 s of a `reorder --json` of 115,000 suggestions; this writes the same text in a
    fraction of it."""
    if type(document) is not list or not document:
        return None
    items = []
    for item in document:
        if type(item) is not dict or not item:
            return None
        lines = []
        for key, value in item.items():
            text = _scalar(value)
            if type(key) is not str or text is None:
                return None
            lines.append(f"    {_STRING(key)}: {text}")
        items.append("  {\n" + ",\n".join(lines) + "\n  }")
    return "[\n" + ",\n".join(items) + "\n]"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value == round(value, 2) else f"{value:,}"
    return str(value)


def emit_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, empty: str) -> None:
    if not rows:
        click.echo(empty)
        return
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    numeric = [all(_is_number(row[i]) for row in rows) for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    click.echo(line(headers))
    click.echo("  ".join("-" * w for w in widths))
    for row in cells:
        click.echo(line(row))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)
