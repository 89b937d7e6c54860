"""PyInstaller entry point: the same as the `invdesk` command."""

from invdesk.app import main

main()
