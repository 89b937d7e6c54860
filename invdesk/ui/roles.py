"""Role-based hiding for widgets and actions: the services refuse anyway; the GUI just does not offer."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from invdesk.domain.security import Actor, Permission


def restrict(
    items: QWidget | QAction | list[QWidget | QAction],
    actor: Actor,
    permission: Permission,
    *,
    hide: bool = False,
) -> bool:
    """Disable (or hide) what `actor` may not use, with a tip saying why; True when allowed.

    e.g. `restrict([edit_button, new_product_action], actor, Permission.CATALOG)`.
    """
    allowed = actor.can(permission)
    tip = "" if allowed else f"Your role ({actor.role}) does not allow {permission}."
    for item in items if isinstance(items, list) else [items]:
        if hide:
            item.setVisible(allowed)
        item.setEnabled(allowed)
        if tip:
            item.setToolTip(tip)
            item.setStatusTip(tip)
    return allowed
