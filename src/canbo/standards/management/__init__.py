"""Management commands of the standards app: ``canbo standards check``, ``canbo standards
staffing`` and ``canbo rules test`` (their canbo names are given in :mod:`canbo.cli`)."""
