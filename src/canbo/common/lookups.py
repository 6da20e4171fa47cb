"""``field__any_of=ids``: ``field IN (ids)`` sent to PostgreSQL as one array parameter.

A user's scope is a list of unit ids — about a thousand for a large province with its legacy
units — and it narrows most queries of a page. Written as ``IN (%s, %s, …)``, each id is one
placeholder that psycopg's client-side binding splits and quotes in Python on every query
(about 0.1 s for a thousand of them, several times per page). ``unit_id = ANY(%s)`` with the ids
as one array is the same condition for the database (PostgreSQL plans ``= ANY(array)`` as it
plans ``IN``) and costs one placeholder. Other databases (SQLite) get the plain ``IN``.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.lookups import In

__all__ = ["AnyOf"]


class AnyOf(In):
    """``IN`` a list of values, as ``= ANY(array)`` on PostgreSQL (module docstring). A
    subquery on the right keeps the plain ``IN``."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        values = [v for v in self.rhs if v is not None]
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        db_values = [self.lhs.output_field.get_db_prep_value(v, connection, prepared=True) for v in values]
        return f"{lhs} = ANY(%s)", (*lhs_params, db_values)


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # ``unit_id__any_of``, ``person__managing_unit__any_of``
