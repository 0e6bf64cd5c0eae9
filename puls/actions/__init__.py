"""Action plans with owners, deadlines and follow-up, and the APV cycle per unit (DESIGN §1 Act)."""
