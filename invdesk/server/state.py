"""What the handlers of one server process share: the open database and the settings."""

from __future__ import annotations

from dataclasses import dataclass

from invdesk.server.settings import ServerSettings
from invdesk.services.database import Database


@dataclass
class ServerState:
    settings: ServerSettings
    db: Database
