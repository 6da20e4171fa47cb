"""Official reports computed from the engine's findings (issue 4 §3), without Django.

* :mod:`.layout` — the one report structure (title, issuing body, date, header tree, rows of a
  kind, footnotes, signature, chart) every report is built as;
* :mod:`.people` — who is counted, where and with what (shared by every report);
* :mod:`.quality`, :mod:`.staffing`, :mod:`.trend` — the three reports;
* :mod:`.xlsx`, :mod:`.pdf` — the one xlsx writer and the one PDF writer.

The adapter (``canbo.reports``) composes: ``services.check`` → a report here → a writer.
"""
