"""Survey reports: stored, suppressed aggregates (compute), the pages that read them (selectors,
views) and their PDF/XLSX exports. Every output path reads `SurveyReport`/`MeasureResult` rows."""
