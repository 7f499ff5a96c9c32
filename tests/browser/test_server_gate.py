"""The gate between the live server's requests and the test's own statements on SQLite
(conftest.InFlight): a test statement waits for the request under way, and a request waits
for the test statement under way. No browser: the server's thread is played by a thread."""

import threading

from .conftest import IN_FLIGHT


def _serve(started, release, finished):
    """A request in the server's thread: it starts, holds until released, and ends."""
    IN_FLIGHT.started()
    started.set()
    release.wait(5)
    finished.set()
    IN_FLIGHT.finished()


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
        IN_FLIGHT.started()
        order.append("request")
        request_started.set()
        IN_FLIGHT.finished()

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
