"""Red flags: the yes/no warning-sign questions, and what to suggest when one is answered yes.

The questions are asked at onboarding (all of them) and in a weekly check-in ("is any of this new
since last week?"). The codes, their order and their urgency come from the design note
clinical.md ("Red flags"); the facts behind them, with sources, are in clinical-evidence.md
section 5. All patient-facing text here is our own plain-language wording.

Urgency, least to most urgent (``URGENCY_ORDER``, the same scale as the progress advice):

- ``soon``: book an appointment with your own doctor within the next few days.
- ``same_day``: contact your own doctor today, or the region's after-hours doctor (lægevagten)
  when the practice is closed; ``injury_cannot_bear_weight`` is an emergency: an emergency
  department (skadestue) today, 112 if life-threatening. Which after-hours number applies
  depends on the clinic's region: the pages show it beside the advice (accounts.contacts), so
  the texts here name no number but 112.

Only these two pause the exercise reminders (``PAUSES_EXERCISES``); nothing pauses the
pain-log reminder. ``review`` is kept on the scale for the progress advice and for check-ins
stored before diabetes became background.

Diabetes is not a red flag: it is background, asked once at onboarding (``DIABETES_QUESTION``,
stored on the patient's profile). When the patient has it, the foot-wound question comes first
in words that fit (``questions``) and the advice adds daily foot care.

Questions that were asked once and are no longer (``LEGACY``) stay readable with the words the
patient answered: old check-ins keep them, and the API refuses them in new answers.

This module is pure: no database, no settings, no clock. Strings are lazy; they are translated
when rendered, in the language active at that moment.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SAME_DAY = "same_day"
SOON = "soon"
REVIEW = "review"
NONE = "none"
URGENCY_ORDER = (NONE, REVIEW, SOON, SAME_DAY)
# The urgencies whose unacknowledged answer pauses the exercise reminders (never the pain log).
PAUSES_EXERCISES = (SAME_DAY, SOON)


@dataclass(frozen=True)
class RedFlag:
    code: str  # stable machine code, part of the API
    question: str  # lazy-translated yes/no question shown to the patient
    urgency: str  # SAME_DAY or SOON
    advice_title: str  # lazy-translated short title
    advice_text: str  # lazy-translated advice, 1-3 sentences
    # The question's words for a patient who has told us they have diabetes, if they differ.
    question_with_diabetes: str | None = None


@dataclass(frozen=True)
class Question:
    """A question as one patient is asked it (see `questions`)."""

    code: str
    question: str
    urgency: str


@dataclass(frozen=True)
class LegacyQuestion:
    code: str
    question: str  # lazy-translated: the words the patient answered
    # What a stored yes counts as now: NONE when it is no longer a warning sign.
    urgency: str
    replaced_by: str  # the code asked instead, or "" when nothing replaces it


@dataclass(frozen=True)
class CheckinAdvice:
    code: str  # "red_flag_same_day" | "red_flag_soon"
    urgency: str
    seek_care: bool
    title: str  # lazy-translated: the most urgent flag's title
    text: str  # lazy-translated: its advice, plus lines about other yes answers and diabetes
    flags: tuple[str, ...]  # the codes answered yes, most urgent first, then in RED_FLAGS order


# Said once, at onboarding: who the service is for, and what it is not.
ONBOARDING_INTRO = _(
    "This service is for adults aged 18 or over. If you are younger, please talk to a doctor "
    "or physiotherapist instead. The service helps you follow the exercises from your "
    "physiotherapist, but it cannot find out what is wrong with your foot and does not replace "
    "a doctor. Before you start, please answer yes or no to each question below."
)

# The weekly check-in: only what is new, without repeating the onboarding text.
CHECKIN_INTRO = _("Is any of this new since last week? Answer yes or no to each question.")

# Background, asked once (clinical.md): not a warning sign by itself.
DIABETES_QUESTION = _("Do you have diabetes?")
DIABETES_HELP = _(
    "We ask once, so that the questions and advice fit you. Having diabetes is not a warning "
    "sign in itself."
)

# Added to the advice when more than one question was answered yes.
OTHER_ANSWERS_TEXT = _(
    "You also answered yes to other questions. Please tell the doctor about those answers too."
)

# Added to the advice for a patient with diabetes.
DIABETES_FOOT_CARE_TEXT = _(
    "As you have diabetes, check your feet every day for wounds, blisters, redness or "
    "swelling, and contact your doctor the same day if you find any."
)

# --- titles and advice texts, shared where the advice is the same ------------------------------

_EMERGENCY_TITLE = _("Get your foot checked today")
_SAME_DAY_TITLE = _("Contact a doctor today")
_SOON_TITLE = _("See your doctor in the next few days")

_PAUSE_TODAY_TEXT = _(
    "Please pause your exercises and contact your own doctor today. If your doctor's "
    "practice is closed, call the after-hours doctor (lægevagten). If you think it is "
    "life-threatening, call 112."
)

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
            "your own doctor or the after-hours doctor (lægevagten) first, so they can tell you "
            "where to go. If it is life-threatening, call 112."
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
            "practice is closed, call the after-hours doctor (lægevagten)."
        ),
    ),
    RedFlag(
        code="red_hot_swollen_fever",
        question=_(
            "Is your heel or foot red, hot and swollen, or do you have a fever of 38 °C or more?"
        ),
        urgency=SAME_DAY,
        advice_title=_SAME_DAY_TITLE,
        advice_text=_PAUSE_TODAY_TEXT,
    ),
    RedFlag(
        code="calf_swollen_red",
        question=_("Is your calf swollen, red, warm or tender?"),
        urgency=SAME_DAY,
        advice_title=_SAME_DAY_TITLE,
        advice_text=_(
            "Please stop your exercises and contact your own doctor today: a swollen, red or "
            "warm calf must be checked the same day. If your doctor's practice is closed, call "
            "the after-hours doctor (lægevagten), and if you are short of breath or have chest "
            "pain, call 112."
        ),
    ),
    RedFlag(
        code="diabetes_wound",
        question=_(
            "Do you have diabetes and a wound, blister, redness, swelling or warmth on your "
            "foot, even if it does not hurt much?"
        ),
        question_with_diabetes=_(
            "Do you have a wound, blister, redness, swelling or warmth on your foot, even if "
            "it does not hurt much?"
        ),
        urgency=SAME_DAY,
        advice_title=_SAME_DAY_TITLE,
        advice_text=_(
            "Please contact your own doctor today, even if it does not hurt much. If your "
            "doctor's practice is closed, call the after-hours doctor (lægevagten). Pause your "
            "exercises until you have talked to a doctor."
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
        advice_text=_PAUSE_TODAY_TEXT,
    ),
    RedFlag(
        # Not burning or aching: those are ordinary symptoms of plantar heel pain.
        code="new_numbness",
        question=_(
            "Do you have new numbness or loss of feeling in your foot, or pain that shoots "
            "from your back or down your leg into your foot?"
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
)

BY_CODE: dict[str, RedFlag] = {flag.code: flag for flag in RED_FLAGS}

# Questions asked before (until the red-flag list of issue 13), with the words patients
# answered. Never remove an entry: stored check-ins name these codes.
LEGACY: dict[str, LegacyQuestion] = {
    legacy.code: legacy
    for legacy in (
        # Included burning, an ordinary symptom; still a yes to nerve symptoms, advised "soon".
        LegacyQuestion(
            code="numbness_tingling",
            question=_(
                "Do you have numbness, tingling, pins and needles or burning in your foot, or "
                "pain that shoots down from your back or leg?"
            ),
            urgency=SOON,
            replaced_by="new_numbness",
        ),
        # Now background on the profile: a yes is no longer a warning sign.
        LegacyQuestion(
            code="diabetes",
            question=DIABETES_QUESTION,
            urgency=NONE,
            replaced_by="",
        ),
    )
}

_RANK = {urgency: rank for rank, urgency in enumerate(URGENCY_ORDER)}
_POSITION = {flag.code: position for position, flag in enumerate(RED_FLAGS)}
# A legacy flag sorts where the question that replaced it stands.
_POSITION.update(
    {legacy.code: _POSITION.get(legacy.replaced_by, len(RED_FLAGS)) for legacy in LEGACY.values()}
)


def questions(*, has_diabetes: bool | None) -> tuple[Question, ...]:
    """The red-flag questions as this patient is asked them, in order. A patient who has
    diabetes is asked about a foot wound first, in words that do not ask again whether they
    have diabetes; everyone else is asked in clinical.md's order, the wound question with its
    diabetes condition."""
    asked = [
        Question(
            flag.code,
            (flag.question_with_diabetes or flag.question) if has_diabetes else flag.question,
            flag.urgency,
        )
        for flag in RED_FLAGS
    ]
    if has_diabetes:
        asked.sort(key=lambda question: question.code != "diabetes_wound")  # stable
    return tuple(asked)


def question_text(code: str) -> str:
    """The words of a question, current or legacy, by its code; the code itself if unknown
    (a stored answer is shown, never hidden)."""
    if code in BY_CODE:
        return BY_CODE[code].question
    if code in LEGACY:
        return LEGACY[code].question
    return code


def _urgency(code: str) -> str:
    return BY_CODE[code].urgency if code in BY_CODE else LEGACY[code].urgency


def _advice_of(code: str) -> tuple[str, str]:
    """(title, text) of a yes to a current or legacy flag."""
    if code in BY_CODE:
        return BY_CODE[code].advice_title, BY_CODE[code].advice_text
    return {SAME_DAY: (_SAME_DAY_TITLE, _PAUSE_TODAY_TEXT), SOON: (_SOON_TITLE, _SOON_TEXT)}[
        LEGACY[code].urgency
    ]


def _advice(yes: Iterable[str], *, has_diabetes: bool | None) -> CheckinAdvice | None:
    flagged = sorted(
        (code for code in yes if _urgency(code) != NONE),
        key=lambda code: (-_RANK[_urgency(code)], _POSITION[code]),
    )
    if not flagged:
        return None
    title, text = _advice_of(flagged[0])
    extra = [OTHER_ANSWERS_TEXT] if len(flagged) > 1 else []
    if has_diabetes:
        extra.append(DIABETES_FOOT_CARE_TEXT)
    if extra:
        text = format_lazy("{}" + " {}" * len(extra), text, *extra)
    urgency = _urgency(flagged[0])
    return CheckinAdvice(
        code=f"red_flag_{urgency}",
        urgency=urgency,
        seek_care=True,
        title=title,
        text=text,
        flags=tuple(flagged),
    )


def checkin_advice(
    answers: Mapping[str, bool], *, has_diabetes: bool | None = None
) -> CheckinAdvice | None:
    """The advice for one set of red-flag answers, or None when no answer is yes.

    ``answers`` maps red-flag codes to True (yes) or False (no); a code left out counts as no.
    The most urgent yes decides the advice (ties go to the flag listed first in RED_FLAGS); the
    other yes answers are listed in ``flags`` and mentioned in the text. A patient with
    diabetes is also reminded of daily foot care.

    Raises ValueError naming any code no longer asked (with what replaced it), any unknown
    code, or any code whose value is not a bool; its message is in the active language, as the
    API shows it to the user.
    """
    retired = sorted(code for code in answers if code in LEGACY)
    if retired:
        raise ValueError(
            gettext("No longer asked: %(codes)s.")
            % {
                "codes": ", ".join(
                    f"{code} ({gettext('now %(code)s') % {'code': LEGACY[code].replaced_by}})"
                    if LEGACY[code].replaced_by
                    else code
                    for code in retired
                )
            }
        )
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
    return _advice((code for code, value in answers.items() if value), has_diabetes=has_diabetes)


def stored_advice(
    red_flags: Iterable[str], *, has_diabetes: bool | None = None
) -> CheckinAdvice | None:
    """The advice for the yes answers a check-in stored (its ``red_flags``), legacy codes
    included: an old check-in is shown with the advice its answers carry now. Codes this
    module does not know are left out."""
    known = [code for code in red_flags if code in BY_CODE or code in LEGACY]
    return _advice(known, has_diabetes=has_diabetes)
