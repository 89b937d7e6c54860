"""Hot-path statements run on the driver's cursor: compiled once per dialect, errors handled as Core does.

A stock operation sends four to eight small statements. Through `Connection.execute` each one cost
30-60 µs of client CPU (cache key, execution context, result object) against 2-5 µs through the
bare driver, which made invdesk slower than the database it drives. A `Direct` statement is still
written in Core, compiled by SQLAlchemy for the connection's dialect (once), and executed inside
the connection's transaction; only the per-call machinery is skipped. What that machinery gave and
the stock path needs is kept here:

* bind processors (UTC timestamps, Money) run on the parameters, as Core would run them;
* a driver error is wrapped with SQLAlchemy's public API (`DBAPIError.instance`,
  `Dialect.is_disconnect`, `Connection.invalidate`), so it arrives as the same `DBAPIError`
  subclass, a dropped connection is invalidated, and `Database.run` retries as before.

Not kept: result processors (callers get the driver's values: a SQLite boolean is 0 or 1), engine
`*_cursor_execute` events and SQLAlchemy's statement logging. Use it only for statements on the stock
hot path; everything else goes through `Connection.execute`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any, NoReturn

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from invdesk.db.types import UTCDateTime

Row = tuple[Any, ...]
_CURSOR = "invdesk_direct_cursor"


class _Compiled:
    """One statement as one dialect's driver takes it."""

    __slots__ = ("parameters", "sql")

    def __init__(self, stmt: ClauseElement, dialect: Dialect, columns: Sequence[str]) -> None:
        compiled = stmt.compile(dialect=dialect, column_keys=list(columns) or None)
        assert isinstance(compiled, SQLCompiler)
        if compiled.post_compile_params:
            # An expanding IN list is rendered per call: not something to precompile.
            raise ValueError(f"a Direct statement needs fixed SQL: {compiled.string}")
        self.sql = compiled.string
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        positional = bool(compiled.positiontup)
        names: tuple[str, ...] = tuple(compiled.positiontup or binds)
        # Values written into the statement itself (a literal 0, MAX_ON_HAND): not the caller's.
        fixed = {name: bind.effective_value for name, bind in binds.items() if not bind.required}
        processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in binds.items():
            processor = _processor(bind.type, dialect)
            if processor is not None:
                processors[name] = processor
        self.parameters: Callable[[Mapping[str, Any]], Any] | None = _builder(
            names, positional, fixed, processors
        )


# One timestamp processor per dialect class, shared by every statement: an operation passes the same
# `at` to its claim and to each ledger row, and on SQLite turning it into text costs 2 µs each time.
_TIMESTAMPS: dict[type[Dialect], Callable[[Any], Any] | None] = {}


def _processor(type_: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    if not isinstance(type_, UTCDateTime):
        processor: Callable[[Any], Any] | None = type_.dialect_impl(dialect).bind_processor(dialect)
        return processor
    key = type(dialect)
    if key not in _TIMESTAMPS:
        plain = type_.dialect_impl(dialect).bind_processor(dialect)
        _TIMESTAMPS[key] = None if plain is None else _last_one(plain)
    return _TIMESTAMPS[key]


def _last_one(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`process`, remembering its last value (a datetime: immutable, so the same object gives the
    same result). The pair is replaced as a whole, so threads sharing it never see a torn one."""
    last: tuple[Any, Any] = (None, None)

    def remembered(value: Any) -> Any:
        nonlocal last
        seen, result = last
        if value is seen and value is not None:
            return result
        result = process(value)
        last = (value, result)
        return result

    return remembered


def _builder(
    names: tuple[str, ...],
    positional: bool,
    fixed: dict[str, Any],
    processors: dict[str, Callable[[Any], Any]],
) -> Callable[[Mapping[str, Any]], Any] | None:
    """A function from the caller's dict to what the driver takes; None when that is the dict itself.

    It gives what Core would: `{**fixed, **params}` (a caller's value wins), each bind processor run
    once per value, and for a positional driver a tuple in bind order (a name bound twice is passed
    twice). The work per call is C-level dict copies and an itemgetter.
    """
    if not positional and not fixed and not processors:
        return None  # the driver takes the caller's dict as it is
    defaults = fixed or None
    if positional:
        if not names:
            return lambda _params: ()
        pick = itemgetter(*names)
        single = len(names) == 1
        # Positions to process; a name bound twice is processed at each (the result is the same).
        at = tuple((i, processors[name]) for i, name in enumerate(names) if name in processors)
        if not at and not defaults and not single:
            return pick  # the values in bind order, as a tuple

        def build_positional(params: Mapping[str, Any]) -> Any:
            picked = pick({**defaults, **params} if defaults else params)
            values = [picked] if single else list(picked)
            for i, process in at:
                values[i] = process(values[i])
            return values

        return build_positional
    steps = tuple(processors.items())

    def build_named(params: Mapping[str, Any]) -> Any:
        # Keys the statement does not use may stay: the driver looks up only the names it binds.
        values = {**defaults, **params} if defaults else dict(params)
        for name, process in steps:
            values[name] = process(values[name])
        return values

    return build_named


class Direct:
    """A Core statement built once at import, executed on the DBAPI cursor of a Connection."""

    __slots__ = ("_forms", "columns", "statement")

    def __init__(self, statement: ClauseElement, *, columns: Sequence[str] = ()) -> None:
        """`columns`: for an INSERT or UPDATE without .values(), the columns every call sets."""
        self.statement = statement
        self.columns = tuple(columns)
        self._forms: dict[type[Dialect], _Compiled] = {}

    def _form(self, dialect: Dialect) -> _Compiled:
        form = self._forms.get(type(dialect))
        if form is None:
            form = self._forms[type(dialect)] = _Compiled(self.statement, dialect, self.columns)
        return form

    def _execute(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        """The cursor, with the statement executed on it."""
        form = self._form(conn.dialect)
        build = form.parameters
        args = params if build is None else build(params)
        cursor = _cursor(conn)
        try:
            cursor.execute(form.sql, args)
        except Exception as error:
            _raise(conn, error, form.sql, args)
        return cursor

    def first(self, conn: Connection, params: Mapping[str, Any]) -> Row | None:
        """The row, or None, of a statement that returns at most one row.

        (On SQLite a second row would leave the statement running until the cursor's next use.)
        """
        # _execute and _cursor, inlined: nearly every hot-path statement comes through here.
        form = self._forms.get(type(conn.dialect)) or self._form(conn.dialect)
        build = form.parameters
        args = params if build is None else build(params)
        pooled = conn.connection
        kept = pooled.info.get(_CURSOR)
        if kept is None or kept[0] is not pooled.dbapi_connection:
            kept = _keep_cursor(pooled)
        cursor = kept[1]
        try:
            cursor.execute(form.sql, args)
            row: Row | None = cursor.fetchone()
        except Exception as error:
            _raise(conn, error, form.sql, args)
        return row

    def all(self, conn: Connection, params: Mapping[str, Any]) -> list[Row]:
        rows: list[Row] = self._fetch(conn, self._execute(conn, params).fetchall)
        return rows

    def _fetch(self, conn: Connection, fetch: Callable[[], Any]) -> Any:
        try:
            return fetch()
        except Exception as error:
            _raise(conn, error, self.statement, None)

    def run(self, conn: Connection, params: Mapping[str, Any]) -> None:
        """Execute a statement, discarding any rows it returns."""
        cursor = self._execute(conn, params)
        if cursor.description is not None:
            # An unread RETURNING leaves a SQLite statement running, and then COMMIT fails.
            self._fetch(conn, cursor.fetchall)

    def sql(self, dialect: Dialect) -> str:
        """The SQL text sent for this statement on `dialect` (what the benchmark's raw mode sends)."""
        form = self._forms.get(type(dialect))
        return (form or _Compiled(self.statement, dialect, self.columns)).sql


def _cursor(conn: Connection) -> Any:
    """One cursor per driver connection, kept with the pooled connection (a cursor is not free)."""
    pooled = conn.connection
    kept = pooled.info.get(_CURSOR)
    if kept is None or kept[0] is not pooled.dbapi_connection:
        kept = _keep_cursor(pooled)
    return kept[1]


def _keep_cursor(pooled: Any) -> tuple[Any, Any]:
    # A reconnected pool entry keeps its info: the identity check drops a dead driver's cursor.
    driver = pooled.dbapi_connection
    kept = pooled.info[_CURSOR] = (driver, driver.cursor())
    return kept


def _raise(conn: Connection, error: Exception, sql: object, args: Any) -> NoReturn:
    """Raise an error of the driver's execute or fetch as Core would for a statement of `conn`:
    wrapped in the matching `DBAPIError` subclass (another exception in a `StatementError`), and on a lost connection with `connection_invalidated` set and the
    connection invalidated, so that `Database.run` retries on another one. The kept cursor is left
    open for the next statement (it belongs to the driver connection, and a dead one is replaced)."""
    dialect = conn.dialect
    driver_error = dialect.loaded_dbapi.Error
    disconnect = (
        isinstance(error, driver_error)
        and not conn.closed
        and not conn.invalidated
        and dialect.is_disconnect(error, conn.connection.dbapi_connection, None)
    )
    wrapped = DBAPIError.instance(
        str(sql),
        args,
        error,
        driver_error,
        hide_parameters=conn.engine.hide_parameters,
        connection_invalidated=disconnect,
        dialect=dialect,
    )
    if disconnect:
        # Only this connection: another pooled one the server dropped is found by the idle ping,
        # or fails its first statement and is retried in turn.
        conn.invalidate(wrapped)
    raise wrapped from error
