"""Writes of the policy app: transactional, audited where an administrator acts."""
