"""Who a patient can call: 112, the region's after-hours doctor (lægevagt) and their clinic.

Every same-day and within-days advice shows 112 for emergencies and the after-hours doctor of
the clinic's region; every "contact your physiotherapist" shows the clinic's own phone, e-mail
and booking link (clinical.md, "Red flags"). The regional numbers below are defaults, kept as
data: a clinic that knows better sets its own `after_hours_phone` in the admin.

Pure: no database, no settings, no clock. `clinic_contacts` reads the attributes of a Clinic
it is given (and of nothing it would have to load). Labels are lazy and translated when shown.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

EMERGENCY_PHONE = "112"


@dataclass(frozen=True)
class Region:
    code: str  # stable machine code, stored on the clinic and part of the API
    name: str  # lazy-translated
    after_hours_label: str  # lazy-translated name of the after-hours service
    after_hours_phone: str  # as people write it; `tel_href` makes the link


# Sources as in clinical-evidence.md section 10 ("After-hours doctor numbers by region",
# seen December 2026). [V] verified there; [R] reported only: check before release.
REGIONS: tuple[Region, ...] = (
    # Akuttelefonen 1813.
    # Source: Danish Wikipedia "Lægevagt" (regional table) [V].
    Region(
        "hovedstaden",
        _("Capital Region of Denmark"),
        _("Akuttelefonen (Capital Region)"),
        "1813",
    ),
    # 1818 since 1 October 2022, when the region took over its own lægevagt.
    # Source: B.T., September 2022; Dagens Medicin, August 2024 [V].
    Region(
        "sjaelland",
        _("Region Zealand"),
        _("After-hours doctor, Region Zealand"),
        "1818",
    ),
    # 16-08, weekends and holidays.
    # Source: regionsyddanmark.dk, "Lægevagt i Region Syddanmark" [V].
    Region(
        "syddanmark",
        _("Region of Southern Denmark"),
        _("After-hours doctor, Region of Southern Denmark"),
        "70 11 07 07",
    ),
    # 16-08, weekends and holidays.
    # Source: laegevagten.dk, Central Denmark Region out-of-hours helpline [V].
    Region(
        "midtjylland",
        _("Central Denmark Region"),
        _("After-hours doctor, Central Denmark Region"),
        "70 11 31 31",
    ),
    # Source: Danish Wikipedia "Lægevagt" (regional table) [R]: check the region's own page
    # (rn.dk) before release.
    Region(
        "nordjylland",
        _("North Denmark Region"),
        _("After-hours doctor, North Denmark Region"),
        "70 15 03 00",
    ),
)

BY_REGION: dict[str, Region] = {region.code: region for region in REGIONS}
DEFAULT_REGION = "hovedstaden"
REGION_CHOICES = [(region.code, region.name) for region in REGIONS]


def tel_href(phone: str) -> str:
    """A `tel:` link for a phone number as people write it ("70 11 07 07", "+45 1234 5678",
    "1813"). An eight-digit Danish number gets +45, so the link works from a foreign SIM too;
    short numbers (112, 1813) are dialled as they are. Empty for an empty number."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    if not digits:
        return ""
    if len(digits) == 8 and not digits.startswith("+"):
        digits = "+45" + digits
    return f"tel:{digits}"


@dataclass(frozen=True)
class Contacts:
    name: str
    region: str
    phone: str
    email: str
    booking_url: str
    answers_within: int | None  # working days within which the clinic answers, if it says
    after_hours_label: str
    after_hours_phone: str
    emergency_phone: str = EMERGENCY_PHONE

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)

    @property
    def after_hours_href(self) -> str:
        return tel_href(self.after_hours_phone)

    @property
    def emergency_href(self) -> str:
        return tel_href(self.emergency_phone)


def clinic_contacts(clinic) -> Contacts:
    """The contacts a patient of `clinic` sees: the clinic's own, and its region's after-hours
    doctor unless the clinic has set its own number."""
    region = BY_REGION.get(clinic.region) or BY_REGION[DEFAULT_REGION]
    return Contacts(
        name=clinic.name,
        region=region.code,
        phone=clinic.phone,
        email=clinic.email,
        booking_url=clinic.booking_url,
        answers_within=clinic.answers_within,
        after_hours_label=region.after_hours_label,
        after_hours_phone=clinic.after_hours_phone or region.after_hours_phone,
    )
