"""Demo data: "Demo Kommune" and its small neighbour "Nabo Kommune", generated locally.

`manage.py load_demo` builds them and `manage.py demo_logins` prints how to log in.
"""
