"""The system Chromium and its flags, shared by the browser tests and bench/pwa.py (no Django
imports here). Playwright never downloads a browser on this project's machines."""

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# No sandbox (containers run as root), no GPU, and nothing that reaches out to the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
