"""Official reports (quality, staffing, trend) as xlsx and PDF (issue 4)."""
