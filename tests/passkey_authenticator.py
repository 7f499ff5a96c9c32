"""A passkey authenticator in Python, for tests that drive the WebAuthn views over HTTP without
a browser: it answers the server's options as a browser with a platform authenticator would
(`navigator.credentials.create()` / `.get()`, serialised as @simplewebauthn/browser sends it).

Real keys and signatures (ECDSA P-256, "none" attestation), so the server's verification is
the real one; the browser tests use Chromium's own virtual authenticator instead.
"""

import base64
import hashlib
import json
import secrets
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40  # user present, user verified, attested credential data


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    def __init__(self, origin: str = "http://testserver", rp_id: str = "testserver"):
        self.origin = origin
        self.rp_id = rp_id
        self.credentials: dict[bytes, dict] = {}  # id -> key, user handle, sign count

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin or self.origin}
        return json.dumps({**data, "crossOrigin": False}).encode()

    def _auth_data(self, flags: int, count: int, rp_id: str | None, attested=b"") -> bytes:
        rp_hash = hashlib.sha256((rp_id or self.rp_id).encode()).digest()
        return rp_hash + bytes([flags]) + struct.pack(">I", count) + attested

    def create(self, options: dict, *, origin=None, rp_id=None, verified=True) -> dict:
        """A new discoverable credential for the options of a registration's begin."""
        assert options["rp"]["id"] == (rp_id or self.rp_id), options["rp"]
        key = ec.generate_private_key(ec.SECP256R1())
        numbers = key.public_key().public_numbers()
        cose = cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )
        credential_id = secrets.token_bytes(32)
        attested = bytes(16) + struct.pack(">H", len(credential_id)) + credential_id + cose
        flags = UP | AT | (UV if verified else 0)
        auth_data = self._auth_data(flags, 0, rp_id, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        self.credentials[credential_id] = {
            "key": key,
            "user_handle": unb64url(options["user"]["id"]),
            "count": 0,
        }
        return {
            "id": b64url(credential_id),
            "rawId": b64url(credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {"credProps": {"rk": True}},
        }

    def get(self, options: dict, *, credential_id=None, origin=None, rp_id=None, verified=True):
        """A signed answer to the options of an authentication's begin, with the credential
        the options allow (or the only one this authenticator holds)."""
        if credential_id is None:
            allowed = [unb64url(c["id"]) for c in options.get("allowCredentials", [])]
            held = [c for c in self.credentials if not allowed or c in allowed]
            assert held, "no credential for these options"
            credential_id = held[0]
        stored = self.credentials[credential_id]
        stored["count"] += 1
        auth_data = self._auth_data(UP | (UV if verified else 0), stored["count"], rp_id)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = stored["key"].sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(credential_id),
            "rawId": b64url(credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(stored["user_handle"]),
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }
