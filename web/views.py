from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from accounts.services import InvitationInvalid, invitation_accept, invitation_get_usable

from .forms import JoinForm


@login_required
def home(request):
    return render(request, "web/home.html")


@never_cache
@sensitive_post_parameters("password1", "password2")
def join(request, code):
    try:
        invitation = invitation_get_usable(code=code)
    except InvitationInvalid:
        return render(request, "web/join_invalid.html", status=404)
    form = JoinForm(request.POST or None, initial={"name": invitation.name})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                code=code, password=form.cleaned_data["password1"], name=form.cleaned_data["name"]
            )
        except InvitationInvalid:
            return render(request, "web/join_invalid.html", status=404)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                target = "password1" if field == "password" else None
                for message in messages:
                    form.add_error(target, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(request, "web/join.html", {"form": form, "invitation": invitation})
