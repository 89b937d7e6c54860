"""invdesk.reports package."""
