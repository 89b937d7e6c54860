"""A user's daily alert digest: new alerts, holds about to expire, the day's movements, as text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class DigestAlert:
    sku: str
    kind: str
    available: int
    raised_at: datetime


@dataclass(frozen=True)
class DigestHold:
    sku: str
    qty: int
    reference: str | None
    expires_at: datetime


@dataclass(frozen=True)
class DigestMovement:
    """The day's movements of one product and kind: how many rows, and the net quantity."""

    sku: str
    kind: str
    count: int
    net_qty: int


@dataclass(frozen=True)
class WarehouseDigest:
    warehouse: str
    alerts: tuple[DigestAlert, ...]
    holds: tuple[DigestHold, ...]
    movements: tuple[DigestMovement, ...]


@dataclass(frozen=True)
class Digest:
    username: str
    email: str
    day: date
    warehouses: tuple[WarehouseDigest, ...]

    @property
    def subject(self) -> str:
        alerts = sum(len(w.alerts) for w in self.warehouses)
        return f"invdesk digest for {self.day.isoformat()}: {alerts} new alert(s)"

    def text(self) -> str:
        lines = [f"Daily digest for {self.username}, {self.day.isoformat()} (UTC).", ""]
        for part in self.warehouses:
            lines.append(f"== {part.warehouse} ==")
            lines.append("New alerts:" if part.alerts else "New alerts: none")
            lines += [
                f"  {a.sku}: {a.kind.replace('_', ' ')}, {a.available} {units_word(a.kind)} "
                f"(raised {a.raised_at:%H:%M})"
                for a in part.alerts
            ]
            lines.append("Holds expiring within a day:" if part.holds else "Holds expiring: none")
            lines += [
                f"  {h.sku}: {h.qty} for {h.reference or 'no reference'}, "
                f"expires {h.expires_at:%Y-%m-%d %H:%M}"
                for h in part.holds
            ]
            lines.append("Movements today:" if part.movements else "Movements today: none")
            lines += [
                f"  {m.sku} {m.kind}: {m.count} movement(s), net {m.net_qty:+d}"
                for m in part.movements
            ]
            lines.append("")
        return "\n".join(lines)


def units_word(kind: str) -> str:
    """What an alert's figure counts: available units, or (lot alerts) the units in those lots."""
    return "in the lots" if kind.startswith("lot") else "available"
