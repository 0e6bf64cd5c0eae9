"""The policy tree (values → policies → focus areas → initiatives), its versions, local
interpretations (Værdivejen) and the yearly report-back (DESIGN §1 Decide, Localise, Report back)."""
