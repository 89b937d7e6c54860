"""`invdesk serve`: the HTTP API for channels, thin handlers over the services."""
