"""invdesk.domain package."""
