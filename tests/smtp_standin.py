"""A stand-in SMTP server on 127.0.0.1 for tests of the e-mail sender, in a background thread.

It speaks enough SMTP for Django's SMTP backend (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
QUIT; no TLS, no AUTH), records every message whose data it received in full, and misbehaves
on demand::

    with StandInSmtpServer() as smtp:
        smtp.hold(3)          # receive the 3rd message, then hold the answer until release()
        smtp.refuse(450)      # answer the next RCPT TO with 450 (a temporary refusal)
        ...
        smtp.wait_for(2)

A message counts as received when its data is complete (the final "."), before the server
answers it: the pessimistic reading for a sender that dies while waiting for that answer,
since a real server may deliver what it received.
"""

from __future__ import annotations

import asyncio
import email
import threading
from dataclasses import dataclass
from email.message import Message

__all__ = ["Received", "StandInSmtpServer"]


@dataclass(frozen=True)
class Received:
    mail_from: str
    recipients: tuple[str, ...]
    message: Message


class StandInSmtpServer:
    def __init__(self):
        self._lock = threading.Condition()
        self._received: list[Received] = []
        self._hold_at: int | None = None
        self._held = 0
        self._refusals: list[int] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._release: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self.port: int | None = None

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> StandInSmtpServer:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the stand-in SMTP server did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
        self._thread = self._loop = None

    def __enter__(self) -> StandInSmtpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- behaviour -------------------------------------------------------------------------------

    def hold(self, nth: int) -> None:
        """Hold the answer to the `nth` message (counting every message received) until
        `release()`."""
        with self._lock:
            self._hold_at = nth

    def refuse(self, *codes: int) -> None:
        """Answer the next RCPT TO commands with these codes (4xx: try later; 5xx: never)."""
        with self._lock:
            self._refusals.extend(codes)

    def release(self) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._release.set)

    # -- what happened ---------------------------------------------------------------------------

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        with self._lock:
            if self._lock.wait_for(lambda: len(self._received) >= count, timeout):
                return list(self._received)
        raise AssertionError(f"expected {count} e-mails within {timeout} s, got {self.received}")

    def wait_for_held(self, timeout: float = 30) -> None:
        with self._lock:
            if not self._lock.wait_for(lambda: self._held > 0, timeout):
                raise AssertionError(f"no message held within {timeout} s")

    # -- internals -------------------------------------------------------------------------------

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._release = asyncio.Event()

        async def serve():
            self._server = await asyncio.start_server(self._session, "127.0.0.1", 0)
            self.port = self._server.sockets[0].getsockname()[1]

        loop.run_until_complete(serve())
        ready.set()
        try:
            loop.run_forever()
        finally:
            self._server.close()
            loop.close()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        def reply(text: str) -> None:
            writer.write(text.encode() + b"\r\n")

        mail_from, recipients = "", []
        reply("220 standin ESMTP")
        try:
            while line := await reader.readline():
                command = line.decode(errors="replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    reply("250-standin\r\n250 8BITMIME")
                elif verb in ("HELO", "NOOP"):
                    reply("250 ok")
                elif verb == "RSET":
                    mail_from, recipients = "", []
                    reply("250 ok")
                elif verb == "MAIL":
                    mail_from, recipients = command.partition(":")[2].strip(" <>"), []
                    reply("250 ok")
                elif verb == "RCPT":
                    with self._lock:
                        code = self._refusals.pop(0) if self._refusals else 250
                    if code == 250:
                        recipients.append(command.partition(":")[2].strip(" <>"))
                    reply(f"{code} {'ok' if code == 250 else 'refused'}")
                elif verb == "DATA":
                    reply("354 go ahead")
                    await writer.drain()
                    lines = []
                    while (data := await reader.readline()) not in (b".\r\n", b""):
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    if not data:
                        break
                    message = email.message_from_bytes(b"".join(lines))
                    with self._lock:
                        self._received.append(Received(mail_from, tuple(recipients), message))
                        held = self._hold_at == len(self._received)
                        self._held += held
                        self._lock.notify_all()
                    if held:
                        await self._release.wait()
                        with self._lock:
                            self._held -= 1
                    reply("250 queued")
                elif verb == "QUIT":
                    reply("221 bye")
                    await writer.drain()
                    break
                else:
                    reply("502 not implemented")
                await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
