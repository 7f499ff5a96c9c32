"""Cursors for the few statements every request runs, which PostgreSQL should parse and plan
once per connection rather than once per request."""

from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper


@contextmanager
def prepared_cursor(connection: BaseDatabaseWrapper):
    """A cursor whose statements psycopg prepares on the server after a few executions
    (psycopg's `prepare_threshold`), with the parameters sent apart from the text.

    Django's own PostgreSQL cursors bind parameters on the client: psycopg renders each value
    into the SQL text in Python and the server parses and plans the text every time. For the
    token lookup and the diary upsert, which every API request and every patient's morning
    run, that was a measurable share of the request (bench/run.py). Only for statements
    written for it (each parameter's type clear from its context), not for the ORM's queries
    in general, hence not Django's `server_side_binding` option. Other databases get their
    usual cursor. The cursor is Django's wrapper, so errors become django.db errors and
    captured queries (tests, DEBUG) see the statements as usual."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    import psycopg

    connection.ensure_connection()
    # _prepare_cursor: Django's wrapping of a new cursor (thread check, query logging).
    with connection._prepare_cursor(psycopg.Cursor(connection.connection)) as cursor:
        yield cursor
