"""Workspace pages of the main window."""
