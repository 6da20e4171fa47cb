"""The REST API of canbo (issue 11 §3) at ``/api/``: one django-ninja ``NinjaAPI``
(:mod:`canbo.api.main`) assembling the routers each app keeps in its own ``api.py``
(:mod:`canbo.registry.api`, :mod:`canbo.standards.api`, :mod:`canbo.access.api`), with the
authentication (:mod:`canbo.api.auth`) and the answers to bad requests (:mod:`canbo.api.errors`)
they share. Guide: ``docs/api.md``."""
