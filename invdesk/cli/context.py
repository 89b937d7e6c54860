"""What every command shares: the chosen database (opened once, lazily) and the acting user."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

import click

from invdesk.config import resolve_database
from invdesk.db.engine import Database
from invdesk.domain.security import Actor, Role
from invdesk.services import live
from invdesk.services.database import open_database


@dataclass
class CliContext:
    db_flag: str | None
    _db: Database | None = field(default=None, init=False)
    _notifier: live.ChangeNotifier | None = field(default=None, init=False)

    def database(self, *, check_schema: bool = True) -> Database:
        if self._db is None:
            self._db = open_database(resolve_database(self.db_flag).url, check_schema=check_schema)
            # Other PCs' screens refresh at once when a script changes stock (PostgreSQL only).
            self._notifier = live.start_notifier(self._db)
        return self._db

    def actor(self) -> Actor:
        # Until user accounts exist, the command line acts as the logged-in OS user.
        try:
            name = getpass.getuser()
        except OSError:
            name = "cli"
        return Actor(name[:64], Role.ADMIN)

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.close()
        if self._db is not None:
            self._db.dispose()


pass_cli = click.make_pass_decorator(CliContext)
