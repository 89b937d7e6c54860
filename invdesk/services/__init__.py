"""invdesk.services package."""
