"""Restock policies: set, list and remove per warehouse, category or product (managers only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from invdesk.db.engine import Database
from invdesk.db.tables import category_t, level_t, policy_t, product_t, warehouse_t
from invdesk.domain.errors import Conflict, NotFound, ValidationError
from invdesk.domain.restock import PolicyRule, PolicyScope, PolicyView, SetPolicy
from invdesk.domain.security import Actor, Permission, require
from invdesk.services import audit_trail
from invdesk.services.catalog.lookup import product_ref, warehouse_code, warehouse_ref
from invdesk.services.catalog.policy_lookup import effective, rule_of, scope_key
from invdesk.services.stock import alert_rules, events

_p = policy_t.c


def _target(conn: Connection, cmd: SetPolicy) -> tuple[PolicyScope, int | None, int | None]:
    if cmd.product and cmd.category:
        raise ValidationError("A policy is for a product or a category, not both.", field="scope")
    if cmd.product:
        return PolicyScope.PRODUCT, product_ref(conn, cmd.product).id, None
    if cmd.category:
        found = conn.execute(
            select(category_t.c.id).where(category_t.c.name == cmd.category.strip())
        ).scalar()
        if found is None:
            raise NotFound(f"There is no category “{cmd.category}”.", field="category")
        return PolicyScope.CATEGORY, None, int(found)
    return PolicyScope.WAREHOUSE, None, None


def _reevaluate(conn: Connection, warehouse_id: int, product_id: int | None, at: Any) -> None:
    """Re-check the alerts a policy change affects (the rows of its warehouse, or one product)."""
    stmt = select(level_t.c.product_id).where(level_t.c.warehouse_id == warehouse_id)
    if product_id is not None:
        stmt = stmt.where(level_t.c.product_id == product_id)
    for pid in conn.execute(stmt).scalars().all():
        alert_rules.check(conn, pid, warehouse_id, at)


def set_policy(db: Database, cmd: SetPolicy, actor: Actor) -> PolicyView:
    """Create or replace the policy of one scope; alerts of the affected rows are re-checked.

    `expected_version` guards an edit of an existing policy (Conflict when it changed meanwhile).
    Raises ValidationError for bad parameters, NotFound for an unknown warehouse/product/category.
    """
    require(actor, Permission.CATALOG)
    rule = cmd.rule.check()
    code = warehouse_code(cmd.warehouse)

    def work(conn: Connection) -> int:
        at = db.now()
        warehouse = warehouse_ref(conn, code)
        scope, product_id, category_id = _target(conn, cmd)
        key = scope_key(scope, product_id if scope is PolicyScope.PRODUCT else category_id)
        values = dict(
            kind=rule.kind.value,
            point=rule.point,
            qty=rule.qty,
            level=rule.level,
            cover_days=rule.cover_days,
            lookback_days=rule.lookback_days,
            target_days=rule.target_days,
            updated_by=actor.username,
            updated_at=at,
        )
        existing = conn.execute(
            select(_p.id, _p.version).where(_p.warehouse_id == warehouse.id, _p.scope_key == key)
        ).first()
        if existing is None:
            if cmd.expected_version is not None:
                raise Conflict("This policy was removed by someone else; reload.")
            policy_id = conn.execute(
                insert(policy_t)
                .values(
                    warehouse_id=warehouse.id,
                    scope=scope.value,
                    scope_key=key,
                    product_id=product_id,
                    category_id=category_id,
                    version=1,
                    **values,
                )
                .returning(_p.id)
            ).scalar_one()
        else:
            stmt = update(policy_t).where(_p.id == existing.id)
            if cmd.expected_version is not None:
                stmt = stmt.where(_p.version == cmd.expected_version)
            done = conn.execute(stmt.values(version=_p.version + 1, **values))
            if done.rowcount != 1:
                raise Conflict("This policy was changed by someone else; reload.")
            policy_id = existing.id
        target = cmd.product or cmd.category or "warehouse default"
        audit_trail.record(
            conn,
            actor,
            at,
            "create" if existing is None else "edit",
            "policy",
            f"{warehouse.code} {target}",
            {"kind": rule.kind.value, **{k: v for k, v in values.items() if k != "kind"}},
        )
        _reevaluate(conn, warehouse.id, product_id, at)
        events.collect(conn, events.PolicyChanged(warehouse.id))
        return int(policy_id)

    policy_id = events.run(db, work)
    return next(p for p in list_policies(db, actor, cmd.warehouse) if p.id == policy_id)


def remove_policy(db: Database, policy_id: int, actor: Actor) -> None:
    """Delete one policy; the next most specific one applies from now on."""
    require(actor, Permission.CATALOG)

    def work(conn: Connection) -> None:
        row = conn.execute(select(_p.warehouse_id, _p.product_id).where(_p.id == policy_id)).first()
        if row is None:
            raise NotFound(f"There is no policy number {policy_id}.", field="policy")
        conn.execute(delete(policy_t).where(_p.id == policy_id))
        at = db.now()
        audit_trail.record(conn, actor, at, "delete", "policy", f"policy {policy_id}")
        _reevaluate(conn, row.warehouse_id, row.product_id, at)
        events.collect(conn, events.PolicyChanged(row.warehouse_id))

    events.run(db, work)


def list_policies(db: Database, actor: Actor, warehouse: str | None = None) -> list[PolicyView]:
    """Policies ordered by warehouse, then warehouse default, categories, products."""
    require(actor, Permission.VIEW)
    stmt = (
        select(policy_t, warehouse_t.c.code, product_t.c.sku, category_t.c.name.label("category"))
        .join(warehouse_t, warehouse_t.c.id == _p.warehouse_id)
        .outerjoin(product_t, product_t.c.id == _p.product_id)
        .outerjoin(category_t, category_t.c.id == _p.category_id)
        .order_by(warehouse_t.c.code, _p.scope.desc(), category_t.c.name, product_t.c.sku)
    )
    with db.read() as conn:
        if warehouse is not None:
            stmt = stmt.where(_p.warehouse_id == warehouse_ref(conn, warehouse_code(warehouse)).id)
        return [
            PolicyView(
                id=row.id,
                warehouse=row.code,
                scope=PolicyScope(row.scope),
                target=row.sku or row.category,
                rule=rule_of(row),
                version=row.version,
                updated_by=row.updated_by,
                updated_at=row.updated_at,
            )
            for row in conn.execute(stmt)
        ]


def effective_policy(
    db: Database, actor: Actor, sku: str, warehouse: str
) -> tuple[PolicyScope, PolicyRule] | None:
    """The policy that applies to one product in one warehouse (for the Stock page), or None."""
    require(actor, Permission.VIEW)
    with db.read() as conn:
        product = product_ref(conn, sku)
        found = effective(conn, product.id, warehouse_ref(conn, warehouse_code(warehouse)).id)
    return found
