"""invdesk.ui package."""
