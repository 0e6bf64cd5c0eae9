"""Pages of the policy app (thin: one selector or service, then render)."""
