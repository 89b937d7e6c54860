"""Workspace pages: each a QWidget(db, actor, parent) with a TITLE and refresh()."""
