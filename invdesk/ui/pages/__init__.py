"""invdesk.ui.pages package."""
