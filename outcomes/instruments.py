"""The outcome instruments as data, with a version (clinical.md "Outcome questionnaires").

An instrument's wording is part of its version: a stored response names the instrument and the
version it was answered in, so a later change of wording (a new version) never changes what an
old answer meant. Wordings are therefore data here, one per language, not gettext strings; the
screens around them (buttons, hints, errors) are translated as usual.

`validated_translation` per language says whether the wording is a published, validated
version of the instrument in that language. None of the wordings below is: they are our own
short wordings of the published items (a Danish FFI has been published, see
clinical-evidence.md section 3, but it is not reproduced here; PSFS, the global rating of
change and PASS have no single validated Danish wording we could cite). The app and the exports
say so wherever a response is shown. When a licensed validated wording is added it becomes a new
version with `validated_translation=True` for its language.

Sources (clinical-evidence.md section 3 and references 24, 26):

- PSFS: Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on
  individual patients: a report of a patient specific measure. Physiother Can 1995;47:258-263.
  Up to three activities named at baseline, each rated 0 (unable to do it) to 10 (able to do it
  as before the problem); the same activities later; score = mean of the activity ratings.
  MCID 2 points (Abbott & Schmitt, JOSPT 2014;44(8):560-564: 1.3 small, 2.3 medium, 2.7 large;
  about 2 commonly used).
- Global rating of change: 7 points, -3 (much worse) .. +3 (much better), asked from week 6.
  "Improved" = +2 or +3 (better or much better), the anchor used in heel-pain trials
  (Riel H et al. J Physiother 2019;65(3):144-151).
- PASS (patient acceptable symptom state): one yes/no question (Tubach F et al. Ann Rheum Dis
  2005;64:34-37; used in heel pain by Riel 2019).
- FFI: Budiman-Mak E, Conrad KJ, Roach KE. The Foot Function Index: a measure of foot pain and
  disability. J Clin Epidemiol 1991;44(6):561-570; the version with 0-10 numeric rating items
  (the 1991 original used visual analogue scales; the numeric version is the one in current use,
  Budiman-Mak E et al. J Foot Ankle Res 2013;6:5). Only the pain (9 items) and disability
  (9 items) subscales are asked (clinical.md); the activity-limitation subscale and the total are
  not. Scoring in outcomes.scoring.ffi_score. MCID pain 12, disability 7 (Landorf KB, Radford JA.
  The Foot 2008;18(1):15-19).
"""

from dataclasses import dataclass, field

LANGUAGES = ("da", "en")

RATING = "rating"  # a whole number from `minimum` to `maximum`
TEXT = "text"  # free text (PSFS activity names)
CHOICE = "choice"  # one of `choices` (values are whole numbers)
YES_NO = "yes_no"  # true or false

NOT_APPLICABLE = "na"  # the answer to an FFI item that does not apply (no inserts worn)


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    text: dict[str, str]  # language -> wording
    minimum: int | None = None
    maximum: int | None = None
    anchors: dict[str, tuple[str, str]] = field(default_factory=dict)  # language -> (low, high)
    choices: tuple[tuple[int, dict[str, str]], ...] = ()
    required: bool = True
    not_applicable: bool = False  # may be answered NOT_APPLICABLE
    subscale: str = ""
    max_length: int = 0  # TEXT only


@dataclass(frozen=True)
class Wording:
    validated_translation: bool
    note: str  # for the physio and the exports: where the wording comes from


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    title: dict[str, str]
    intro: dict[str, str]
    items: tuple[Item, ...]
    wordings: dict[str, Wording]
    source: str
    # measure -> (minimal clinically important difference, +1 if higher is better else -1)
    mcid: dict[str, tuple[float, int]] = field(default_factory=dict)

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    @property
    def canonical(self) -> str:
        """The canonical URL of the instrument's FHIR Questionnaire (clinical-evidence.md 11)."""
        return f"https://haelapp.dk/fhir/Questionnaire/{self.code}|{self.version}"


OWN_WORDING = {
    "da": Wording(False, "Our own Danish wording; not a published validated translation."),
    "en": Wording(False, "Our own short English wording of the published items."),
}

# --- PSFS -----------------------------------------------------------------------------------

PSFS_ACTIVITIES = 3
PSFS_ANCHORS = {
    "da": ("0 = kan slet ikke", "10 = kan som før problemet"),
    "en": ("0 = unable to do it", "10 = able to do it as before the problem"),
}


def _psfs_items() -> tuple[Item, ...]:
    items = []
    for n in range(1, PSFS_ACTIVITIES + 1):
        items.append(
            Item(
                id=f"activity_{n}",
                kind=TEXT,
                text={"da": f"Aktivitet {n}", "en": f"Activity {n}"},
                required=n == 1,
                max_length=80,
            )
        )
        items.append(
            Item(
                id=f"rating_{n}",
                kind=RATING,
                text={
                    "da": f"Hvor godt kan du udføre aktivitet {n} nu?",
                    "en": f"How well can you do activity {n} now?",
                },
                minimum=0,
                maximum=10,
                anchors=PSFS_ANCHORS,
                required=n == 1,
            )
        )
    return tuple(items)


PSFS = Instrument(
    code="psfs",
    version="1",
    title={
        "da": "Dine egne aktiviteter (PSFS)",
        "en": "Your own activities (PSFS)",
    },
    intro={
        "da": "Nævn op til tre vigtige aktiviteter, som din hæl gør svære eller umulige for dig "
        "(for eksempel at gå en tur eller stå op på arbejdet), og vurder hver af dem fra 0 til "
        "10. Næste gang spørger vi om de samme aktiviteter.",
        "en": "Name up to three important activities that your heel makes hard or impossible for "
        "you (for example going for a walk or standing at work), and rate each one from 0 to 10. "
        "Next time we ask about the same activities.",
    },
    items=_psfs_items(),
    wordings=OWN_WORDING,
    source="Stratford P et al. Physiother Can 1995;47:258-263; MCID: Abbott JH, Schmitt JS. "
    "J Orthop Sports Phys Ther 2014;44(8):560-564.",
    mcid={"mean": (2.0, +1)},
)

# --- Global rating of change ----------------------------------------------------------------

GROC = Instrument(
    code="groc",
    version="1",
    title={"da": "Samlet ændring", "en": "Overall change"},
    intro={"da": "", "en": ""},
    items=(
        Item(
            id="change",
            kind=CHOICE,
            text={
                "da": "Alt i alt: hvordan har din hæl det nu sammenlignet med, da forløbet "
                "startede?",
                "en": "Overall, how is your heel now compared with when this course of "
                "treatment started?",
            },
            choices=(
                (3, {"da": "Meget bedre", "en": "Much better"}),
                (2, {"da": "Bedre", "en": "Better"}),
                (1, {"da": "Lidt bedre", "en": "A little better"}),
                (0, {"da": "Nogenlunde uændret", "en": "About the same"}),
                (-1, {"da": "Lidt værre", "en": "A little worse"}),
                (-2, {"da": "Værre", "en": "Worse"}),
                (-3, {"da": "Meget værre", "en": "Much worse"}),
            ),
        ),
    ),
    wordings=OWN_WORDING,
    source="7-point global rating of change; 'improved' = better or much better as in "
    "Riel H et al. J Physiother 2019;65(3):144-151.",
)

# --- PASS -----------------------------------------------------------------------------------

PASS = Instrument(
    code="pass",
    version="1",
    title={"da": "Acceptabel tilstand", "en": "Acceptable state"},
    intro={"da": "", "en": ""},
    items=(
        Item(
            id="acceptable",
            kind=YES_NO,
            text={
                "da": "Tænk på, hvordan din hæl har haft det den seneste uge i dine daglige "
                "gøremål og aktiviteter. Hvis du skulle have det sådan i de kommende måneder, "
                "ville det så være acceptabelt for dig?",
                "en": "Think of how your heel has been in the last week, in your daily "
                "activities. If it stayed like this for the coming months, would that be "
                "acceptable to you?",
            },
        ),
    ),
    wordings=OWN_WORDING,
    source="Patient acceptable symptom state: Tubach F et al. Ann Rheum Dis 2005;64:34-37; "
    "in heel pain: Riel H et al. J Physiother 2019;65(3):144-151.",
)

# --- FFI pain and disability ----------------------------------------------------------------

FFI_PAIN_ANCHORS = {
    "da": ("0 = ingen smerte", "10 = værst tænkelige smerte"),
    "en": ("0 = no pain", "10 = worst pain imaginable"),
}
FFI_DISABILITY_ANCHORS = {
    "da": ("0 = ingen besvær", "10 = så svært, at jeg ikke kan"),
    "en": ("0 = no difficulty", "10 = so difficult I cannot do it"),
}

# (id, English phrase, Danish phrase, may be not applicable)
_FFI_PAIN = (
    ("pain_worst", "at its worst", "når den er værst", False),
    (
        "pain_first_steps",
        "with the first steps in the morning",
        "ved de første skridt om morgenen",
        False,
    ),
    ("pain_walk_barefoot", "walking barefoot", "når du går barfodet", True),
    ("pain_stand_barefoot", "standing barefoot", "når du står barfodet", True),
    ("pain_walk_shoes", "walking in shoes", "når du går med sko", True),
    ("pain_stand_shoes", "standing in shoes", "når du står med sko", True),
    ("pain_walk_inserts", "walking in shoes with inserts", "når du går i sko med indlæg", True),
    (
        "pain_stand_inserts",
        "standing in shoes with inserts",
        "når du står med sko med indlæg",
        True,
    ),
    ("pain_end_of_day", "at the end of the day", "sidst på dagen", False),
)
_FFI_DISABILITY = (
    ("dis_walk_house", "walking in the house", "gå indendørs", True),
    ("dis_walk_outside", "walking outside", "gå udendørs", True),
    ("dis_walk_500m", "walking about 500 metres", "gå ca. 500 meter", True),
    ("dis_stairs_up", "climbing stairs", "gå op ad trapper", True),
    ("dis_stairs_down", "going down stairs", "gå ned ad trapper", True),
    ("dis_tiptoe", "standing on tiptoe", "stå på tæer", True),
    ("dis_chair", "getting up from a chair", "rejse dig fra en stol", True),
    ("dis_kerb", "stepping up a kerb", "træde op på en kantsten", True),
    ("dis_walk_fast", "walking fast", "gå hurtigt", True),
)


def _ffi_items() -> tuple[Item, ...]:
    items = []
    for code, en, da, na in _FFI_PAIN:
        items.append(
            Item(
                id=code,
                kind=RATING,
                text={"da": f"Smerte i foden {da}", "en": f"Foot pain {en}"},
                minimum=0,
                maximum=10,
                anchors=FFI_PAIN_ANCHORS,
                not_applicable=na,
                subscale="pain",
            )
        )
    for code, en, da, na in _FFI_DISABILITY:
        items.append(
            Item(
                id=code,
                kind=RATING,
                text={"da": f"Besvær med at {da}", "en": f"Difficulty {en}"},
                minimum=0,
                maximum=10,
                anchors=FFI_DISABILITY_ANCHORS,
                not_applicable=na,
                subscale="disability",
            )
        )
    return tuple(items)


FFI = Instrument(
    code="ffi",
    version="1991-nrs-pd.1",
    title={"da": "Fodens funktion (FFI)", "en": "Foot function (FFI)"},
    intro={
        "da": "Tænk på den seneste uge. Vælg et tal fra 0 til 10 for hvert spørgsmål. Passer et "
        "spørgsmål ikke på dig (du bruger for eksempel ikke indlæg), så vælg "
        "\u201cpasser ikke\u201d.",
        "en": "Think of the last week. Choose a number from 0 to 10 for each question. If a "
        "question does not apply to you (you do not wear inserts, for example), choose "
        "\u201cdoes not apply\u201d.",
    },
    items=_ffi_items(),
    wordings=OWN_WORDING,
    source="Budiman-Mak E, Conrad KJ, Roach KE. J Clin Epidemiol 1991;44(6):561-570 (numeric "
    "0-10 items; pain and disability subscales); MCID: Landorf KB, Radford JA. The Foot "
    "2008;18(1):15-19.",
    mcid={"pain": (12.0, -1), "disability": (7.0, -1)},
)

INSTRUMENTS: dict[str, Instrument] = {i.code: i for i in (PSFS, GROC, PASS, FFI)}
# The order the patient answers them in.
ORDER = ("psfs", "ffi", "groc", "pass")


def instrument(code: str) -> Instrument:
    return INSTRUMENTS[code]


def wording_language(language: str | None) -> str:
    """The wording to show for a UI language: Danish for Danish, English otherwise."""
    return "da" if (language or "").startswith("da") else "en"
