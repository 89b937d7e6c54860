"""The whole schema on one metadata: every model module imported (for Alembic and the tests)."""

from __future__ import annotations

from invdesk.db import company_models as company_models
from invdesk.db import grain_models as grain_models
from invdesk.db import purchasing_models as purchasing_models
from invdesk.db.models import Base as Base

metadata = Base.metadata
