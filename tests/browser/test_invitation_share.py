"""An invitation handed over from a phone (issue 17, item 7): the join link as a QR code to
scan from the physio's screen, a Share button where the browser can share, and Copy the link,
in Danish at phone size."""

import re

import pytest

from tests.test_invitation_qr import dark_modules, expected_modules

from .conftest import log_in, screenshot
from .test_accessibility import scan

pytestmark = pytest.mark.browser

# Records what the page asks the phone to share, instead of opening the share sheet.
SHARE_RECORDER = """
window.__shared = [];
Object.defineProperty(Navigator.prototype, 'share', {
  configurable: true,
  value: function (data) { window.__shared.push(data); return Promise.resolve(); }
});
"""
# A browser without the Web Share API (most desktop browsers).
NO_SHARE = "delete Navigator.prototype.share;"


def invite(page, name, email):
    page.goto("/invite/")
    page.fill("#inv-name", name)
    page.fill("#inv-email", email)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/invite/")
    ) as qr:
        page.click("#invite-form button[type=submit]")
    page.wait_for_selector("#invite-qr svg")
    return qr.value


def test_the_join_link_as_a_qr_code_and_shared(new_context, people, page_errors):
    context = new_context()
    context.add_init_script(SHARE_RECORDER)
    page = log_in(context, "fysio@example.org", people["password"], page_errors)
    response = invite(page, "Bo Nielsen", "bo@example.org")
    # The picture comes from the server, for this physio's invitation, and is kept by no cache.
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]

    url = page.input_value("#invite-url")
    assert re.fullmatch(r"https?://[^/]+/join/[\w-]+/", url)
    svg = page.locator("#invite-qr svg").evaluate("node => node.outerHTML")
    assert dark_modules(svg) == expected_modules(url)
    figure = page.locator("#invite-qr")
    assert figure.get_attribute("role") == "img"
    assert figure.get_attribute("aria-label") == "QR-kode med invitationslinket"
    box = figure.bounding_box()
    assert 200 <= box["width"] <= 390 and abs(box["width"] - box["height"]) < 1
    # The link is there as text too.
    assert page.locator("#invite-url").is_visible()

    share = page.locator("#invite-share")
    assert share.is_visible() and share.inner_text() == "Del linket"
    assert share.bounding_box()["height"] >= 44
    share.click()
    shared = page.evaluate("window.__shared")
    assert shared == [
        {
            "title": "Invitation til haelapp",
            "text": "Din fysioterapeut inviterer dig til haelapp, appen til dine øvelser og din "
            "smertedagbog for hælen. Åbn linket for at oprette din konto.",
            "url": url,
        }
    ]
    screenshot(page, "invitation-qr")
    page.locator("#invite-result").screenshot(path=str(_shot("invitation-qr-result")))
    assert scan(page, "invitation-qr") == []

    # A second invitation: a new picture for its own link, not the first one's.
    invite(page, "Carl Jensen", "c.j@example.org")
    second = page.input_value("#invite-url")
    assert second != url
    svg = page.locator("#invite-qr svg").evaluate("node => node.outerHTML")
    assert page.locator("#invite-qr svg").count() == 1
    assert dark_modules(svg) == expected_modules(second)
    assert page_errors == []


def test_without_web_share_the_link_is_copied(new_context, people, page_errors):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    context.add_init_script(NO_SHARE)
    page = log_in(context, "fysio@example.org", people["password"], page_errors)
    invite(page, "Bo Nielsen", "bo@example.org")
    url = page.input_value("#invite-url")
    assert page.locator("#invite-share").is_hidden()
    page.click("#invite-copy")
    page.wait_for_selector("#invite-copy-status:text-is('Kopieret.')")
    assert page.evaluate("navigator.clipboard.readText()") == url
    screenshot(page, "invitation-copy")
    assert page_errors == []


def _shot(name):
    from .conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"
