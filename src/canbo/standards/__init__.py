"""The Django side of "standards as code": the national rule files loaded (and refused when
broken) at start-up, the provincial layer stored as data (:class:`~.models.ProvincialDecision`),
and the findings and staffing shown on the admin pages of people and units.

The rules themselves and the engine live in the pure core (:mod:`canbo.core.standards`).
"""
