"""invdesk.db package."""
