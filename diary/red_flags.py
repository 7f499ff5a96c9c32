"""Red flags: the yes/no warning-sign questions, and what to suggest when one is answered yes.

The questions are asked at onboarding (all of them) and in a weekly check-in ("has any of this
started or got worse?"). The eleven codes, their order and their urgency come from the design
note clinical.md ("Red flags"); the facts behind them, with sources, are in clinical-evidence.md
section 5. All patient-facing text here is our own plain-language wording.

Urgency, least to most urgent (``URGENCY_ORDER``, the same scale as the progress advice):

- ``review``: tell your own doctor about the heel pain; not urgent (only ``diabetes``).
- ``soon``: book an appointment with your own doctor within the next few days.
- ``same_day``: contact your own doctor today, or lægevagten when the practice is closed
  (1813 in the Capital Region); ``injury_cannot_bear_weight`` is an emergency: an emergency
  department (skadestue) today, 112 if life-threatening.

Every red flag pauses the exercises until the patient has talked to a professional, except plain
``diabetes`` (clinical-evidence.md section 2: "stop immediately and seek advice ... any red flag").
The advice is always a suggestion to contact a professional, never a diagnosis.

This module is pure: no database, no settings, no clock. Strings are lazy; they are translated
when rendered, in the language active at that moment.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SAME_DAY = "same_day"
SOON = "soon"
REVIEW = "review"
NONE = "none"
URGENCY_ORDER = (NONE, REVIEW, SOON, SAME_DAY)


@dataclass(frozen=True)
class RedFlag:
    code: str  # stable machine code, part of the API
    question: str  # lazy-translated yes/no question shown to the patient
    urgency: str  # one of URGENCY_ORDER except "none"
    advice_title: str  # lazy-translated short title
    advice_text: str  # lazy-translated advice, 1-3 sentences


@dataclass(frozen=True)
class CheckinAdvice:
    code: str  # "red_flag_same_day" | "red_flag_soon" | "red_flag_review"
    urgency: str
    seek_care: bool
    title: str  # lazy-translated: the most urgent flag's title
    text: str  # lazy-translated: its advice, plus a line about the other yes answers if any
    flags: tuple[str, ...]  # the codes answered yes, most urgent first, then in RED_FLAGS order


CHECKIN_INTRO = _(
    "Since you last answered, has any of this started or got worse? "
    "Answer yes or no to each question."
)

ONBOARDING_INTRO = _(
    "This service is for adults aged 18 or over. If you are younger, please talk to a doctor "
    "or physiotherapist instead. The service helps you follow the exercises from your "
    "physiotherapist, but it cannot find out what is wrong with your foot and does not replace "
    "a doctor. Before you start, please answer yes or no to each question below."
)

# Added to the advice when more than one question was answered yes.
OTHER_ANSWERS_TEXT = _(
    "You also answered yes to other questions. Please tell the doctor about those answers too."
)

# --- titles and advice texts, shared where the advice is the same ------------------------------

_EMERGENCY_TITLE = _("Get your foot checked today")
_SAME_DAY_TITLE = _("Contact a doctor today")
_SOON_TITLE = _("See your doctor in the next few days")
_REVIEW_TITLE = _("Tell your doctor about your heel pain")

_SOON_TEXT = _(
    "Please book an appointment with your own doctor within the next few days. Pause your "
    "exercises until you have talked to your doctor or your physiotherapist. If it gets much "
    "worse before then, contact your doctor or lægevagten the same day."
)

RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        code="injury_cannot_bear_weight",
        question=_(
            "Did you hurt your foot in a fall, jump, twist or knock, and now you cannot stand "
            "on it, or it looks wrong?"
        ),
        urgency=SAME_DAY,
        advice_title=_EMERGENCY_TITLE,
        advice_text=_(
            "Please have your foot checked at an emergency department (skadestue) today. Call "
            "your own doctor or lægevagten (1813 in the Capital Region) first, so they can tell "
            "you where to go. If it is life-threatening, call 112."
        ),
    ),
    RedFlag(
        code="sudden_pop",
        question=_(
            "Did you suddenly feel a pop or snap under or behind your heel, and now you cannot "
            "walk normally or rise up on your toes?"
        ),
        urgency=SAME_DAY,
        advice_title=_SAME_DAY_TITLE,
        advice_text=_(
            "Please stop your exercises and contact your own doctor today. If your doctor's "
            "practice is closed, call lægevagten (1813 in the Capital Region)."
        ),
    ),
    RedFlag(
        code="red_hot_swollen_fever",
        question=_(
            "Is your heel or foot red, hot and swollen, or do you have a fever of 38 °C or more?"
        ),
        urgency=SAME_DAY,
        advice_title=_SAME_DAY_TITLE,
        advice_text=_(
            "Please pause your exercises and contact your own doctor today. If your doctor's "
            "practice is closed, call lægevagten (1813 in the Capital Region). If you think it "
            "is life-threatening, call 112."
        ),
    ),
    RedFlag(
        code="diabetes_wound",
        question=_(
            "Do you have diabetes and a wound, blister, redness, swelling or warmth on your "
            "foot, even if it does not hurt much?"
        ),
        urgency=SAME_DAY,
        advice_title=_SAME_DAY_TITLE,
        advice_text=_(
            "Please contact your own doctor today, even if it does not hurt much. If your "
            "doctor's practice is closed, call lægevagten (1813 in the Capital Region). Pause "
            "your exercises until you have talked to a doctor."
        ),
    ),
    RedFlag(
        code="cold_pale_foot",
        question=_(
            "Is your foot cold, pale or bluish, or do you have strong pain in your foot even "
            "when you rest?"
        ),
        urgency=SAME_DAY,
        advice_title=_SAME_DAY_TITLE,
        advice_text=_(
            "Please pause your exercises and contact your own doctor today. If your doctor's "
            "practice is closed, call lægevagten (1813 in the Capital Region). If you think it "
            "is life-threatening, call 112."
        ),
    ),
    RedFlag(
        code="numbness_tingling",
        question=_(
            "Do you have numbness, tingling, pins and needles or burning in your foot, or pain "
            "that shoots down from your back or leg?"
        ),
        urgency=SOON,
        advice_title=_SOON_TITLE,
        advice_text=_SOON_TEXT,
    ),
    RedFlag(
        code="night_or_rest_pain",
        question=_(
            "Does the pain wake you up at night, or does it hurt all the time, even when you rest?"
        ),
        urgency=SOON,
        advice_title=_SOON_TITLE,
        advice_text=_SOON_TEXT,
    ),
    RedFlag(
        code="weight_loss_cancer",
        question=_(
            "Have you lost weight without trying, or sweated a lot at night, or have you had "
            "cancer before?"
        ),
        urgency=SOON,
        advice_title=_SOON_TITLE,
        advice_text=_SOON_TEXT,
    ),
    RedFlag(
        code="inflammatory_signs",
        question=_(
            "Do both heels hurt, and do you also have swollen or sore joints, a stiff back in "
            "the mornings, psoriasis, or inflammation in your eyes or bowel?"
        ),
        urgency=SOON,
        advice_title=_SOON_TITLE,
        advice_text=_SOON_TEXT,
    ),
    RedFlag(
        code="severe_or_rapidly_worse",
        question=_(
            "Is the pain so bad that you cannot manage your everyday tasks, or is it getting "
            "worse quickly?"
        ),
        urgency=SOON,
        advice_title=_SOON_TITLE,
        advice_text=_SOON_TEXT,
    ),
    RedFlag(
        code="diabetes",
        question=_("Do you have diabetes?"),
        urgency=REVIEW,
        advice_title=_REVIEW_TITLE,
        advice_text=_(
            "Please let your own doctor know about your heel pain. It is not urgent. Check your "
            "feet every day for wounds, blisters, redness or swelling, and contact your doctor "
            "the same day if you find any."
        ),
    ),
)

BY_CODE: dict[str, RedFlag] = {flag.code: flag for flag in RED_FLAGS}

_RANK = {urgency: rank for rank, urgency in enumerate(URGENCY_ORDER)}
_POSITION = {flag.code: position for position, flag in enumerate(RED_FLAGS)}


def checkin_advice(answers: Mapping[str, bool]) -> CheckinAdvice | None:
    """The advice for one set of red-flag answers, or None when no answer is yes.

    ``answers`` maps red-flag codes to True (yes) or False (no); a code left out counts as no.
    The most urgent yes decides the advice (ties go to the flag listed first in RED_FLAGS); the
    other yes answers are listed in ``flags`` and mentioned in the text.

    Raises ValueError naming any unknown code, or any code whose value is not a bool; its
    message is in the active language, as the API shows it to the user.
    """
    unknown = sorted((code for code in answers if code not in BY_CODE), key=str)
    if unknown:
        raise ValueError(
            gettext("Unknown question code(s): %(codes)s.")
            % {"codes": ", ".join(map(str, unknown))}
        )
    not_bool = sorted(code for code, value in answers.items() if not isinstance(value, bool))
    if not_bool:
        raise ValueError(
            gettext("Answer yes or no (true or false) to: %(codes)s.")
            % {"codes": ", ".join(not_bool)}
        )

    yes = sorted(
        (code for code, value in answers.items() if value),
        key=lambda code: (-_RANK[BY_CODE[code].urgency], _POSITION[code]),
    )
    if not yes:
        return None
    top = BY_CODE[yes[0]]
    text = top.advice_text
    if len(yes) > 1:
        text = format_lazy("{} {}", top.advice_text, OTHER_ANSWERS_TEXT)
    return CheckinAdvice(
        code=f"red_flag_{top.urgency}",
        urgency=top.urgency,
        seek_care=True,
        title=top.advice_title,
        text=text,
        flags=tuple(yes),
    )
