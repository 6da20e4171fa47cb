"""The embedded SQLite database is opened the way the settings promise (WAL, synchronous=NORMAL,
a 64 MB page cache): a large import's commit relies on them."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")


@pytest.mark.django_db
def test_sqlite_connections_use_wal_normal_sync_and_a_large_cache():
    with connection.cursor() as c:
        pragmas = {
            p: c.execute(f"PRAGMA {p}").fetchone()[0] for p in ("synchronous", "cache_size", "temp_store")
        }
        mode = c.execute("PRAGMA journal_mode").fetchone()[0]
    assert pragmas == {"synchronous": 1, "cache_size": -65536, "temp_store": 2}
    # The test database is in memory, where SQLite keeps its own journal; a file database is WAL.
    assert mode in ("wal", "memory")
