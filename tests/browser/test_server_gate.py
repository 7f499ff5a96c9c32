"""The gate between the live server's requests and the test's own statements on SQLite
(tests/live_server_gate.py): a test statement waits for the request under way, a request waits
for the test statement under way, a request that fails still leaves the gate open, and between
tests the gate waits for the request under way and then drops what arrives. No browser: the
server's thread is played by a thread."""

import threading

import pytest

from tests.live_server_gate import IN_FLIGHT


def _serve(started, release, finished):
    """A request in the server's thread: it starts, holds until released, and ends."""
    with IN_FLIGHT.request() as admitted:
        assert admitted
        started.set()
        release.wait(5)
        finished.set()


def test_a_test_statement_waits_for_the_request_under_way():
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    server = threading.Thread(target=_serve, args=(started, release, finished))
    server.start()
    assert started.wait(5)
    ran_after_request = []

    def execute(sql, params, many, context):
        ran_after_request.append(finished.is_set())

    # Released from another thread only once the statement is waiting (or has wrongly run).
    releaser = threading.Timer(0.2, release.set)
    releaser.start()
    IN_FLIGHT.statement(execute, "SELECT 1", None, False, {})
    server.join(5)
    releaser.join(5)
    assert ran_after_request == [True]
    assert IN_FLIGHT.count == 0


def test_a_request_waits_for_the_test_statement_under_way():
    in_statement, request_started = threading.Event(), threading.Event()
    order = []

    def request():
        in_statement.wait(5)
        with IN_FLIGHT.request():
            order.append("request")
            request_started.set()

    def execute(sql, params, many, context):
        in_statement.set()
        # The request cannot start while this statement runs.
        assert not request_started.wait(0.2)
        order.append("statement")

    server = threading.Thread(target=request)
    server.start()
    IN_FLIGHT.statement(execute, "SELECT 1", None, False, {})
    server.join(5)
    assert order == ["statement", "request"]
    assert IN_FLIGHT.count == 0


def test_a_request_that_fails_leaves_the_gate_open():
    """As a request that ends after the test's database access closed (Django's own
    request_finished receiver raises): the next test statement must not wait for it."""
    with pytest.raises(RuntimeError), IN_FLIGHT.request():
        raise RuntimeError("Database access not allowed")
    assert IN_FLIGHT.count == 0
    ran = []
    IN_FLIGHT.statement(lambda *args: ran.append(True), "SELECT 1", None, False, {})
    assert ran == [True]


def test_shut_between_tests_the_gate_waits_for_the_request_under_way_then_drops_the_next():
    """As at the end of a browser test: the request under way ends before the flush, and a
    connection the closed browser had already sent is not served during it (seen in CI: the
    count was 0 between two queued connections, and the second ran during the flush)."""
    started, release, finished = threading.Event(), threading.Event(), threading.Event()
    server = threading.Thread(target=_serve, args=(started, release, finished))
    server.start()
    assert started.wait(5)
    releaser = threading.Timer(0.2, release.set)
    releaser.start()
    try:
        IN_FLIGHT.close()
        assert finished.is_set()
        with IN_FLIGHT.request() as admitted:
            assert not admitted
        assert IN_FLIGHT.count == 0
    finally:
        IN_FLIGHT.reopen()
        server.join(5)
        releaser.join(5)
    # Open again for the next test.
    with IN_FLIGHT.request() as admitted:
        assert admitted
        assert IN_FLIGHT.count == 1
    assert IN_FLIGHT.count == 0
