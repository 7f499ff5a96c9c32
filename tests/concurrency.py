"""Run the same function in several threads at once, each with its own database connection."""

import threading

from django.db import connection


def run_concurrently(function, count: int) -> list:
    """Start `count` threads that call `function(n)` at the same moment; return the results
    (or the exceptions raised) in thread order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(n):
        barrier.wait()
        try:
            results[n] = function(n)
        except Exception as exc:  # collected for the test to assert on
            results[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
