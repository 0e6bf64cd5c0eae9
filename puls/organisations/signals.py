"""Signals other apps listen to. Sent by the services, after the change, inside their transaction."""

from django.dispatch import Signal

# Sent with `organisation=` when UnitMapping rows of that organisation were created or changed
# (e.g. survey reports recompute, as trends follow the mappings).
unit_mappings_changed = Signal()
