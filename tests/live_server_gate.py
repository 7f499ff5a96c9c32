"""The gate between the live server's requests and the test's own statements on SQLite.

On SQLite, pytest-django hands the test's in-memory connection to the live server's thread,
and the live server answers one request at a time (tests/conftest.py, SerialWSGIServer). A
browser keeps working in the background (the service worker's idle-time 'warm', today.js's
reads), so a statement the test runs while a request is under way would run on the same
connection mid-request: it fails ("database table is locked") or lands inside that request's
transaction. So a test statement waits until no request runs, and a request that arrives
meanwhile waits for the statement (`statement`, installed as a `connection.execute_wrapper` by
tests/browser/conftest.py).

Between tests the gate is shut (`close`, when a test's browser contexts are closed, until
`reopen`, after the flush): it waits for the request under way, and a request that reaches the
server after that is dropped unanswered, without touching the database. Waiting for the count
to reach 0 was not enough: the server takes its queued connections one after another, the count
is 0 between two of them, and a connection the closed browser had already sent then ran during
the flush ("database table is locked" in the flush, seen in CI).

A request is counted by the server itself, around the whole connection (`request()` in
SerialWSGIServer.finish_request), not by Django's request signals: a request that ends after
the test's database access was closed raises in Django's own `request_finished` receiver
(close_old_connections) before a later receiver would run, and a count kept from the signals
then stayed up for good (every later statement waited for it: seen in CI).
"""

import contextlib
import threading

# The longest a request or a test statement waits for the other (then it goes ahead).
GATE_SECONDS = 10.0


class InFlight:
    def __init__(self):
        self.count = 0
        self.test_statement = False
        self.closed = False
        self.changed = threading.Condition()

    @contextlib.contextmanager
    def request(self):
        """Around one request in the server's thread. Yields whether to serve it: not while the
        gate is shut between tests. The count goes down whatever happens."""
        with self.changed:
            self.changed.wait_for(lambda: not self.test_statement, timeout=GATE_SECONDS)
            admitted = not self.closed
            if admitted:
                self.count += 1
        try:
            yield admitted
        finally:
            if admitted:
                with self.changed:
                    self.count -= 1
                    self.changed.notify_all()

    def close(self, timeout=GATE_SECONDS):
        """Shut the gate at the end of a test and wait for the request under way."""
        with self.changed:
            self.closed = True
            self.changed.wait_for(lambda: self.count == 0, timeout=timeout)

    def reopen(self):
        with self.changed:
            self.closed = False

    def statement(self, execute, sql, params, many, context):
        """A `connection.execute_wrapper`: the test thread's statements one at a time with the
        server's requests; the statements of the server's own thread pass straight through."""
        if threading.current_thread() is not threading.main_thread():
            return execute(sql, params, many, context)
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout=GATE_SECONDS)
            self.test_statement = True
        try:
            return execute(sql, params, many, context)
        finally:
            with self.changed:
                self.test_statement = False
                self.changed.notify_all()


IN_FLIGHT = InFlight()
