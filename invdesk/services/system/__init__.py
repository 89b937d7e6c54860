"""Running invdesk: connecting, opening and backing up a database, jobs, server health, live updates."""
