"""Messages between a patient and the physiotherapists in their care, and the anonymous trace
a patient's erasure leaves on the physio's list."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PatientProfile, PhysioProfile, User

BODY_MAX = 2000


class Message(models.Model):
    """One message in a patient's thread. There is one thread per patient: whoever is in
    the patient's care reads and answers it, so a new physio sees what was said before.

    `read_at` is set when the other side first opens the thread; the sender sees it as the
    read receipt."""

    patient = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="messages", verbose_name=_("patient")
    )
    # SET_NULL: a physio who leaves and is erased takes their name, not the patient's record.
    author = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages_written",
        verbose_name=_("author"),
    )
    # Which side wrote it, kept apart from `author` so it survives the author's erasure.
    from_patient = models.BooleanField(_("from the patient"))
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length("body"), 1))
                & Q(LessThanOrEqual(Length("body"), BODY_MAX)),
                name="message_body_length",
            ),
        ]
        indexes = [models.Index(fields=["patient", "created_at"], name="message_thread")]

    def __str__(self):
        return f"{self.patient} {self.created_at:%Y-%m-%d %H:%M}"


class Departure(models.Model):
    """ "A patient in your care deleted their account on <date>": the physio and the date,
    nothing else, so the physio understands why someone vanished from the list without
    learning who it was. Shown for DEPARTURE_SHOWN_DAYS."""

    physio = models.ForeignKey(PhysioProfile, on_delete=models.CASCADE, related_name="departures")
    on = models.DateField(_("date"))

    class Meta:
        verbose_name = _("deleted account")
        verbose_name_plural = _("deleted accounts")
        indexes = [models.Index(fields=["physio", "-on"], name="departure_recent")]

    def __str__(self):
        return f"{self.physio} {self.on}"
