"""invdesk.cli package."""
