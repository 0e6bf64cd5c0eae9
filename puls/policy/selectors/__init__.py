"""Reads of the policy app, always through an Access (see permissions.py)."""
