"""Excel lists in: upload, preview with every problem, commit all or nothing (issue 4)."""
