"""The one error hierarchy: every message is written for the clerk who will read it."""

from __future__ import annotations


class InvdeskError(Exception):
    """A known failure with a message for people. `field` names the input at fault, if any;
    `line`, the index (from 0) of the document line it is about, if any."""

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line


class about_line:  # lower case: it reads as a function, `with about_line(i):`
    """Errors raised inside are about document line `index` (unless they already name one).

    A class, not a generator context manager: it wraps every line of every stock operation, and
    this costs a fraction of what @contextmanager does."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        if isinstance(error, InvdeskError) and error.line is None:
            error.line = self.index


class ValidationError(InvdeskError):
    """Input that cannot be accepted as given."""

    exit_code = 2


class InsufficientStock(InvdeskError):
    """Fewer units available than asked for."""

    exit_code = 3

    def __init__(
        self, message: str, *, available: int, requested: int, field: str | None = "qty"
    ) -> None:
        super().__init__(message, field=field)
        self.available = available
        self.requested = requested


class NotFound(InvdeskError):
    """A SKU, barcode, warehouse, reservation... that does not exist."""

    exit_code = 4


class Conflict(InvdeskError):
    """Someone else changed the record since it was read, or it already exists."""

    exit_code = 5


class DuplicateRequest(Conflict):
    """A request id that was already used for a different operation."""


class PermissionDenied(InvdeskError):
    """The user's role does not allow this."""

    exit_code = 6


class DatabaseUnavailable(InvdeskError):
    """The database cannot be reached or used; the message says what to do."""

    exit_code = 7


class DatabaseDamaged(DatabaseUnavailable):
    """The database file is damaged (corrupt, cut off, or not a database at all)."""

    exit_code = 8


class Cancelled(InvdeskError):
    """The person asked a long job (a report, an import) to stop; nothing was written."""


class PrintFailed(InvdeskError):
    """A printer could not be reached or refused the job, or the PDF could not be written."""

    exit_code = 9
