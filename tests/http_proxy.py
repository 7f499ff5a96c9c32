"""A round-robin HTTP reverse proxy on loopback, in front of several web instances as a load
balancer is in a deployment that outgrows one machine.

    with RoundRobinProxy({"web-1": "http://127.0.0.1:8001", "web-2": ...}) as proxy:
        httpx.get(f"{proxy.url}/healthz").headers["X-Served-By"]   # "web-1", then "web-2", ...
        httpx.get(f"{proxy.url}/", headers={"X-Test-Backend": "web-2"})  # pinned to web-2

Like nginx's `proxy_add_x_forwarded_for`, it appends the address it saw the client at to
`X-Forwarded-For` (so the service runs with `TRUSTED_PROXY_COUNT=1`) and passes `Host` on as it
came. Two things exist only for tests: the answer says which instance served it
(`X-Served-By`), and a request may pick its instance (`X-Test-Backend`, not passed on).

Threads, as tests/tcp_proxy.py: the test's own thread stays free to make requests. One
connection upstream per request, and the client's connection is closed after each answer.
"""

from __future__ import annotations

import http.client
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

SERVED_BY = "X-Served-By"
PICK = "X-Test-Backend"
# Hop-by-hop headers (RFC 9110 section 7.6.1) are the proxy's own business, not forwarded.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)


class RoundRobinProxy:
    def __init__(self, backends: dict[str, str]):
        self.backends = {name: urlsplit(url) for name, url in backends.items()}
        self._next = itertools.cycle(list(self.backends))
        self._lock = threading.Lock()
        self.served: list[tuple[str, str, str]] = []  # (instance, method, path), in order
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> RoundRobinProxy:
        proxy = self

        class Handler(_Forwarder):
            pass

        Handler.proxy = proxy
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> RoundRobinProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def pick(self, wanted: str | None) -> str:
        if wanted:
            if wanted not in self.backends:
                raise KeyError(wanted)
            return wanted
        with self._lock:
            return next(self._next)


class _Forwarder(BaseHTTPRequestHandler):
    proxy: RoundRobinProxy

    def do_GET(self) -> None:
        self._forward()

    do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_GET

    def _forward(self) -> None:
        try:
            name = self.proxy.pick(self.headers.get(PICK))
        except KeyError:
            self.send_error(400, f"{PICK} names no instance")
            return
        target = self.proxy.backends[name]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None

        headers = {}
        for key, value in self.headers.items():
            if key.lower() in HOP_BY_HOP or key.lower() in {PICK.lower(), "x-forwarded-for"}:
                continue
            headers[key] = value
        client = self.client_address[0]
        earlier = ", ".join(self.headers.get_all("X-Forwarded-For") or [])
        headers["X-Forwarded-For"] = f"{earlier}, {client}" if earlier else client

        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            content = response.read()
            answer_headers = response.getheaders()  # a list: every Set-Cookie is kept
            status, reason = response.status, response.reason
        except OSError as error:
            self.send_error(502, f"{name} unreachable: {error}")
            return
        finally:
            upstream.close()
        with self.proxy._lock:
            self.proxy.served.append((name, self.command, self.path))

        self.send_response_only(status, reason)
        for key, value in answer_headers:
            if key.lower() in HOP_BY_HOP or key.lower() == "content-length":
                continue
            self.send_header(key, value)
        self.send_header(SERVED_BY, name)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def log_message(self, *args) -> None:
        pass  # quiet: the test reports what it needs
