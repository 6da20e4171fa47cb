"""Management commands of the standards app: ``canbo check`` and ``canbo staffing``."""
