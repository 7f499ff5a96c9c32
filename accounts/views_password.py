"""Password change and reset pages: Django's own views, and then every other session and every
API token of the account ends (accounts.services.user_password_changed). Whoever knew the old
password, or kept a session or token got with it, is out.

The web app routes the reset pages here; the admin's "change password" page uses
`PasswordChangeView` through `accounts.adminsite`."""

from django.contrib.auth import views as auth_views
from django.db import transaction

from .services import user_password_changed


class PasswordChangeView(auth_views.PasswordChangeView):
    """The person stays logged in here (Django gives this session a new key) and nowhere
    else."""

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user_password_changed(user=form.user, keep_session_key=self.request.session.session_key)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A reset comes from someone who may not have the old password, perhaps because another
    has it: every session ends, unless the view is set to log the person in here."""

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            keep = self.request.session.session_key if self.post_reset_login else None
            user_password_changed(user=form.user, keep_session_key=keep)
        return response
