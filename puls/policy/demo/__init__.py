"""Demo data of the policy app: Demo Kommune's staff policy tree (7 values, 8 policies with focus
areas and initiatives, in our own Danish words), two workplaces that have walked Værdivejen, and a
report-back round that half the units have answered. Built through the real services by
`policy_demo_create`, which `manage.py load_demo` calls."""
