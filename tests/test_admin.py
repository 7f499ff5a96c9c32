"""The admin is usable by clinic staff and shows them only what the app would.

A clinic's staff (is_staff, a physiotherapist profile at their clinic, and a group holding every
model permission there is: the worst a clinic could be given) see and change only their own
clinic's people, never anyone's clinic, staff flags, groups or another person's password. Every
attack is made as a browser would, through /admin/ with the second factor required and passed.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from accounts.models import AccountEvent, Invitation, PatientProfile, PhysioProfile, User
from accounts.services import invitation_create

from .conftest import verified_login
from .factories import PASSWORD, ClinicFactory, PatientFactory, PhysioFactory, UserFactory

# --- helpers ----------------------------------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields a browser would submit from the admin's main form."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            # A checkbox without a value sends "on"; any other input, what it holds.
            default = "on" if attrs.get("type") in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_data(response) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.text)
    assert parser.data, "no admin form on the page"
    return parser.data


def option_labels(response, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', response.text, re.S)
    assert select, f"no <select> for {field}"
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)<", select.group(1))]


@pytest.fixture
def admin_setup(db, settings):
    """Clinic A and B; clinic staff at A (in the care of patient `own`), a colleague at A, and
    staff at B; superuser. Everyone logs in with the second factor, as in production."""
    settings.REQUIRE_2FA = True
    group = Group.objects.create(name="Clinic staff")
    group.permissions.set(Permission.objects.all())
    clinic_a, clinic_b = ClinicFactory(name="Klinik Alfa"), ClinicFactory(name="Klinik Beta")

    def staff(clinic):
        physio = PhysioFactory(clinic=clinic, user__is_staff=True)
        physio.user.groups.add(group)
        return physio

    me = staff(clinic_a)
    colleague = PhysioFactory(clinic=clinic_a)
    other = staff(clinic_b)
    own = PatientFactory(physio=me)
    colleagues_patient = PatientFactory(physio=colleague)
    others_patient = PatientFactory(physio=other)
    superuser = UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    return {
        "group": group,
        "clinic_a": clinic_a,
        "clinic_b": clinic_b,
        "me": me,
        "colleague": colleague,
        "other": other,
        "own": own,
        "colleagues_patient": colleagues_patient,
        "others_patient": others_patient,
        "superuser": superuser,
    }


@pytest.fixture
def as_staff(client, admin_setup):
    verified_login(client, admin_setup["me"].user)
    return client


@pytest.fixture
def as_superuser(client, admin_setup):
    verified_login(client, admin_setup["superuser"])
    return client


# --- what was there before --------------------------------------------------------------------


@pytest.fixture
def staff_physio(physio):
    physio.user.is_staff = True
    physio.user.is_superuser = True  # all model permissions; scoping must still apply
    physio.user.save()
    return physio


def test_admin_pages_load_for_clinic_staff(client, staff_physio, patient):
    staff_physio.user.is_superuser = False
    staff_physio.user.save()
    client.force_login(staff_physio.user)
    assert client.get("/admin/").status_code == 200


def test_patient_list_in_admin_is_scoped_for_non_superusers(client, physio, patient):
    user = physio.user
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__endswith="patientprofile"))
    other = PatientFactory(physio=PhysioFactory(clinic=physio.clinic))
    client.force_login(user)
    page = client.get("/admin/accounts/patientprofile/")
    assert page.status_code == 200
    assert patient.user.name in page.text
    assert other.user.name not in page.text
    # Another physio's patient is as absent as an id nobody has.
    assert client.get(f"/admin/accounts/patientprofile/{other.pk}/change/").status_code == 404
    assert client.get("/admin/accounts/patientprofile/999999/change/").status_code == 404


def test_physio_invites_from_the_admin(client, physio):
    user = physio.user
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__endswith="invitation"))
    client.force_login(user)
    response = client.post(
        "/admin/accounts/invitation/add/",
        {"email": "ny@example.org", "name": "Ny", "condition": "fat_pad"},
        follow=True,
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert (invitation.invited_by, invitation.clinic) == (physio, physio.clinic)
    assert "/join/" in response.text


# --- clinics cannot be left -------------------------------------------------------------------


def test_staff_cannot_move_themselves_to_another_clinic(as_staff, admin_setup):
    me, clinic_b = admin_setup["me"], admin_setup["clinic_b"]
    url = f"/admin/accounts/physioprofile/{me.pk}/change/"
    page = as_staff.get(url)
    assert "Klinik Beta" not in page.text
    data = form_data(page)
    assert "clinic" not in data and "user" not in data  # shown, not editable
    data.update(clinic=[str(clinic_b.pk)], user=[str(admin_setup["superuser"].pk)])
    as_staff.post(url, data)
    me.refresh_from_db()
    assert (me.clinic, me.user_id) == (admin_setup["clinic_a"], me.user.pk)
    # ...and afterwards still sees nothing of clinic B.
    assert (
        admin_setup["others_patient"].user.name
        not in as_staff.get("/admin/accounts/patientprofile/").text
    )


def test_staff_cannot_move_their_patient_to_another_clinic(as_staff, admin_setup):
    own, clinic_b, other = admin_setup["own"], admin_setup["clinic_b"], admin_setup["other"]
    url = f"/admin/accounts/patientprofile/{own.pk}/change/"
    page = as_staff.get(url)
    assert "Klinik Beta" not in page.text
    assert other.user.name not in option_labels(page, "physio")
    data = form_data(page)
    data.update(clinic=[str(clinic_b.pk)], user=[str(admin_setup["colleague"].user.pk)])
    as_staff.post(url, data)
    # A physio of another clinic is not a choice either.
    data.update(physio=[str(other.pk)])
    refused = as_staff.post(url, data)
    assert refused.status_code == 200 and "errornote" in refused.text
    own.refresh_from_db()
    assert (own.clinic, own.physio, own.user_id) == (
        admin_setup["clinic_a"],
        admin_setup["me"],
        own.user.pk,
    )


def test_add_forms_list_only_the_staffs_own_clinic(as_staff, admin_setup):
    page = as_staff.get("/admin/accounts/user/add/")
    assert option_labels(page, "clinic")[-1:] == ["Klinik Alfa"]
    assert "Klinik Beta" not in page.text
    # Profiles are not added by clinic staff: physios come as accounts, patients by invitation.
    assert as_staff.get("/admin/accounts/physioprofile/add/").status_code == 403
    assert as_staff.get("/admin/accounts/patientprofile/add/").status_code == 403
    assert as_staff.get("/admin/accounts/clinic/add/").status_code == 403
    assert "Klinik Beta" not in as_staff.get("/admin/accounts/clinic/").text


def test_staff_add_a_physio_of_their_own_clinic_who_sets_their_own_password(
    as_staff, admin_setup, client
):
    clinic_a, clinic_b, me = admin_setup["clinic_a"], admin_setup["clinic_b"], admin_setup["me"]
    new = {
        "email": "Ny.Kollega@example.org",
        "name": "Ny Kollega",
        "language": "en",
        "timezone": "Europe/Copenhagen",
        "password1": "chosen-by-staff-123",
        "password2": "chosen-by-staff-123",
        "is_staff": "on",
        "is_superuser": "on",
    }
    refused = as_staff.post("/admin/accounts/user/add/", {**new, "clinic": clinic_b.pk})
    assert refused.status_code == 200 and "errornote" in refused.text
    assert not User.objects.filter(email__iexact=new["email"]).exists()

    response = as_staff.post("/admin/accounts/user/add/", {**new, "clinic": clinic_a.pk})
    assert response.status_code == 302
    user = User.objects.get(email="ny.kollega@example.org")
    assert user.physio_profile.clinic == clinic_a
    assert (user.is_staff, user.is_superuser, user.has_usable_password()) == (False, False, False)
    assert not user.check_password(new["password1"])
    kinds = set(
        AccountEvent.objects.filter(user=user, actor=me.user).values_list("kind", flat=True)
    )
    assert kinds == {AccountEvent.Kind.ADMIN_ADDED, AccountEvent.Kind.ADMIN_RESET_SENT}

    # The new colleague chooses a password through the e-mailed link (in English, their choice).
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "choose a password" in message.body
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+)", message.body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "my-own-secret-42", "new_password2": "my-own-secret-42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("my-own-secret-42")


# --- passwords, flags, groups -----------------------------------------------------------------


def test_staff_cannot_set_a_colleagues_password(as_staff, admin_setup):
    colleague, other = admin_setup["colleague"].user, admin_setup["other"].user
    url = f"/admin/accounts/user/{colleague.pk}/password/"
    new = {"password1": "attacker-chosen-1", "password2": "attacker-chosen-1"}
    assert as_staff.get(url).status_code == 403
    assert as_staff.post(url, {**new, "usable_password": "true"}).status_code == 403
    colleague.refresh_from_db()
    assert colleague.check_password(PASSWORD)
    # Another clinic's account: as unknown as an id nobody has.
    assert as_staff.get(f"/admin/accounts/user/{other.pk}/password/").status_code == 404
    assert as_staff.get("/admin/accounts/user/999999/password/").status_code == 404
    # Nor their own without the old password (the admin's password change page asks for it).
    assert (
        as_staff.get(f"/admin/accounts/user/{admin_setup['me'].user.pk}/password/").status_code
        == 403
    )
    # The change page offers no way to the password form.
    page = as_staff.get(f"/admin/accounts/user/{colleague.pk}/change/")
    assert "../password/" not in page.text
    assert "Send password reset link" in page.text or "Send link til ny adgangskode" in page.text


def test_staff_change_names_but_not_flags_groups_or_email(as_staff, admin_setup):
    colleague, me = admin_setup["colleague"].user, admin_setup["me"].user
    url = f"/admin/accounts/user/{colleague.pk}/change/"
    data = form_data(as_staff.get(url))
    assert {"email", "is_staff", "is_superuser", "groups", "password"}.isdisjoint(data)
    data.update(
        name=["Omdøbt Kollega"],
        email=["attacker@example.org"],
        is_staff=["on"],
        is_superuser=["on"],
        groups=[str(admin_setup["group"].pk)],
        user_permissions=[str(Permission.objects.first().pk)],
        password=["md5$x$y"],
    )
    assert as_staff.post(url, data).status_code == 302
    colleague.refresh_from_db()
    assert colleague.name == "Omdøbt Kollega"
    assert colleague.email != "attacker@example.org"
    assert (colleague.is_staff, colleague.is_superuser) == (False, False)
    assert not colleague.groups.exists() and not colleague.user_permissions.exists()
    assert colleague.check_password(PASSWORD)
    event = AccountEvent.objects.get(user=colleague)
    assert (event.kind, event.actor, event.detail) == (
        AccountEvent.Kind.ADMIN_CHANGED,
        me,
        "fields: name",
    )
    # Their own flags neither.
    url = f"/admin/accounts/user/{me.pk}/change/"
    data = form_data(as_staff.get(url))
    data.update(is_superuser=["on"], groups=[str(admin_setup["group"].pk)])
    as_staff.post(url, data)
    me.refresh_from_db()
    assert not me.is_superuser


def test_staff_send_a_password_reset_link_instead(as_staff, admin_setup, client):
    colleague, me, other = (
        admin_setup["colleague"].user,
        admin_setup["me"].user,
        admin_setup["other"].user,
    )
    # Another clinic's id smuggled into the selection is not in the list the action runs on.
    response = as_staff.post(
        "/admin/accounts/user/",
        {
            "action": "send_password_reset_link",
            "_selected_action": [colleague.pk, other.pk],
            "index": 0,
        },
    )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [colleague.email]
    assert me.name in message.body
    assert not AccountEvent.objects.filter(user=other).exists()
    event = AccountEvent.objects.get(user=colleague)
    assert (event.kind, event.actor) == (AccountEvent.Kind.ADMIN_RESET_SENT, me)
    # The link is Django's reset link: it works, for the colleague.
    link = re.search(r"https?://[^/\s]+(/password-reset/\S+)", message.body).group(1)
    client.logout()
    assert client.get(link, follow=True).status_code == 200


def test_library_admins_are_for_superusers_only(as_staff, admin_setup):
    """Groups (whoever edits one gives themselves any permission), API tokens, log-in
    attempts and authenticator devices belong to no clinic."""
    paths = [
        "/admin/auth/group/",
        f"/admin/auth/group/{admin_setup['group'].pk}/change/",
        "/admin/knox/authtoken/",
        "/admin/axes/accessattempt/",
        "/admin/axes/accesslog/",
        "/admin/otp_totp/totpdevice/",
        "/admin/otp_totp/totpdevice/add/",
    ]
    for path in paths:
        assert as_staff.get(path).status_code == 403, path
    index = as_staff.get("/admin/").text
    assert "/admin/auth/group/" not in index and "/admin/otp_totp/" not in index
    group = admin_setup["group"]
    as_staff.post(f"/admin/auth/group/{group.pk}/change/", {"name": "x", "permissions": []})
    assert group.permissions.count() == Permission.objects.count()


def test_library_admins_still_work_for_superusers(as_superuser):
    for path in ["/admin/auth/group/", "/admin/otp_totp/totpdevice/", "/admin/knox/authtoken/"]:
        assert as_superuser.get(path).status_code == 200, path


def test_every_admin_is_clinic_scoped_or_superusers_only():
    """A new app's admin must say which it is (accounts.admin_scoping), or it would show every
    clinic's rows to any staff given its permissions."""
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.admin.sites import all_sites

    from accounts.admin_scoping import ClinicScopedAdmin, SuperusersOnly

    assert admin.site in all_sites
    for site in all_sites:
        for model in filter(site.is_registered, apps.get_models()):
            model_admin = site.get_model_admin(model)
            assert isinstance(model_admin, ClinicScopedAdmin | SuperusersOnly), model


# --- another clinic does not exist ------------------------------------------------------------


def test_another_clinics_people_and_rows_are_absent(as_staff, admin_setup, assign):
    from accounts.audit import READ_DIARY, access_record
    from exercises.models import Exercise, ProgrammeTemplate

    from .factories import ExerciseFactory

    other, others_patient, clinic_b = (
        admin_setup["other"],
        admin_setup["others_patient"],
        admin_setup["clinic_b"],
    )
    colleagues_patient = admin_setup["colleagues_patient"]
    invitation, _code = invitation_create(physio=other, email="b@example.org", name="Bee Bee")
    programme = assign(others_patient)
    access_record(actor=other.user, patients=others_patient, what=READ_DIARY)
    exercise = ExerciseFactory(clinic=clinic_b, name_da="Beta-øvelse")
    template = ProgrammeTemplate.objects.create(
        slug="beta-template", name_da="Beta-skabelon", name_en="Beta template", clinic=clinic_b
    )
    objects = {
        "accounts/user": [other.user.pk, others_patient.user.pk, colleagues_patient.user.pk],
        "accounts/physioprofile": [other.pk],
        "accounts/patientprofile": [others_patient.pk, colleagues_patient.pk],
        "accounts/clinic": [clinic_b.pk],
        "accounts/invitation": [invitation.pk],
        "accounts/accessrecord": list(others_patient.access_records.values_list("pk", flat=True)),
        "exercises/exercise": [exercise.pk],
        "exercises/programmetemplate": [template.pk],
        "exercises/programme": [programme.pk],
    }
    names = [other.user.name, others_patient.user.name, colleagues_patient.user.name]
    names += ["Klinik Beta", "b@example.org", "Beta-øvelse", "Beta-skabelon"]
    for model, ids in objects.items():
        listing = as_staff.get(f"/admin/{model}/")
        assert listing.status_code == 200, model
        for name in names:
            assert name not in listing.text, (model, name)
        for pk in ids:
            for view in ("change", "delete", "history"):
                url = f"/admin/{model}/{pk}/{view}/"
                assert as_staff.get(url).status_code == 404, url
                assert as_staff.post(url, {"post": "yes"}).status_code == 404, url
    # Nothing was deleted or changed by those posts.
    assert User.objects.filter(pk=other.user.pk, is_active=True).exists()
    assert Exercise.objects.filter(pk=exercise.pk).exists()
    assert PatientProfile.objects.filter(pk=others_patient.pk).exists()
    # Nor can a template's item be pointed at another clinic's own exercise.
    own_template = ProgrammeTemplate.objects.create(
        slug="alfa-template", name_da="Alfa", name_en="Alfa", clinic=admin_setup["own"].clinic
    )
    own_template.items.create(exercise=Exercise.objects.filter(clinic=None).first())
    url = f"/admin/exercises/programmetemplate/{own_template.pk}/change/"
    data = form_data(as_staff.get(url))
    data["items-0-exercise"] = [str(exercise.pk)]
    refused = as_staff.post(url, data)
    assert refused.status_code == 200 and "errornote" in refused.text
    assert "exercise" in refused.context["inline_admin_formsets"][0].formset.errors[0]
    assert not own_template.items.filter(exercise=exercise).exists()
    # A programme's items keep their exercise: nothing posted for it is taken.
    own_programme = assign(admin_setup["own"])
    url = f"/admin/exercises/programme/{own_programme.pk}/change/"
    data = form_data(as_staff.get(url))
    data["items-0-exercise"] = [str(exercise.pk)]
    assert as_staff.post(url, data).status_code == 302
    assert not own_programme.items.filter(exercise=exercise).exists()


# --- fixed users; superusers move people ------------------------------------------------------


def test_profile_user_is_fixed_and_never_a_physio_turned_patient(as_superuser, admin_setup):
    own, colleague = admin_setup["own"], admin_setup["colleague"]
    url = f"/admin/accounts/patientprofile/{own.pk}/change/"
    data = form_data(as_superuser.get(url))
    assert "user" not in data
    data["user"] = [str(colleague.user.pk)]
    as_superuser.post(url, data)
    own.refresh_from_db()
    assert own.user_id != colleague.user.pk

    add = as_superuser.get("/admin/accounts/patientprofile/add/")
    assert colleague.user.name not in option_labels(add, "user")
    refused = as_superuser.post(
        "/admin/accounts/patientprofile/add/",
        {
            "user": colleague.user.pk,
            "clinic": admin_setup["clinic_a"].pk,
            "physio": admin_setup["me"].pk,
            "condition": "unknown",
        },
    )
    assert refused.status_code == 200 and "errornote" in refused.text
    assert not PatientProfile.objects.filter(user=colleague.user).exists()


def test_superuser_moves_a_physio_to_another_clinic(as_superuser, admin_setup):
    me, clinic_b, root = admin_setup["me"], admin_setup["clinic_b"], admin_setup["superuser"]
    open_invitation, _ = invitation_create(physio=me, email="soon@example.org", name="Snart")
    url = f"/admin/accounts/physioprofile/{me.pk}/change/"
    page = as_superuser.get(url)
    assert {"Klinik Alfa", "Klinik Beta"} <= set(option_labels(page, "clinic"))
    data = form_data(page)
    data["clinic"] = [str(clinic_b.pk)]
    assert as_superuser.post(url, data).status_code == 302
    me.refresh_from_db()
    assert me.clinic == clinic_b
    # The patients stay with clinic A, in nobody's care until A's staff hand them over, and
    # an invitation to clinic A from someone no longer there is revoked.
    own = PatientProfile.objects.get(pk=admin_setup["own"].pk)
    assert (own.clinic, own.physio) == (admin_setup["clinic_a"], None)
    open_invitation.refresh_from_db()
    assert open_invitation.status == "revoked"
    event = AccountEvent.objects.get(user=me.user)
    assert (event.kind, event.actor, event.detail) == (
        AccountEvent.Kind.ADMIN_CHANGED,
        root,
        "fields: clinic",
    )


def test_superuser_moves_a_patient_with_a_physio_of_the_new_clinic(as_superuser, admin_setup):
    own, other = admin_setup["own"], admin_setup["other"]
    url = f"/admin/accounts/patientprofile/{own.pk}/change/"
    data = form_data(as_superuser.get(url))
    data["clinic"] = [str(admin_setup["clinic_b"].pk)]
    # The old physio works elsewhere: refused, with the field named, not a server error.
    refused = as_superuser.post(url, data)
    assert refused.status_code == 200 and "errornote" in refused.text
    data["physio"] = [str(other.pk)]
    assert as_superuser.post(url, data).status_code == 302
    own.refresh_from_db()
    assert (own.clinic, own.physio) == (admin_setup["clinic_b"], other)
    assert AccountEvent.objects.get(user=own.user).detail == "fields: clinic, physio"


def test_superuser_password_form_still_works_and_is_logged(as_superuser, admin_setup):
    from knox.models import AuthToken

    colleague = admin_setup["colleague"].user
    AuthToken.objects.create(user=colleague)
    url = f"/admin/accounts/user/{colleague.pk}/password/"
    response = as_superuser.post(
        url,
        {
            "password1": "new-secret-pass-9",
            "password2": "new-secret-pass-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("new-secret-pass-9")
    event = AccountEvent.objects.get(user=colleague, kind=AccountEvent.Kind.PASSWORD_CHANGED)
    assert event.actor == admin_setup["superuser"]
    # Like any password change, it ends the account's API tokens (accounts.services).
    assert not AuthToken.objects.filter(user=colleague).exists()


def test_superuser_deleting_a_profile_is_in_the_accounts_log(as_superuser, admin_setup):
    colleague = admin_setup["colleague"]
    url = f"/admin/accounts/physioprofile/{colleague.pk}/delete/"
    assert as_superuser.post(url, {"post": "yes"}).status_code == 302
    assert not PhysioProfile.objects.filter(pk=colleague.pk).exists()
    event = AccountEvent.objects.get(user=colleague.user)
    assert event.detail == "fields: physio profile deleted"
    assert event.actor == admin_setup["superuser"]


def test_bad_input_is_a_clear_4xx_not_a_server_error(as_staff, admin_setup):
    response = as_staff.post(
        "/admin/accounts/user/",
        {"action": "send_password_reset_link", "_selected_action": ["1", "abc"], "index": 0},
    )
    assert response.status_code == 400
    assert "_selected_action" in response.text
    assert not mail.outbox
    for path in ("/admin/accounts/user/abc/change/", "/admin/accounts/user/abc/password/"):
        assert as_staff.get(path).status_code == 404, path
    refused = as_staff.post(
        "/admin/accounts/user/add/",
        {
            "email": admin_setup["colleague"].user.email.upper(),  # taken, in another case
            "name": "X",
            "language": "xx",
            "timezone": "Mars/Olympus",
            "clinic": "abc",
        },
    )
    assert refused.status_code == 200
    for field in ("email", "language", "timezone", "clinic"):
        assert f'id="id_{field}_error"' in refused.text or f"field-{field} errors" in refused.text


def test_staff_erase_a_physio_of_their_clinic_and_nobody_else(as_staff, admin_setup):
    from axes.models import AccessAttempt

    colleague, me, own = admin_setup["colleague"], admin_setup["me"], admin_setup["own"]
    AccessAttempt.objects.create(
        username=colleague.user.email, ip_address="192.0.2.9", failures_since_start=1
    )
    # Not a patient (their erasure is their own request), not themselves, not another clinic.
    for user, status in [(own.user, 403), (me.user, 403), (admin_setup["other"].user, 404)]:
        url = f"/admin/accounts/user/{user.pk}/delete/"
        assert as_staff.post(url, {"post": "yes"}).status_code == status, user
        assert User.objects.filter(pk=user.pk).exists()
    # Nor in bulk.
    as_staff.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [own.user.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=own.user.pk).exists()

    url = f"/admin/accounts/user/{colleague.user.pk}/delete/"
    assert as_staff.get(url).status_code == 200
    assert as_staff.post(url, {"post": "yes"}).status_code == 302
    # Erased as accounts.services.user_erase erases: the log-in records with the address too.
    assert not User.objects.filter(pk=colleague.user.pk).exists()
    assert not AccessAttempt.objects.filter(username__iexact=colleague.user.email).exists()
    # The colleague's patient stays with the clinic, in nobody's care.
    patient = PatientProfile.objects.get(pk=admin_setup["colleagues_patient"].pk)
    assert (patient.clinic, patient.physio) == (admin_setup["clinic_a"], None)
