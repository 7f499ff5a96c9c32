import functools
import hashlib
import zoneinfo
from datetime import time, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin

from .contacts import DEFAULT_REGION, REGION_CHOICES


@functools.cache
def _known_timezones() -> frozenset[str]:
    # available_timezones() walks the tz database on disk at every call.
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _known_timezones():
        raise ValidationError(
            _("%(value)s is not a known IANA time zone."), params={"value": value}
        )


class Language(models.TextChoices):
    DANISH = "da", _("Danish")
    ENGLISH = "en", _("English")


class Condition(models.TextChoices):
    PLANTAR_FASCIITIS = "plantar_fasciitis", _("Plantar heel pain (plantar fasciitis)")
    HEEL_BURSITIS = "heel_bursitis", _("Heel bursitis")
    FAT_PAD = "fat_pad", _("Heel fat-pad pain")
    UNKNOWN = "unknown", _("Not yet diagnosed")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Log-in is case-insensitive on the e-mail address; addresses are stored lower-case.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in: a patient, a physiotherapist or clinic staff.

    Language and time zone live here rather than on the patient profile because every role
    needs them (the physio's pages are translated too) and `/me/` reports them for all.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    # Before the `timezone` field: that name shadows the module in the class body below it.
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.DANISH
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.DEFAULT_PATIENT_TIMEZONE,
        validators=[validate_timezone],
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the administration site."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=Q(language__in=["da", "en"]), name="user_language_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_today(self):
        """Today's date where this person lives; never the server's date."""
        return timezone.localdate(timezone.now(), self.tz)

    @property
    def role(self) -> str:
        if hasattr(self, "patient_profile"):
            return "patient"
        if hasattr(self, "physio_profile"):
            return "physio"
        return "staff" if self.is_staff else "none"


class Clinic(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the patients see when advice tells them to call someone (accounts.contacts).
    # The region decides which after-hours doctor (lægevagt) number shows.
    region = models.CharField(
        _("region"), max_length=12, choices=REGION_CHOICES, default=DEFAULT_REGION
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    booking_url = models.URLField(_("online booking link"), blank=True)
    # A number of working days, not free text: it is shown in the patient's language.
    answers_within = models.PositiveSmallIntegerField(
        _("answers messages within (working days)"), null=True, blank=True
    )
    after_hours_phone = models.CharField(
        _("after-hours doctor phone"),
        max_length=30,
        blank=True,
        help_text=_("Leave empty to show the region's after-hours doctor (lægevagt) number."),
    )
    # When each physiotherapist's daily digest goes out, on their own clock (reminders.digest).
    digest_time = models.TimeField(_("daily digest at"), default=time(8, 0))

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__in=[code for code, _label in REGION_CHOICES]),
                name="clinic_region_valid",
            ),
            models.CheckConstraint(
                condition=Q(answers_within__isnull=True)
                | (Q(answers_within__gte=1) & Q(answers_within__lte=30)),
                name="clinic_answers_within_1_to_30",
            ),
        ]

    def __str__(self):
        return self.name


class PhysioProfile(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="physio_profile", verbose_name=_("user")
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="physios", verbose_name=_("clinic")
    )

    class Meta:
        verbose_name = _("physiotherapist")
        verbose_name_plural = _("physiotherapists")

    def __str__(self):
        return self.user.name


class PatientProfile(models.Model):
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="patient_profile", verbose_name=_("user")
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="patients", verbose_name=_("clinic")
    )
    # SET_NULL: when a physio leaves, the patient stays with the clinic, visible to nobody
    # until staff hand them to a colleague.
    physio = models.ForeignKey(
        PhysioProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patients",
        verbose_name=_("treating physiotherapist"),
    )
    condition = models.CharField(
        _("condition"), max_length=32, choices=Condition.choices, default=Condition.UNKNOWN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by every service that writes what the progress assessment reads (diary entries,
    # completions, programmes and their items): see `accounts.services.patient_data_changed`.
    # The physio's list and the chart are cached under keys that hold it (progress.cache), so
    # after a write they are computed afresh, on every database, with nothing else to forget.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Background asked once at onboarding, not a red flag (clinical.md, "Red flags"): it
    # puts the foot-wound question first and adds foot care to the advice. None: not asked.
    has_diabetes = models.BooleanField(_("has diabetes"), null=True, blank=True)
    # The welcome card on Today (what happens now, who the physio is, the first lesson): set
    # when the patient joins through an invitation, cleared when they dismiss the card. A
    # stored flag and not a rule on the diary: the card stays until the patient says they have
    # read it, and Today may be kept offline, so it must not depend on what was logged. Patients
    # made any other way (by staff, the demo, before this field) are not new: no card.
    welcome_pending = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("patient")
        verbose_name_plural = _("patients")
        constraints = [
            models.CheckConstraint(
                condition=Q(condition__in=Condition.values), name="patient_condition_valid"
            ),
        ]

    def __str__(self):
        return self.user.name

    def check_writable_date(self, day) -> None:
        """Patients write their diary and tick exercises for today and yesterday only, in
        their own time zone: late enough for "I forgot last night", early enough that the
        record is a diary and not a reconstruction."""
        today = self.user.local_today()
        if day > today:
            raise ValidationError({"date": [_("The date is in the future.")]})
        if day < today - timedelta(days=1):
            raise ValidationError({"date": [_("Only today and yesterday can be changed.")]})

    def clean(self):
        if self.physio_id and self.clinic_id and self.physio.clinic_id != self.clinic_id:
            raise ValidationError(
                {"physio": _("The treating physiotherapist must work at the patient's clinic.")}
            )


def hash_invitation_code(code: str) -> str:
    # The codes are 256-bit random values, so a plain SHA-256 is enough: there is nothing to
    # brute-force, and a database leak does not reveal usable links.
    return hashlib.sha256(code.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True).filter(
            expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("clinic")
    )
    invited_by = models.ForeignKey(
        PhysioProfile,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("invited by"),
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    condition = models.CharField(
        _("condition"), max_length=32, choices=Condition.choices, default=Condition.UNKNOWN
    )
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="invitation_expires_after_creation",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class AccessRecord(models.Model):
    """Who other than the patient read or changed their health data, and when.

    Written by `accounts.audit`; never changed or deleted through the app or the admin. The
    actor's name is copied so the record stays readable after the actor's account is gone.
    """

    class Action(models.TextChoices):
        READ = "read", _("read")
        WRITE = "write", _("changed")

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="access_records"
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="access_records_made"
    )
    actor_name = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=20)
    action = models.CharField(max_length=5, choices=Action.choices, default=Action.READ)
    what = models.CharField(max_length=40)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["patient", "-at"], name="access_patient_recent")]

    def __str__(self):
        return f"{self.actor_name} {self.action} {self.what} {self.at:%Y-%m-%d %H:%M}"


class AccountEvent(models.Model):
    """The account's own security log: second factors added or removed, passwords changed,
    sessions and tokens revoked, changes made to the account by clinic staff in the admin.

    Written by `accounts.audit.account_event_record`; shown to the account holder on their
    settings page. The actor's name is copied so the record stays readable after the actor's
    account is gone; the rows go with the account when it is erased.
    """

    class Kind(models.TextChoices):
        DEVICE_ADDED = "device_added", _("second factor added")
        DEVICE_REMOVED = "device_removed", _("second factor removed")
        RECOVERY_CODES_ISSUED = "recovery_issued", _("recovery codes issued")
        RECOVERY_CODE_USED = "recovery_used", _("recovery code used")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        SESSIONS_REVOKED = "sessions_revoked", _("other sessions and app tokens ended")
        ADMIN_CHANGED = "admin_changed", _("changed by clinic staff")
        ADMIN_ADDED = "admin_added", _("created by clinic staff")
        ADMIN_RESET_SENT = "admin_reset", _("password reset link sent by clinic staff")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="account_events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="account_events_made"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="account_event_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "device_added",
                        "device_removed",
                        "recovery_issued",
                        "recovery_used",
                        "password_changed",
                        "sessions_revoked",
                        "admin_changed",
                        "admin_added",
                        "admin_reset",
                    ]
                ),
                name="account_event_kind_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """One-time recovery codes for a lost phone or security key: a django-otp device whose
    codes are stored only as SHA-256 hashes (django-otp's own static device keeps them in
    plain text). The codes are 60-bit random values, so a plain hash is enough: a leaked
    database gives nothing to guess from. A code works once: verifying deletes its row in the
    same statement that finds it, so two requests racing with one code cannot both pass."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self):
        return settings.OTP_RECOVERY_THROTTLE_FACTOR

    def verify_token(self, token):
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        used, _per_model = self.codes.filter(code_hash=hash_recovery_code(token)).delete()
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False


def normalize_recovery_code(code: str) -> str:
    """Codes are shown as XXXX-XXXX-XXXX; typed in any case, with or without the dashes."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def hash_recovery_code(code: str) -> str:
    return hashlib.sha256(normalize_recovery_code(code).encode()).hexdigest()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self):
        return f"recovery code {self.pk}"  # never the code: only its hash is stored
