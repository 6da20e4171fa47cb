"""Operations (issue 11 §4): ``canbo backup`` and ``canbo restore`` — the database and the
uploaded files in one archive (the format: :mod:`canbo.core.archive`), restored only after the
whole archive is verified. Deployment guide: docs/deploy.md."""
