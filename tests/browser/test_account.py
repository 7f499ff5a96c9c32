"""Account pages in the browser: the password reset by e-mail, the language switch, and
deleting the account (which also empties the device)."""

import re

import pytest
from django.core import mail

from .conftest import log_in, wait_ready, watch

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another-long-password-2026"


def test_password_reset_by_email(new_context, people, page_errors):
    email = people["patient"].user.email
    page = watch(new_context().new_page(), page_errors)
    page.goto("/login/")
    page.click("a[href='/password-reset/']")
    page.fill("#id_email", email)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/password-reset/sent/")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [email]
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/password-reset/done/")
    page = log_in(page.context, email, NEW_PASSWORD)
    wait_ready(page)
    assert page_errors == []


def test_language_switch_for_a_visitor_and_for_a_user(new_context, people):
    page = new_context().new_page()
    page.goto("/login/")
    assert page.locator("html").get_attribute("lang") == "da"
    with page.expect_navigation():
        page.click(".language-form button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/login/")

    patient = people["patient"]
    page = log_in(new_context(), patient.user.email, people["password"])
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.click(".language-form button[value=da]")
    assert page.locator("html").get_attribute("lang") == "da"
    patient.user.refresh_from_db()
    assert patient.user.language == "da"


def test_deleting_the_account_erases_it_and_empties_the_device(new_context, people, page_errors):
    from accounts.models import User

    patient = people["patient"]
    context = new_context()
    page = log_in(context, patient.user.email, people["password"], page_errors)
    wait_ready(page)
    page.goto("/my-data/")
    page.click("a[href='/my-data/delete/']")
    page.fill("#del-password", "not my password")
    page.check("#del-confirm")
    page.click("#delete-form button[type=submit]")
    page.wait_for_selector("#del-error:not([hidden])")
    assert User.objects.filter(pk=patient.user.pk).exists()

    page.fill("#del-password", people["password"])
    with page.expect_navigation(url="**/goodbye/"):
        page.click("#delete-form button[type=submit]")
    assert not User.objects.filter(pk=patient.user.pk).exists()
    assert page.evaluate("caches.has('haelapp-user')") is False
    assert page.evaluate("haelappOutbox.getMeta('user')") is None
    # Only the expected refusal of the wrong password was logged by the browser.
    assert [e for e in page_errors if "400" not in e] == []
