"""The web application officers work in (issue 10): dashboard, communes, people, a person's
file, import, reports, rules and users — Vietnamese first, every asset served by the app.

The admin (``/admin/``) stays, for system administrators. Every page asks the same services the
commands ask (:mod:`canbo.standards.services`, :mod:`canbo.reports.services`,
:mod:`canbo.imports.services`) through the one scope mechanism (:mod:`canbo.access.scope`).
"""
