"""Events and alerts leaving invdesk: the server's delivery, webhooks, alert e-mail."""
