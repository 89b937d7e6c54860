"""Categories: create, rename, nest one level, retire and merge (managers), list (everyone).

Every edit runs under optimistic locking and writes an audit row in its own transaction.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from invdesk.db.engine import Database
from invdesk.db.models import Category, Product, RestockPolicy
from invdesk.domain.catalog import CATEGORY_MAX, CategoryView
from invdesk.domain.errors import Conflict, ValidationError
from invdesk.domain.restock import PolicyScope
from invdesk.domain.security import Actor, Permission, require
from invdesk.domain.validation import required_text
from invdesk.services import audit_trail
from invdesk.services.catalog.policy_lookup import scope_key
from invdesk.services.catalog.products import (
    category_by_name,
    category_named,
    lock_category_names,
)
from invdesk.services.unit_of_work import check_version, edit_session, orm_session


def _label(name: object) -> str:
    label = required_text(name, label="Category", field="category", max_len=CATEGORY_MAX)
    if ">" in label:
        # ">" separates a parent from its sub-category ("Clothing > Shirts") in lists and files.
        raise ValidationError("A category name cannot contain “>”.", field="category")
    return label


def _view(category: Category, products: int = 0) -> CategoryView:
    parent = category.parent.name if category.parent is not None else None
    return CategoryView(
        category.id, category.name, category.version, category.active, parent, products
    )


def _parent(session: Session, name: str | None, child: Category | None = None) -> Category | None:
    """The parent a category may be filed under: an active top-level category (one level only)."""
    if name is None or not name.strip():
        return None
    parent = category_by_name(session, name)
    if parent.parent_id is not None:
        raise ValidationError(
            f"{parent.name} is itself under {parent.parent.name if parent.parent else '?'}; "
            "categories nest one level only.",
            field="parent",
        )
    if not parent.active:
        raise ValidationError(f"Category {parent.name} is retired.", field="parent")
    if child is not None:
        if parent.id == child.id:
            raise ValidationError("A category cannot be its own parent.", field="parent")
        if _has_children(session, child):
            raise ValidationError(
                f"{child.name} has sub-categories; categories nest one level only.",
                field="parent",
            )
    return parent


def _has_children(session: Session, category: Category) -> bool:
    found = session.scalar(select(Category.id).where(Category.parent_id == category.id).limit(1))
    return found is not None


def list_categories(
    db: Database, actor: Actor, include_inactive: bool = False
) -> list[CategoryView]:
    """Categories with their parent and product count, parents first, each followed by its own."""
    require(actor, Permission.VIEW)
    counts = (
        select(Product.category_id, func.count().label("n"))
        .group_by(Product.category_id)
        .subquery()
    )
    stmt = select(Category, func.coalesce(counts.c.n, 0)).outerjoin(
        counts, counts.c.category_id == Category.id
    )
    if not include_inactive:
        stmt = stmt.where(Category.active.is_(True))
    with db.read() as conn, orm_session(conn) as session:
        views = [_view(c, n) for c, n in session.execute(stmt)]
    return sorted(views, key=lambda v: (v.path.casefold(), v.id))


def create_category(
    db: Database, name: str, actor: Actor, parent: str | None = None
) -> CategoryView:
    """A new category, optionally under a top-level `parent`. Raises Conflict for a taken name
    (case ignored), ValidationError for a bad name or parent, NotFound for an unknown parent."""
    require(actor, Permission.CATALOG)
    label = _label(name)

    def work(session: Session) -> CategoryView:
        lock_category_names(session)
        if category_named(session, label) is not None:
            raise Conflict(f"A category named {label} already exists.", field="category")
        category = Category(name=label, parent=_parent(session, parent))
        session.add(category)
        session.flush()
        details = {"parent": category.parent.name} if category.parent else None
        audit_trail.record(
            session.connection(), actor, db.now(), "create", "category", label, details
        )
        return _view(category)

    return edit_session(db, work)


def rename_category(
    db: Database, name: str, new_name: str, actor: Actor, expected_version: int | None = None
) -> CategoryView:
    """Rename a category (its products follow). Raises Conflict for a taken name or a stale version."""
    require(actor, Permission.CATALOG)
    label = _label(new_name)

    def work(session: Session) -> CategoryView:
        lock_category_names(session)
        category = category_by_name(session, name)
        check_version(category.version, expected_version, f"Category {category.name}")
        clash = category_named(session, label)
        if clash is not None and clash.id != category.id:
            raise Conflict(f"A category named {clash.name} already exists.", field="category")
        old_name = category.name
        category.name = label
        audit_trail.record_edit(session, actor, db.now(), "category", old_name, category)
        session.flush()
        return _view(category)

    return edit_session(db, work)


def move_category(
    db: Database,
    name: str,
    parent: str | None,
    actor: Actor,
    expected_version: int | None = None,
) -> CategoryView:
    """File a category under a top-level `parent`, or (None) make it top-level."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> CategoryView:
        category = category_by_name(session, name)
        check_version(category.version, expected_version, f"Category {category.name}")
        category.parent = _parent(session, parent, category)
        audit_trail.record_edit(session, actor, db.now(), "category", category.name, category)
        session.flush()
        return _view(category)

    return edit_session(db, work)


def set_category_active(
    db: Database, name: str, active: bool, actor: Actor, expected_version: int | None = None
) -> CategoryView:
    """Retire a category (no new products in it) or bring it back; its products keep it."""
    require(actor, Permission.CATALOG)

    def work(session: Session) -> CategoryView:
        category = category_by_name(session, name)
        check_version(category.version, expected_version, f"Category {category.name}")
        category.active = active
        audit_trail.record_edit(session, actor, db.now(), "category", category.name, category)
        session.flush()
        return _view(category)

    return edit_session(db, work)


def merge_category(
    db: Database, source: str, into: str, actor: Actor, expected_version: int | None = None
) -> CategoryView:
    """Move every product, restock policy and sub-category of `source` into `into`, then delete
    `source`. Where both had a policy for the same warehouse, `into`'s own one is kept.

    `expected_version` guards `source`. Raises ValidationError (the same category; a merge that
    would nest two levels), NotFound, Conflict (stale version). Returns `into` with its new count.
    """
    require(actor, Permission.CATALOG)

    def work(session: Session) -> CategoryView:
        lock_category_names(session)
        old = category_by_name(session, source)
        check_version(old.version, expected_version, f"Category {old.name}")
        new = category_by_name(session, into)
        if old.id == new.id:
            raise ValidationError("A category cannot be merged into itself.", field="category")
        if new.parent_id == old.id:
            raise ValidationError(
                f"{new.name} is a sub-category of {old.name}; move it out first.",
                field="category",
            )
        if new.parent_id is not None and _has_children(session, old):
            raise ValidationError(
                f"{old.name} has sub-categories and {new.name} is one itself; "
                "categories nest one level only.",
                field="category",
            )
        in_old = Product.category_id == old.id
        moved = session.scalar(select(func.count()).where(in_old)) or 0
        session.execute(update(Product).where(in_old).values(category_id=new.id))
        kept, dropped = _move_policies(session, old.id, new.id)
        session.execute(
            update(Category).where(Category.parent_id == old.id).values(parent_id=new.id)
        )
        audit_trail.record(
            session.connection(), actor, db.now(), "merge", "category", old.name,
            {"into": new.name, "products": moved, "policies moved": kept,
             "policies dropped (kept the target's)": dropped},
        )  # fmt: skip
        session.execute(delete(Category).where(Category.id == old.id))
        session.expire_all()
        count = session.scalar(select(func.count()).where(Product.category_id == new.id)) or 0
        return _view(category_by_name(session, new.name), count)

    return edit_session(db, work)


def _move_policies(session: Session, old_id: int, new_id: int) -> tuple[int, int]:
    """Re-scope `old_id`'s category policies to `new_id`; a warehouse where `new_id` already has
    its own keeps that one. Returns (moved, dropped)."""
    policies = session.scalars(
        select(RestockPolicy).where(RestockPolicy.category_id.in_((old_id, new_id)))
    ).all()
    taken = {p.warehouse_id for p in policies if p.category_id == new_id}
    moved = dropped = 0
    for policy in policies:
        if policy.category_id != old_id:
            continue
        if policy.warehouse_id in taken:
            session.delete(policy)
            dropped += 1
        else:
            policy.category_id = new_id
            policy.scope_key = scope_key(PolicyScope.CATEGORY, new_id)
            moved += 1
    session.flush()
    return moved, dropped
