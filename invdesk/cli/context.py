"""What every command shares: the chosen database (opened once, lazily) and the acting user."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field, replace
from typing import Any

import click
from sqlalchemy.engine import make_url

from invdesk.config import ReadReplicaChoice, resolve_database, resolve_read_database
from invdesk.credentials import url_with_saved_password
from invdesk.db.engine import Database
from invdesk.db.replica import DEFAULT_MAX_LAG_S
from invdesk.domain.security import Actor, Role
from invdesk.domain.users import LoginRequired
from invdesk.services.catalog import logins, users
from invdesk.services.system import live
from invdesk.services.system.database import attach_replica, open_database

ENV_PASSWORD = "INVDESK_PASSWORD"
ENV_NEW_PASSWORD = "INVDESK_NEW_PASSWORD"


def os_user() -> str:
    try:
        name = getpass.getuser()
    except OSError:
        name = "cli"
    return name[:64]


@dataclass
class CliContext:
    db_flag: str | None
    user_flag: str | None = None
    gui: Any = None
    """The desktop app's hooks (launch, screenshots) when started from invdesk.app."""
    read_db_flag: str | None = None
    read_max_lag_flag: float | None = None
    _db: Database | None = field(default=None, init=False)
    _actor: Actor | None = field(default=None, init=False)
    login_password: str | None = field(default=None, init=False, repr=False)
    _notifier: live.ChangeNotifier | None = field(default=None, init=False)

    def url(self) -> str:
        """The database URL this command uses (flag, environment, config file or default)."""
        return resolve_database(self.db_flag).url

    def database_url(self) -> str:
        """The chosen database's URL, with the password saved in the keyring (if any)."""
        return url_with_saved_password(self.url())

    def read_replica(self) -> ReadReplicaChoice | None:
        """The read replica (--read-db, the environment or the config file), with its password
        saved in the keyring (if any)."""
        choice = resolve_read_database(self.read_db_flag, self.read_max_lag_flag)
        if choice is None:
            return None
        return replace(choice, url=url_with_saved_password(choice.url))

    def database(self, *, check_schema: bool = True) -> Database:
        if self._db is None:
            url = self.database_url()
            replica = self.read_replica()
            signed = self._sign_in(url)
            if signed is not None:
                # A server whose accounts are login roles: this run is the person's own login,
                # on the replica too (its logins are the primary's).
                self._db, self._actor = signed
                if replica is not None:
                    own = logins.person_url(replica.url, self._actor.username, self._password())
                    attach_replica(self._db, own, replica.max_lag_s)
                if check_schema:
                    from invdesk.db import migrate  # alembic: only when a database opens

                    migrate.ensure_current(self._db)
            else:
                self._db = open_database(
                    url,
                    check_schema=check_schema,
                    read_url=None if replica is None else replica.url,
                    read_max_lag_s=DEFAULT_MAX_LAG_S if replica is None else replica.max_lag_s,
                )
            # Other PCs' screens refresh at once when a script changes stock (PostgreSQL only).
            self._notifier = live.start_notifier(self._db)
        return self._db

    def actor(self) -> Actor:
        """The logged-in user (--user NAME); the OS user as admin only while no account exists."""
        if self._actor is None:
            self._actor = self._log_in()
        return self._actor

    def _password(self) -> str:
        if self.login_password is None:
            password = os.environ.get(ENV_PASSWORD)
            if password is None:
                password = click.prompt(f"Password for {self.user_flag}", hide_input=True, err=True)
            self.login_password = password
        return self.login_password

    def _sign_in(self, url: str) -> tuple[Database, Actor] | None:
        """--user on PostgreSQL: the person's own login, if the server's accounts are login roles."""
        if not self.user_flag or make_url(url).get_backend_name() != "postgresql":
            return None
        return users.sign_in(url, self.user_flag, self._password())

    def _log_in(self) -> Actor:
        db = self.database()
        if self._actor is not None:
            return self._actor  # signed in as a login role while opening the database
        if self.user_flag:
            return users.login(db, self.user_flag, self._password())
        bootstrap = logins.bootstrap_actor(db)
        if bootstrap is not None:
            return bootstrap  # the set-up's superuser or owner URL: the server trusts it anyway
        if users.has_users(db):
            raise LoginRequired(
                "This database has user accounts: log in with --user NAME "
                f"(the password comes from {ENV_PASSWORD} or a prompt)."
            )
        # No accounts yet: the command line acts as the OS user, as an admin, until the first
        # admin account is created (`invdesk user add NAME --role admin`).
        return Actor(os_user(), Role.ADMIN)

    def new_password(self, prompt: str) -> str:
        password = os.environ.get(ENV_NEW_PASSWORD)
        if password is None:
            password = click.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True)
        return password

    def close(self) -> None:
        if self._notifier is not None:
            self._notifier.close()
        if self._db is not None:
            self._db.dispose()


pass_cli = click.make_pass_decorator(CliContext)
