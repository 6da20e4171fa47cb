"""PostgreSQL connections are opened the way the settings promise (docs/performance.md): no JIT
compilation of queries, which cost seconds on the pages' lists at national scale."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL settings")


@pytest.mark.django_db
def test_postgres_connections_do_not_jit_compile_queries():
    with connection.cursor() as c:
        c.execute("SHOW jit")
        assert c.fetchone()[0] == "off"
