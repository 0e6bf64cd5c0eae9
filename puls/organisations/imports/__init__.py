"""Import of units and people from CSV and XLSX files (see docs/import.md)."""
