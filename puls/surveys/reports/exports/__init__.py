"""PDF and XLSX exports of a survey report, built by a task and kept as `ReportExport` rows for a day.

Every figure comes from the report selectors with the requesting user's `Access`, so an export shows
the same numbers as the pages and hides the same cells (DESIGN §4.3: one suppression, every path).
"""
