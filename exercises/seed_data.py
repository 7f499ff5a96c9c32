"""Seed content for the exercise library and the programme templates.

Pure data, no Django imports: a data migration or a management command turns these
dictionaries into model rows. Danish comes first, English is complete.

Facts and numbers follow the design notes clinical.md and clinical-evidence.md (section 2
for dosages, section 5 for warning signs); all wording is our own.

Conventions:
- ``conditions`` uses the codes plantar_fasciitis, heel_bursitis, fat_pad and unknown.
- ``dosage`` is the default; ``None`` means "not used for this exercise". Tempo fields are
  seconds (up / hold at the top / down). ``every_n_days=2`` means every other day.
- ``stages`` apply from ``from_week`` (week 1 is the first programme week); a stage's
  fields replace the dosage's fields while it is active.
- Advice items (kind "advice") have no dosage numbers; their ``steps`` are practical tips.
- ``illustration`` is a path under ``static/``.
"""

from __future__ import annotations

# The high-load heel raise (Rathleff protocol): 12RM x 3, then 10RM x 4 with a backpack,
# then 8RM x 5; 2 minutes' rest; 3 s up, 2 s hold, 3 s down; every other day, ~12 weeks.
_HIGH_LOAD_STAGES: list[dict] = [
    {
        "from_week": 1,
        "sets": 3,
        "reps": 12,
        "load": "12RM",
        "rest_seconds": 120,
        "hold_seconds": None,
        "tempo_up": 3,
        "tempo_hold": 2,
        "tempo_down": 3,
        "notes": {
            "da": (
                "Uge 1-2: Find et niveau, hvor du lige netop kan nå 12 gentagelser. "
                "For mange er kroppens egen vægt på ét ben nok i starten. "
                "Er ét ben for hårdt, så brug begge ben."
            ),
            "en": (
                "Weeks 1-2: Find a level where 12 repetitions are just about all you can do. "
                "For many people, their own body weight on one leg is enough to start with. "
                "If one leg is too hard, use both legs."
            ),
        },
    },
    {
        "from_week": 3,
        "sets": 4,
        "reps": 10,
        "load": "10RM",
        "rest_seconds": 120,
        "hold_seconds": None,
        "tempo_up": 3,
        "tempo_hold": 2,
        "tempo_down": 3,
        "notes": {
            "da": (
                "Uge 3-4: Nu skal det være tungere. Tag en rygsæk på med fx bøger eller "
                "flasker med vand, så du lige akkurat kan klare 10 gentagelser."
            ),
            "en": (
                "Weeks 3-4: Time to make it heavier. Wear a backpack with books or water "
                "bottles in it, so that you can only just manage 10 repetitions."
            ),
        },
    },
    {
        "from_week": 5,
        "sets": 5,
        "reps": 8,
        "load": "8RM",
        "rest_seconds": 120,
        "hold_seconds": None,
        "tempo_up": 3,
        "tempo_hold": 2,
        "tempo_down": 3,
        "notes": {
            "da": (
                "Fra uge 5: Kom mere i rygsækken, så 8 gentagelser er det meste, du kan. "
                "Når det bliver lettere, lægger du lidt mere i. Fortsæt i ca. 12 uger i alt."
            ),
            "en": (
                "From week 5: Put more in the backpack, so that 8 repetitions are the most "
                "you can do. When it gets easier, add a little more. Keep going for about "
                "12 weeks in total."
            ),
        },
    },
]


# The standard template's heel raise (clinical.md: "heel raise staged from double-leg to
# high-load"): two weeks on both legs first, then the high-load stages above, each two weeks
# later than on the exercise alone (the step-ups that the load-too-high rule watches move
# with them).
_TEMPLATE_HEEL_RAISE_STAGES: list[dict] = [
    {
        **_HIGH_LOAD_STAGES[0],  # the same tempo, on both legs, lighter and shorter rests
        "reps": 15,
        "load": "",
        "rest_seconds": 60,
        "notes": {
            "da": (
                "Uge 1-2: Stå på begge ben på trinnet med tæerne på håndklædet, og brug kun "
                "kroppens egen vægt. Det skal være let at nå 15 gentagelser med god kontrol."
            ),
            "en": (
                "Weeks 1-2: Stand on both legs on the step with your toes on the towel, and use "
                "only your own body weight. Reaching 15 repetitions with good control should be "
                "easy."
            ),
        },
    },
    {
        **_HIGH_LOAD_STAGES[0],
        "from_week": 3,
        "notes": {
            "da": (
                "Uge 3-4: Nu på ét ben. Find et niveau, hvor du lige netop kan nå 12 "
                "gentagelser. Er ét ben for hårdt, så brug begge ben lidt endnu."
            ),
            "en": (
                "Weeks 3-4: Now on one leg. Find a level where 12 repetitions are just about "
                "all you can do. If one leg is too hard, use both legs a little longer."
            ),
        },
    },
    {
        **_HIGH_LOAD_STAGES[1],
        "from_week": 5,
        "notes": {
            "da": (
                "Uge 5-6: Nu skal det være tungere. Tag en rygsæk på med fx bøger eller "
                "flasker med vand, så du lige akkurat kan klare 10 gentagelser."
            ),
            "en": (
                "Weeks 5-6: Time to make it heavier. Wear a backpack with books or water "
                "bottles in it, so that you can only just manage 10 repetitions."
            ),
        },
    },
    {
        **_HIGH_LOAD_STAGES[2],
        "from_week": 7,
        "notes": {
            "da": (
                "Fra uge 7: Kom mere i rygsækken, så 8 gentagelser er det meste, du kan. "
                "Når det bliver lettere, lægger du lidt mere i. Fortsæt i ca. 12 uger i alt."
            ),
            "en": (
                "From week 7: Put more in the backpack, so that 8 repetitions are the most "
                "you can do. When it gets easier, add a little more. Keep going for about "
                "12 weeks in total."
            ),
        },
    },
]

# The last sentence of every exercise's stop text (clinical.md, "Red flags"): a swollen, red,
# warm calf can be a blood clot, which a doctor must see the same day; it is not one of the
# things to take to the physiotherapist. Appended below, so no exercise can lack it.
CALF_STOP: dict[str, str] = {
    "da": (
        "Bliver din læg hævet, rød, varm eller øm, så stop, og kontakt en læge samme dag (din "
        "egen læge, eller lægevagten, hvis lægen har lukket): det kan være tegn på en blodprop."
    ),
    "en": (
        "If your calf becomes swollen, red, warm or tender, stop and contact a doctor the same "
        "day (your own doctor, or lægevagten when the practice is closed): it can be a sign of "
        "a blood clot."
    ),
}


# An advice item's dosage: no numbers, only its notes.
_NO_DOSAGE = {
    "sets": None,
    "reps": None,
    "hold_seconds": None,
    "tempo_up": None,
    "tempo_hold": None,
    "tempo_down": None,
    "load": "",
    "rest_seconds": None,
    "times_per_day": None,
    "every_n_days": None,
}

EXERCISES: list[dict] = [
    # ------------------------------------------------------------------ stretches
    {
        "slug": "plantar-fascia-stretch",
        "kind": "stretch",
        "conditions": ["plantar_fasciitis", "unknown"],
        "name": {
            "da": "Udspænding af svangsenen",
            "en": "Plantar fascia stretch",
        },
        "purpose": {
            "da": (
                "Øvelsen strækker svangsenen, der løber under foden fra hælen til tæerne. "
                "Den kan gøre de første skridt om morgenen mindre ømme."
            ),
            "en": (
                "This stretches the plantar fascia, the strong band under your foot that runs "
                "from the heel to the toes. It can make the first steps in the morning less sore."
            ),
        },
        "steps": {
            "da": [
                "Sæt dig på en stol, og læg den ømme fod hen over det andet knæ.",
                "Tag fat om tæerne med den ene hånd.",
                "Bøj tæerne bagover mod skinnebenet, til du kan mærke, at fodsålen bliver strakt.",
                "Mærk efter med tommelfingeren på den anden hånd: "
                "Senen under svangen skal føles stram som en snor.",
                "Hold strækket, og slip så roligt. Gentag.",
            ],
            "en": [
                "Sit on a chair and rest the sore foot across your other knee.",
                "Grip your toes with one hand.",
                "Bend your toes backwards, towards your shin, until the sole of your foot feels "
                "stretched.",
                "Check with the thumb of your other hand: "
                "the band under your arch should feel tight, like a string.",
                "Keep the stretch, then let go gently. Repeat.",
            ],
        },
        "stop_if": {
            "da": (
                "Du skal mærke et tydeligt stræk, ikke en skarp smerte. Lidt ømhed (op til "
                "ca. 5 ud af 10) er i orden, hvis den er væk igen inden for et døgn, og de "
                "første skridt næste morgen ikke er tydeligt værre. Stop straks, og kontakt "
                "din fysioterapeut eller læge, hvis du mærker et pludseligt smæld under foden, "
                "får ny følelsesløshed eller prikken i foden, eller får et af advarselstegnene."
            ),
            "en": (
                "You should feel a clear stretch, not a sharp pain. A little soreness (up to "
                "about 5 out of 10) is fine if it has gone within a day and your first steps "
                "the next morning are not clearly worse. Stop at once and contact your "
                "physiotherapist or doctor if you feel a sudden pop under your foot, get new "
                "numbness or tingling in the foot, or notice any of "
                "the warning signs."
            ),
        },
        "dosage": {
            "sets": None,
            "reps": 10,
            "hold_seconds": 10,
            "tempo_up": None,
            "tempo_hold": None,
            "tempo_down": None,
            "load": "",
            "rest_seconds": None,
            "times_per_day": 3,
            "every_n_days": 1,
            "notes": {
                "da": (
                    "Lav den første omgang, mens du sidder på sengekanten om morgenen, før du "
                    "tager de første skridt. Lav den også, før du rejser dig efter at have "
                    "siddet længe."
                ),
                "en": (
                    "Do the first round sitting on the edge of the bed in the morning, before "
                    "your first steps. Also do it before you stand up after sitting for a long "
                    "time."
                ),
            },
        },
        "stages": [],
        "illustration": "exercises/plantar-fascia-stretch.svg",
    },
    {
        "slug": "calf-stretch-straight-knee",
        "kind": "stretch",
        "conditions": ["plantar_fasciitis", "unknown"],
        "name": {
            "da": "Lægstræk med strakt knæ",
            "en": "Calf stretch with a straight knee",
        },
        "purpose": {
            "da": (
                "Strækker den store lægmuskel. Når læggen er mere smidig, trækker den mindre "
                "i hælen og i svangsenen."
            ),
            "en": (
                "Stretches the big calf muscle. When the calf is less tight, it pulls less on "
                "the heel and the band under your foot."
            ),
        },
        "steps": {
            "da": [
                "Stil dig med ansigtet mod en væg, og sæt begge hænder på væggen.",
                "Tag et langt skridt bagud med den ømme fod. Tæerne peger lige frem.",
                "Hold det bageste knæ helt strakt og hælen nede i gulvet.",
                "Læn kroppen ind mod væggen ved at bøje det forreste knæ. Stop, når du mærker "
                "et stræk øverst i læggen på det bageste ben.",
                "Bliv stille i strækket uden at vippe, og slap så af.",
            ],
            "en": [
                "Stand facing a wall and put both hands on it.",
                "Take a long step back with the sore foot. Point your toes straight ahead.",
                "Keep the back knee fully straight and the heel on the floor.",
                "Lean your body towards the wall by bending the front knee. Stop when the upper "
                "part of the back calf feels stretched.",
                "Stay still in the stretch without bouncing, then relax.",
            ],
        },
        "stop_if": {
            "da": (
                "Du skal mærke et roligt stræk i læggen, ikke en skarp smerte i hælen eller "
                "bag på hælen. Lidt ømhed (op til ca. 5 ud af 10) er i orden, hvis den er væk "
                "igen inden for et døgn, og de første skridt næste morgen ikke er tydeligt "
                "værre. Stop straks, og kontakt din fysioterapeut eller læge, hvis du mærker et "
                "pludseligt smæld i læggen eller bag hælen, får ny følelsesløshed eller prikken, "
                "eller får et af advarselstegnene."
            ),
            "en": (
                "You should feel a steady stretch in the calf, not a sharp pain in or behind "
                "the heel. A little soreness (up to about 5 out of 10) is fine if it has gone "
                "within a day and your first steps the next morning are not clearly worse. "
                "Stop at once and contact your physiotherapist or doctor if you feel a sudden "
                "pop in the calf or behind the heel, get new numbness or tingling, or notice any "
                "of the warning signs."
            ),
        },
        "dosage": {
            "sets": None,
            "reps": 3,
            "hold_seconds": 30,
            "tempo_up": None,
            "tempo_hold": None,
            "tempo_down": None,
            "load": "",
            "rest_seconds": None,
            "times_per_day": 2,
            "every_n_days": 1,
            "notes": {
                "da": (
                    "2-3 gange om dagen. Mærker du ikke noget stræk, så flyt den bageste fod "
                    "lidt længere tilbage."
                ),
                "en": (
                    "2-3 times a day. If you cannot feel a stretch, move the back foot a little "
                    "further back."
                ),
            },
        },
        "stages": [],
        "illustration": "exercises/calf-stretch-straight-knee.svg",
    },
    {
        "slug": "calf-stretch-bent-knee",
        "kind": "stretch",
        "conditions": ["plantar_fasciitis", "unknown"],
        "name": {
            "da": "Lægstræk med bøjet knæ",
            "en": "Calf stretch with a bent knee",
        },
        "purpose": {
            "da": (
                "Strækker den dybe lægmuskel, der sidder lavt i læggen tæt på hælen. "
                "Den når man bedst med bøjet knæ."
            ),
            "en": (
                "Stretches the deep calf muscle, which sits low in the calf close to the heel. "
                "You reach it best with a bent knee."
            ),
        },
        "steps": {
            "da": [
                "Stil dig med ansigtet mod en væg, og sæt begge hænder på væggen.",
                "Tag et kort skridt bagud med den ømme fod. Tæerne peger lige frem.",
                "Bøj begge knæ, og hold hælen på det bageste ben nede i gulvet.",
                "Skub det bageste knæ frem og ned, til du mærker et stræk lavt i læggen, "
                "lige over hælen.",
                "Bliv stille i strækket uden at vippe, og slap så af.",
            ],
            "en": [
                "Stand facing a wall and put both hands on it.",
                "Take a short step back with the sore foot. Point your toes straight ahead.",
                "Bend both knees and keep the heel of the back leg on the floor.",
                "Push the back knee forward and down until you feel a stretch low in the calf, "
                "just above the heel.",
                "Stay still in the stretch without bouncing, then relax.",
            ],
        },
        "stop_if": {
            "da": (
                "Du skal mærke et roligt stræk lavt i læggen, ikke en skarp smerte i hælen eller "
                "bag på hælen. Lidt ømhed (op til ca. 5 ud af 10) er i orden, hvis den er væk "
                "igen inden for et døgn, og de første skridt næste morgen ikke er tydeligt "
                "værre. Stop straks, og kontakt din fysioterapeut eller læge, hvis du mærker et "
                "pludseligt smæld i læggen eller bag hælen, får ny følelsesløshed eller prikken, "
                "eller får et af advarselstegnene."
            ),
            "en": (
                "You should feel a steady stretch low in the calf, not a sharp pain in or behind "
                "the heel. A little soreness (up to about 5 out of 10) is fine if it has gone "
                "within a day and your first steps the next morning are not clearly worse. "
                "Stop at once and contact your physiotherapist or doctor if you feel a sudden "
                "pop in the calf or behind the heel, get new numbness or tingling, or notice any "
                "of the warning signs."
            ),
        },
        "dosage": {
            "sets": None,
            "reps": 3,
            "hold_seconds": 30,
            "tempo_up": None,
            "tempo_hold": None,
            "tempo_down": None,
            "load": "",
            "rest_seconds": None,
            "times_per_day": 2,
            "every_n_days": 1,
            "notes": {
                "da": (
                    "2-3 gange om dagen. Det er let at lave lige efter lægstrækket med strakt "
                    "knæ: Ryk bare den bageste fod lidt frem, og bøj knæet."
                ),
                "en": (
                    "2-3 times a day. It is easy to do right after the straight-knee calf "
                    "stretch: just move the back foot a little forward and bend the knee."
                ),
            },
        },
        "stages": [],
        "illustration": "exercises/calf-stretch-bent-knee.svg",
    },
    # ------------------------------------------------------------------ strength
    {
        "slug": "heel-raise-double-leg",
        "kind": "strength",
        "conditions": ["plantar_fasciitis", "heel_bursitis", "fat_pad", "unknown"],
        "name": {
            "da": "Tåhævning på begge ben",
            "en": "Heel raise on both feet",
        },
        "purpose": {
            "da": (
                "Gør læg og fod stærkere. Det er et godt første trin, før du går videre til "
                "tungere tåhævninger."
            ),
            "en": (
                "Makes your calves and feet stronger. It is a good first step before you move "
                "on to harder heel raises."
            ),
        },
        "steps": {
            "da": [
                "Stil dig på et fladt gulv med fødderne lidt fra hinanden. Hold let fast i en "
                "stoleryg eller et bord for at holde balancen.",
                "Løft dig langsomt op på tæerne på begge fødder, så højt du kan.",
                "Bliv stående øverst et kort øjeblik.",
                "Sænk langsomt hælene ned til gulvet igen.",
                "Gentag i samme rolige tempo. De sidste gentagelser i hvert sæt skal føles "
                "hårde, men du skal stadig kunne gøre dem pænt.",
            ],
            "en": [
                "Stand on a flat floor with your feet a little apart. Rest a hand lightly on a "
                "chair back or a table for balance.",
                "Slowly rise up onto your toes on both feet, as high as you can.",
                "Stay at the top for a short moment.",
                "Slowly lower your heels back down to the floor.",
                "Repeat at the same calm pace. The last few repetitions in each set should "
                "feel hard, but you should still be able to do them well.",
            ],
        },
        "stop_if": {
            "da": (
                "Det må gerne gøre lidt ondt under øvelsen (op til ca. 5 ud af 10), hvis det er "
                "faldet til ro inden for et døgn, og de første skridt næste morgen ikke er "
                "tydeligt værre. Varer en forværring mere end 2 døgn, så lav færre gentagelser "
                "næste gang, og kontakt din fysioterapeut. Stop straks, og kontakt din "
                "fysioterapeut eller læge, hvis du mærker et pludseligt smæld i læggen eller "
                "foden, får ny følelsesløshed eller prikken, eller får et af advarselstegnene."
            ),
            "en": (
                "Some pain during the exercise is fine (up to about 5 out of 10) if it has "
                "settled within a day and your first steps the next morning are not clearly "
                "worse. If a flare-up lasts more than 2 days, do fewer repetitions next time "
                "and contact your physiotherapist. Stop at once and contact your "
                "physiotherapist or doctor if you feel a sudden pop in the calf or foot, get "
                "new numbness or tingling, or notice any of the "
                "warning signs."
            ),
        },
        "dosage": {
            "sets": 3,
            "reps": 12,
            "hold_seconds": None,
            "tempo_up": 3,
            "tempo_hold": 2,
            "tempo_down": 3,
            "load": "",
            "rest_seconds": None,
            "times_per_day": 1,
            "every_n_days": 2,
            "notes": {
                "da": (
                    "Tæl roligt: 3 sekunder op, 2 sekunder stille, 3 sekunder ned. Når 12 "
                    "gentagelser bliver lette, så gå op til 15. Kan du klare 15 uden besvær, så "
                    "spørg din fysioterapeut om næste trin."
                ),
                "en": (
                    "Count calmly: 3 seconds up, 2 seconds still, 3 seconds down. When 12 "
                    "repetitions feel easy, go up to 15. When 15 are easy, ask your "
                    "physiotherapist about the next step."
                ),
            },
        },
        "stages": [],
        "illustration": "exercises/heel-raise-double-leg.svg",
    },
    {
        "slug": "heel-raise-high-load",
        "kind": "strength",
        "conditions": ["plantar_fasciitis"],
        "name": {
            "da": "Tung tåhævning på trappetrin med håndklæde",
            "en": "Heavy heel raise on a step with a towel",
        },
        "purpose": {
            "da": (
                "Langsom og tung styrketræning af læg og fod. Håndklædet under tæerne får også "
                "svangsenen til at arbejde, så den lidt efter lidt kan vænne sig til at tåle "
                "mere."
            ),
            "en": (
                "Slow, heavy strength training for the calf and foot. The towel under your toes "
                "makes the band under your foot work too, so that bit by bit it can get used to "
                "taking more load."
            ),
        },
        "steps": {
            "da": [
                "Rul et håndklæde sammen, og læg det på et trappetrin tæt ved kanten.",
                "Stil dig på trinnet på den ømme fod med tæerne oppe på håndklædet og hælen "
                "ude over kanten. Løft den anden fod.",
                "Hold let fast i gelænderet eller væggen, men kun for balancen.",
                "Løft dig langsomt op på tæerne, så højt du kan.",
                "Bliv stående stille øverst.",
                "Sænk dig langsomt ned, til hælen er lidt under kanten af trinnet.",
                "Er det for svært på ét ben, så lav øvelsen på begge ben, og skift til ét ben, "
                "når du kan.",
            ],
            "en": [
                "Roll up a towel and put it on a step, close to the edge.",
                "Stand on the step on your sore foot, with your toes up on the towel and your "
                "heel out over the edge. Lift your other foot.",
                "Hold on lightly to the rail or the wall, but only for balance.",
                "Slowly rise up onto your toes, as high as you can.",
                "Stay still at the top.",
                "Slowly lower yourself until your heel is a little below the edge of the step.",
                "If one leg is too hard, do the exercise on both legs and change to one leg "
                "when you can.",
            ],
        },
        "stop_if": {
            "da": (
                "Det må gerne gøre ondt under øvelsen (op til ca. 5 ud af 10), hvis det er "
                "faldet til ro inden for et døgn, og de første skridt næste morgen ikke er "
                "tydeligt værre. Varer en forværring mere end 2 døgn, så gør det lettere næste "
                "gang (færre sæt, begge ben eller ingen rygsæk), og kontakt din fysioterapeut. "
                "Stop straks, og kontakt din fysioterapeut eller læge, hvis du mærker et "
                "pludseligt smæld under foden eller bag hælen, ikke kan stå på tæer bagefter, "
                "får ny følelsesløshed eller prikken, eller får et af "
                "advarselstegnene."
            ),
            "en": (
                "Some pain during the exercise is fine (up to about 5 out of 10) if it has "
                "settled within a day and your first steps the next morning are not clearly "
                "worse. If a flare-up lasts more than 2 days, make it easier next time (fewer "
                "sets, both legs, or no backpack) and contact your physiotherapist. Stop at "
                "once and contact your physiotherapist or doctor if you feel a sudden pop under "
                "your foot or behind the heel, cannot stand on your toes afterwards, get new "
                "numbness or tingling, or notice any of the warning "
                "signs."
            ),
        },
        "dosage": {
            "sets": 3,
            "reps": 12,
            "hold_seconds": None,
            "tempo_up": 3,
            "tempo_hold": 2,
            "tempo_down": 3,
            "load": "12RM",
            "rest_seconds": 120,
            "times_per_day": 1,
            "every_n_days": 2,
            "notes": {
                "da": (
                    "Hver anden dag i ca. 12 uger. Tæl: 3 sekunder op, 2 sekunder stille, "
                    '3 sekunder ned. Hold 2 minutters pause mellem sættene. "12RM" betyder en '
                    "vægt, hvor du lige netop kan klare 12 gentagelser pænt. Den sidste "
                    "gentagelse skal føles som den sidste, du kan."
                ),
                "en": (
                    "Every other day for about 12 weeks. Count: 3 seconds up, 2 seconds still, "
                    '3 seconds down. Rest 2 minutes between sets. "12RM" means a load where '
                    "you can only just do 12 good repetitions. The last one should feel like "
                    "the last one you can do."
                ),
            },
        },
        "stages": [dict(stage) for stage in _HIGH_LOAD_STAGES],
        "illustration": "exercises/heel-raise-high-load.svg",
    },
    {
        "slug": "heel-raise-floor-level",
        "kind": "strength",
        "conditions": ["heel_bursitis"],
        "name": {
            "da": "Tåhævning ned til gulvet",
            "en": "Heel raise down to floor level",
        },
        "purpose": {
            "da": (
                "Gør læggen og akillessenen stærkere uden at klemme området bag på hælen. "
                "Hælen kommer kun ned til gulvet, aldrig længere."
            ),
            "en": (
                "Makes the calf and the Achilles tendon stronger without squeezing the area at "
                "the back of the heel. The heel only comes down to the floor, never lower."
            ),
        },
        "steps": {
            "da": [
                "Stil dig på et fladt gulv, ikke på et trappetrin. Hold let fast i et bord "
                "eller en stoleryg.",
                "Løft dig op på tæerne på begge ben.",
                "Flyt vægten over på det ømme ben.",
                "Sænk langsomt hælen, til den rører gulvet. Stop der: Hælen må aldrig komme "
                "lavere end gulvet.",
                "Brug begge ben til at komme op igen, og gentag.",
                "Er det for hårdt at sænke dig på ét ben, så sænk dig på begge ben.",
            ],
            "en": [
                "Stand on a flat floor, not on a step. Rest a hand lightly on a table or a "
                "chair back.",
                "Rise up onto your toes on both legs.",
                "Shift your weight onto the sore leg.",
                "Slowly lower the heel until it touches the floor. Stop there: the heel must "
                "never go lower than the floor.",
                "Use both legs to come back up, and repeat.",
                "If lowering on one leg is too hard, lower yourself on both legs.",
            ],
        },
        "stop_if": {
            "da": (
                "Lidt ømhed bag hælen under øvelsen (op til ca. 5 ud af 10) er i orden, hvis den "
                "er faldet til ro inden for et døgn, og de første skridt næste morgen ikke er "
                "tydeligt værre. Varer en forværring mere end 2 døgn, så lav færre gentagelser "
                "eller brug begge ben, og kontakt din fysioterapeut. Stop straks, og kontakt din "
                "læge eller fysioterapeut, hvis du mærker et pludseligt smæld bag hælen eller "
                "ikke kan stå på tæer. Det samme gælder, hvis hælen bliver rød, varm og hævet, "
                "hvis du får feber, ny følelsesløshed eller prikken, "
                "eller hvis du får et af advarselstegnene."
            ),
            "en": (
                "A little soreness behind the heel during the exercise (up to about 5 out of "
                "10) is fine if it has settled within a day and your first steps the next "
                "morning are not clearly worse. If a flare-up lasts more than 2 days, do fewer "
                "repetitions or use both legs, and contact your physiotherapist. Stop at once "
                "and contact your doctor or physiotherapist if you feel a sudden pop behind the "
                "heel or cannot stand on your toes. Do the same if the heel becomes red, hot and "
                "swollen, if you get a fever, new numbness or tingling, or if you notice any of "
                "the warning signs."
            ),
        },
        "dosage": {
            "sets": 3,
            "reps": 15,
            "hold_seconds": None,
            "tempo_up": None,
            "tempo_hold": None,
            "tempo_down": None,
            "load": "",
            "rest_seconds": None,
            "times_per_day": 2,
            "every_n_days": 1,
            "notes": {
                "da": (
                    "Morgen og aften hver dag i ca. 12 uger. Lav den altid på et fladt gulv, "
                    "aldrig ude over kanten af et trappetrin."
                ),
                "en": (
                    "Morning and evening every day for about 12 weeks. Always do it on a flat "
                    "floor, never with your heel over the edge of a step."
                ),
            },
        },
        "stages": [],
        "illustration": "exercises/heel-raise-floor-level.svg",
    },
    {
        "slug": "short-foot",
        "kind": "strength",
        "conditions": ["plantar_fasciitis", "fat_pad", "unknown"],
        "name": {
            "da": "Kort fod (fodbueløft)",
            "en": "Short foot (arch lift)",
        },
        "purpose": {
            "da": "Træner de små muskler inde i foden, som hjælper med at holde fodbuen oppe.",
            "en": "Trains the small muscles inside your foot that help to hold up your arch.",
        },
        "steps": {
            "da": [
                "Sid på en stol med foden fladt på gulvet.",
                "Hold tæerne lange og afslappede. De må ikke krølle sig sammen.",
                "Træk forsigtigt forfoden tilbage mod hælen. Fodbuen hæver sig, og foden "
                "bliver lidt kortere.",
                "Hold fodbuen oppe, og slap så af igen.",
                "Når det er let, så lav øvelsen stående på begge ben og senere stående på ét ben.",
            ],
            "en": [
                "Sit on a chair with your foot flat on the floor.",
                "Keep your toes long and relaxed. Do not let them curl up.",
                "Gently pull the front of your foot back towards the heel. Your arch rises and "
                "the foot gets a bit shorter.",
                "Hold the arch up, then relax again.",
                "When this is easy, do it standing on both feet, and later standing on one foot.",
            ],
        },
        "stop_if": {
            "da": (
                "Øvelsen bør ikke gøre ondt. Lidt ømhed (op til ca. 5 ud af 10) er i orden, hvis "
                "den er væk igen inden for et døgn, og de første skridt næste morgen ikke er "
                "tydeligt værre. Får du krampe i foden, så hold en pause og ryst foden løs. "
                "Stop straks, og kontakt din fysioterapeut eller læge, hvis du får ny "
                "følelsesløshed eller prikken i foden, mærker et pludseligt smæld, eller får et af "
                "advarselstegnene."
            ),
            "en": (
                "This exercise should not hurt. A little soreness (up to about 5 out of 10) is "
                "fine if it has gone within a day and your first steps the next morning are not "
                "clearly worse. If your foot cramps, take a break and shake it loose. Stop at "
                "once and contact your physiotherapist or doctor if you get new numbness or "
                "tingling in the foot, feel a sudden pop, or notice "
                "any of the warning signs."
            ),
        },
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": 5,
            "tempo_up": None,
            "tempo_hold": None,
            "tempo_down": None,
            "load": "",
            "rest_seconds": None,
            "times_per_day": 1,
            "every_n_days": 1,
            "notes": {
                "da": (
                    "2-3 sæt hver dag. Bevægelsen er lille, og det er helt normalt. Se gerne "
                    "ned på foden de første gange."
                ),
                "en": (
                    "2-3 sets every day. The movement is small, and that is normal. It helps to "
                    "watch your foot the first few times."
                ),
            },
        },
        "stages": [],
        "illustration": "exercises/short-foot.svg",
    },
    {
        "slug": "towel-curl",
        "kind": "strength",
        "conditions": ["plantar_fasciitis", "fat_pad", "unknown"],
        "name": {
            "da": "Håndklædeøvelse",
            "en": "Towel curls",
        },
        "purpose": {
            "da": "Styrker musklerne, der bøjer tæerne og støtter foden, når du går.",
            "en": "Strengthens the muscles that bend your toes and support your foot as you walk.",
        },
        "steps": {
            "da": [
                "Sid på en stol. Læg et håndklæde fladt på et glat gulv foran den ømme fod.",
                "Sæt hælen på gulvet og tæerne på håndklædet.",
                "Krøl tæerne sammen, og træk håndklædet ind mod dig. Det er ét træk.",
                "Slip, stræk tæerne frem, og tag et nyt greb. Hælen bliver på gulvet.",
                "Når håndklædet er samlet under foden, så ret det ud igen og start forfra.",
                "Bliver det let, kan du lægge en lille vægt, fx en bog, på den anden ende af "
                "håndklædet.",
            ],
            "en": [
                "Sit on a chair. Lay a towel flat on a smooth floor in front of your sore foot.",
                "Put your heel on the floor and your toes on the towel.",
                "Scrunch your toes to drag the towel towards you. That is one pull.",
                "Let go, stretch your toes forward, and grip again. Keep your heel on the floor.",
                "When the towel is bunched up under your foot, flatten it out and start again.",
                "When it gets easy, you can put a small weight, such as a book, on the far end "
                "of the towel.",
            ],
        },
        "stop_if": {
            "da": (
                "Øvelsen bør ikke gøre ondt. Lidt ømhed (op til ca. 5 ud af 10) er i orden, hvis "
                "den er væk igen inden for et døgn, og de første skridt næste morgen ikke er "
                "tydeligt værre. Får du krampe i foden eller tæerne, så hold en pause. Stop "
                "straks, og kontakt din fysioterapeut eller læge, hvis du får ny følelsesløshed "
                "eller prikken i foden, mærker et pludseligt smæld, eller får et af "
                "advarselstegnene."
            ),
            "en": (
                "This exercise should not hurt. A little soreness (up to about 5 out of 10) is "
                "fine if it has gone within a day and your first steps the next morning are not "
                "clearly worse. If your foot or toes cramp, take a break. Stop at once and "
                "contact your physiotherapist or doctor if you get new numbness or tingling in "
                "the foot, feel a sudden pop, or notice any of the "
                "warning signs."
            ),
        },
        "dosage": {
            "sets": 2,
            "reps": 10,
            "hold_seconds": None,
            "tempo_up": None,
            "tempo_hold": None,
            "tempo_down": None,
            "load": "",
            "rest_seconds": None,
            "times_per_day": 1,
            "every_n_days": 1,
            "notes": {
                "da": "2-3 sæt med 10-15 træk hver dag. Gå op i antal, når det bliver let.",
                "en": "2-3 sets of 10-15 pulls every day. Do more when it gets easy.",
            },
        },
        "stages": [],
        "illustration": "exercises/towel-curl.svg",
    },
    # ------------------------------------------------------------------ advice
    {
        "slug": "heel-cushion-advice",
        "kind": "advice",
        "conditions": ["plantar_fasciitis", "heel_bursitis", "fat_pad", "unknown"],
        "name": {
            "da": "Hælkop og hælindlæg",
            "en": "Heel cups and heel lifts",
        },
        "purpose": {
            "da": (
                "En blød hælkop eller et hælindlæg i skoen kan tage noget af stødet, når hælen "
                "rammer jorden. Et lille hælløft kan også lette trykket bag på hælen."
            ),
            "en": (
                "A soft heel cup or heel pad in your shoe can soak up some of the shock each "
                "time your heel hits the ground. A small heel lift can also ease the pressure "
                "at the back of the heel."
            ),
        },
        "steps": {
            "da": [
                "Brug en blød hælkop, fx af silikone, eller et hælindlæg i de sko, du går mest i.",
                "Læg én i hver sko, så du står lige.",
                "Gør det ondt bag på hælen, kan et lille hælløft (en lav kile under hælen) "
                "lette trykket.",
                "Gå ikke barfodet på hårde gulve. Brug sko eller bløde hjemmesko, også indendørs.",
                "Spørg din fysioterapeut, hvis du er i tvivl om, hvilken type der passer til dig.",
            ],
            "en": [
                "Use a soft heel cup, for example made of silicone, or a heel pad in the shoes "
                "you wear most.",
                "Put one in each shoe, so you stand level.",
                "If the back of your heel hurts, a small heel lift (a low wedge under the heel) "
                "can ease the pressure.",
                "Do not walk barefoot on hard floors. Wear shoes or soft slippers, also indoors.",
                "Ask your physiotherapist if you are not sure which type suits you.",
            ],
        },
        "stop_if": {
            "da": (
                "Stop med at bruge indlægget, og spørg din fysioterapeut, hvis det giver nye "
                "trykmærker, vabler eller smerter andre steder i foden. Har du diabetes, så se "
                "efter sår, vabler, rødme eller hævelse på foden hver dag, og kontakt din læge "
                "samme dag, hvis du finder noget."
            ),
            "en": (
                "Stop using the insert and ask your physiotherapist if it causes new pressure "
                "marks, blisters or pain somewhere else in your foot. If you have diabetes, "
                "check your feet every day for wounds, blisters, redness or swelling, and "
                "contact your doctor the same day if you find any."
            ),
        },
        "dosage": {
            **_NO_DOSAGE,
            "notes": {
                "da": "Brug det hver dag, så længe din fysioterapeut anbefaler det.",
                "en": "Use it every day for as long as your physiotherapist suggests.",
            },
        },
        "stages": [],
        "illustration": "exercises/heel-cushion-advice.svg",
    },
    {
        "slug": "footwear-advice",
        "kind": "advice",
        "conditions": ["plantar_fasciitis", "heel_bursitis", "fat_pad", "unknown"],
        "name": {
            "da": "Råd om fodtøj",
            "en": "Footwear advice",
        },
        "purpose": {
            "da": "Gode sko kan tage noget af belastningen af hælen i løbet af dagen.",
            "en": "Good shoes can take some of the strain off your heel during the day.",
        },
        "steps": {
            "da": [
                "Vælg sko med en blød, støddæmpende sål og en lille hæl.",
                "Skoen skal have en fast kappe bag om hælen, der holder foden på plads. "
                "Gør det ondt bag på hælen, så vælg sko, hvor kanten bagpå ikke trykker.",
                "Undgå flade sandaler, klipklappere og høje hæle, når du skal gå eller stå længe.",
                "Gå ikke barfodet på hårde gulve, heller ikke derhjemme.",
                "Stil sko eller hjemmesko ved sengen, så du kan tage dem på, før du tager de "
                "første skridt om morgenen.",
            ],
            "en": [
                "Choose shoes with a soft, shock-absorbing sole and a small heel.",
                "The shoe should have a firm back that holds your heel in place. If the back of "
                "your heel hurts, choose shoes where the back edge does not press on it.",
                "Avoid flat sandals, flip-flops and high heels when you have to walk or stand "
                "for a long time.",
                "Do not walk barefoot on hard floors, not even at home.",
                "Keep shoes or slippers by your bed, so you can put them on before your first "
                "steps in the morning.",
            ],
        },
        "stop_if": {
            "da": (
                "Får du det tydeligt værre i nye sko, så skift tilbage, og tal med din "
                "fysioterapeut. Giver skoene vabler eller sår, og har du diabetes, så kontakt "
                "din læge samme dag."
            ),
            "en": (
                "If your heel gets clearly worse in new shoes, change back and talk to your "
                "physiotherapist. If shoes give you blisters or wounds and you have diabetes, "
                "contact your doctor the same day."
            ),
        },
        "dosage": {
            **_NO_DOSAGE,
            "notes": {
                "da": "Tænk især på dine sko de dage, hvor du går eller står meget.",
                "en": "Think about your shoes most on days when you walk or stand a lot.",
            },
        },
        "stages": [],
        "illustration": "exercises/footwear-advice.svg",
    },
    {
        "slug": "ice",
        "kind": "advice",
        "conditions": ["plantar_fasciitis", "heel_bursitis", "fat_pad", "unknown"],
        "name": {
            "da": "Is på hælen",
            "en": "Ice on the heel",
        },
        "purpose": {
            "da": (
                "Kulde kan dæmpe smerterne for en stund, fx efter en dag med meget gang eller "
                "stående arbejde. Isen behandler ikke selve årsagen."
            ),
            "en": (
                "Cold can ease the pain for a while, for example after a day with a lot of "
                "walking or standing. The ice does not treat the cause itself."
            ),
        },
        "steps": {
            "da": [
                "Pak en ispose eller en pose frosne ærter ind i et tyndt viskestykke. Læg "
                "aldrig is direkte på huden.",
                "Sæt dig eller læg dig med foden hævet, fx på en skammel.",
                "Læg isen på det ømme sted på hælen.",
                "Lad den ligge i op til 20 minutter.",
                "Du kan gentage det efter 2-3 timer, hvis du har brug for det.",
            ],
            "en": [
                "Wrap an ice pack or a bag of frozen peas in a thin tea towel. Never put ice "
                "straight onto your skin.",
                "Sit or lie down with your foot raised, for example on a footstool.",
                "Place the ice on the sore spot on your heel.",
                "Leave it there for up to 20 minutes.",
                "You can do it again after 2-3 hours if you need to.",
            ],
        },
        "stop_if": {
            "da": (
                "Tag isen af med det samme, hvis huden bliver hvid, meget rød, får blærer eller "
                "bliver følelsesløs. Har du diabetes, nedsat følesans i foden eller dårligt "
                "blodomløb, så spørg din læge eller fysioterapeut, før du bruger is. Er hælen "
                "rød, varm og hævet, eller har du feber, så kontakt din læge samme dag."
            ),
            "en": (
                "Take the ice off at once if your skin turns white, very red, blisters or goes "
                "numb. If you have diabetes, reduced feeling in your foot or poor blood flow, "
                "ask your doctor or physiotherapist before you use ice. If your heel is red, hot "
                "and swollen, or you have a fever, contact your doctor the same day."
            ),
        },
        "dosage": {
            **_NO_DOSAGE,
            "notes": {
                "da": "Efter behov: højst 20 minutter ad gangen og med 2-3 timer imellem.",
                "en": "When needed: no more than 20 minutes at a time, with 2-3 hours in between.",
            },
        },
        "stages": [],
        "illustration": "exercises/ice.svg",
    },
    {
        "slug": "night-splint",
        "kind": "advice",
        "conditions": ["plantar_fasciitis"],
        "name": {
            "da": "Natskinne",
            "en": "Night splint",
        },
        "purpose": {
            "da": (
                "En natskinne holder foden bøjet let op mod skinnebenet, mens du sover, så "
                "svangsenen og læggen ikke strammer til om natten. Det kan gøre de første skridt "
                "om morgenen lettere."
            ),
            "en": (
                "A night splint holds your foot gently bent up towards your shin while you "
                "sleep, so the band under your foot and your calf do not tighten up overnight. "
                "This can make the first steps in the morning easier."
            ),
        },
        "steps": {
            "da": [
                "Brug kun en natskinne, som din fysioterapeut eller fodterapeut har anbefalet "
                "og tilpasset til dig.",
                "Tag den på, når du går i seng. Spænd remmene, så den sidder fast uden at stramme.",
                "Er det svært at sove med den, så tal med din fysioterapeut om at starte med "
                "kortere tid.",
                "Tag den af om morgenen, og lav gerne strækket af svangsenen, før du går de "
                "første skridt.",
                "Den bruges ofte i 1-3 måneder. Din fysioterapeut siger, hvor længe du skal "
                "bruge den.",
            ],
            "en": [
                "Only use a night splint that your physiotherapist or podiatrist has suggested "
                "and fitted for you.",
                "Put it on when you go to bed. Do up the straps so it stays in place without "
                "being tight.",
                "If it is hard to sleep with it on, talk to your physiotherapist about starting "
                "with shorter periods.",
                "Take it off in the morning, and do the plantar fascia stretch before your "
                "first steps.",
                "It is often used for 1-3 months. Your physiotherapist will tell you how long "
                "to use it.",
            ],
        },
        "stop_if": {
            "da": (
                "Tag skinnen af, hvis tæerne bliver kolde, blege eller blålige, hvis du får "
                "prikken eller følelsesløshed, eller hvis den giver trykmærker, vabler eller "
                "sår. Tal med din fysioterapeut, før du tager den på igen. Har du diabetes eller "
                "nedsat følesans i foden, så se efter mærker på huden hver morgen."
            ),
            "en": (
                "Take the splint off if your toes turn cold, pale or bluish, if you get "
                "tingling or numbness, or if it causes pressure marks, blisters or sores. Talk "
                "to your physiotherapist before you put it on again. If you have diabetes or "
                "reduced feeling in your foot, check your skin for marks every morning."
            ),
        },
        "dosage": {
            **_NO_DOSAGE,
            "notes": {
                "da": "Om natten, så længe din fysioterapeut anbefaler det.",
                "en": "At night, for as long as your physiotherapist suggests.",
            },
        },
        "stages": [],
        "illustration": "exercises/night-splint.svg",
    },
]


# Where the advice items below come from (clinical-evidence.md, sections 1.1, 1.2 and 1.4);
# named to the patient under each item.
_APTA_2014 = (
    "Martin RL, et al. Heel pain - plantar fasciitis: revision 2014 (APTA clinical practice "
    "guideline). J Orthop Sports Phys Ther 2014;44(11):A1-A33"
)
_APTA_2023 = (
    "Koc TA Jr, et al. Heel pain - plantar fasciitis: revision 2023 (APTA clinical practice "
    "guideline). J Orthop Sports Phys Ther 2023;53(12):CPG1-CPG39"
)
_MORRISSEY_2021 = (
    "Morrissey D, et al. Management of plantar heel pain: a best practice guide. Br J Sports "
    "Med 2021;55(19):1106-1118"
)
_NICE_CKS = "NICE Clinical Knowledge Summaries: Plantar fasciitis (cks.nice.org.uk)"
_NHS_PF = "NHS: Plantar fasciitis (nhs.uk/conditions/plantar-fasciitis)"
_SILBERNAGEL_2007 = (
    "Silbernagel KG, et al. Continued sports activity, using a pain-monitoring model. Am J "
    "Sports Med 2007;35(6):897-906"
)

# Advice items added in issue 14: taping, insoles and load management, which the sources
# recommend beside the exercises (taping and orthoses grade A/B in the APTA guideline; taping
# and load education core treatment in Morrissey 2021).
ADVICE_ADDED = [
    {
        "slug": "low-dye-taping",
        "kind": "advice",
        "conditions": ["plantar_fasciitis"],
        "name": {"da": "Tape af foden (low-Dye)", "en": "Low-Dye taping of the foot"},
        "purpose": {
            "da": (
                "Fast tape, der støtter fodens bue, kan lette smerten under hælen med det samme "
                "og i op til et par uger. Tapen hjælper, mens øvelserne virker. Den er ikke en "
                "behandling i sig selv."
            ),
            "en": (
                "Firm tape that supports the arch of your foot can ease the pain under your "
                "heel straight away and for up to a few weeks. The tape helps while the "
                "exercises work. It is not a treatment on its own."
            ),
        },
        "steps": {
            "da": [
                "Lad din fysioterapeut sætte tapen på første gang og vise dig, hvordan du gør.",
                "Brug fast sportstape, ca. 2,5 cm bred. Huden skal være ren og tør, uden creme.",
                "Sæt først en strimmel løst rundt om forfoden lige bag tæerne.",
                "Sæt så 3-4 strimler fra ydersiden af forfoden, rundt om hælen og tilbage til "
                "indersiden. Hold buen løftet, mens du sætter dem på.",
                "Luk af med en strimmel på tværs af forfoden. Tapen må ikke stramme.",
                "Tapen kan sidde i 2-3 dage. Tag den forsigtigt af, og giv huden en dag fri.",
                "Hjælper tapen, så fortæl det til din fysioterapeut: så hjælper indlægssåler "
                "med svangstøtte ofte også.",
            ],
            "en": [
                "Let your physiotherapist put the tape on the first time and show you how.",
                "Use firm sports tape, about 2.5 cm wide. Your skin must be clean and dry, "
                "with no cream.",
                "First put a strip loosely around the front of your foot, just behind the toes.",
                "Then put 3-4 strips from the outside of the front of your foot, around the "
                "heel and back to the inside. Keep the arch lifted while you put them on.",
                "Finish with a strip across the front of your foot. The tape must not be tight.",
                "The tape can stay on for 2-3 days. Take it off gently and give your skin a day "
                "off.",
                "If the tape helps, tell your physiotherapist: insoles with arch support often "
                "help too.",
            ],
        },
        "stop_if": {
            "da": (
                "Tag tapen af, hvis huden klør, bliver rød eller får vabler, eller hvis tæerne "
                "bliver kolde, blege, blålige eller følelsesløse. Har du diabetes, nedsat "
                "følesans eller dårligt blodomløb i foden, så brug ikke tape uden at have talt "
                "med din læge eller fysioterapeut."
            ),
            "en": (
                "Take the tape off if your skin itches, turns red or blisters, or if your toes "
                "turn cold, pale, bluish or numb. If you have diabetes, reduced feeling or poor "
                "blood flow in your foot, do not use tape before you have talked to your doctor "
                "or physiotherapist."
            ),
        },
        "dosage": {
            **_NO_DOSAGE,
            "notes": {
                "da": "Efter aftale med din fysioterapeut, oftest i de første 2-3 uger.",
                "en": "As agreed with your physiotherapist, usually in the first 2-3 weeks.",
            },
        },
        "stages": [],
        "illustration": "exercises/low-dye-taping.svg",
        "sources": [_APTA_2014, _APTA_2023, _MORRISSEY_2021],
    },
    {
        "slug": "arch-support-insoles",
        "kind": "advice",
        "conditions": ["plantar_fasciitis", "fat_pad", "unknown"],
        "name": {"da": "Indlægssåler med svangstøtte", "en": "Arch-support insoles"},
        "purpose": {
            "da": (
                "Indlægssåler, der støtter fodens bue og er bløde under hælen, kan tage noget af "
                "belastningen af svangsenen. De virker bedst sammen med øvelserne."
            ),
            "en": (
                "Insoles that support the arch of your foot and are soft under the heel can "
                "take some of the load off the band under your foot. They work best together "
                "with the exercises."
            ),
        },
        "steps": {
            "da": [
                "Prøv færdige indlægssåler med svangstøtte og en blød hæl. Du kan købe dem på "
                "apoteket, i en sportsbutik eller hos en fodterapeut.",
                "Læg dem i de sko, du går mest i. Tag skoens egen sål ud først.",
                "Gå med dem 1-2 timer de første dage, og brug dem så lidt længere hver dag.",
                "Brug dem hver dag i nogle uger, før du afgør, om de hjælper.",
                "Er du ikke blevet bedre efter ca. 12 uger med øvelser, så spørg din "
                "fysioterapeut, om en fodterapeut skal lave såler, der passer til din fod.",
            ],
            "en": [
                "Try ready-made insoles with arch support and a soft heel. You can buy them at "
                "a pharmacy, a sports shop or from a podiatrist.",
                "Put them in the shoes you walk in most. Take out the shoe's own insole first.",
                "Wear them for 1-2 hours the first days, then a little longer each day.",
                "Use them every day for a few weeks before you decide whether they help.",
                "If you are not better after about 12 weeks of exercises, ask your "
                "physiotherapist whether a podiatrist should make insoles that fit your foot.",
            ],
        },
        "stop_if": {
            "da": (
                "Får du ondt andre steder, fx i buen, knæet eller hoften, eller giver sålerne "
                "trykmærker eller vabler, så hold pause med dem, og tal med din fysioterapeut. "
                "Har du diabetes, så se efter mærker på huden hver dag, og lad en fodterapeut "
                "vælge sålerne."
            ),
            "en": (
                "If you get pain somewhere else, for example in the arch, knee or hip, or the "
                "insoles cause pressure marks or blisters, stop using them for a while and talk "
                "to your physiotherapist. If you have diabetes, check your skin for marks every "
                "day and let a podiatrist choose the insoles."
            ),
        },
        "dosage": {
            **_NO_DOSAGE,
            "notes": {
                "da": "Hver dag i de sko, du bruger mest.",
                "en": "Every day, in the shoes you wear most.",
            },
        },
        "stages": [],
        "illustration": "exercises/arch-support-insoles.svg",
        "sources": [_APTA_2014, _APTA_2023, _MORRISSEY_2021, _NICE_CKS],
    },
    {
        "slug": "load-management",
        "kind": "advice",
        "conditions": ["plantar_fasciitis", "heel_bursitis", "fat_pad", "unknown"],
        "name": {"da": "Belastning i hverdagen", "en": "Managing load in daily life"},
        "purpose": {
            "da": (
                "Hælen bliver bedre, når den får tilpas meget at lave: lidt mindre af det, der "
                "gør den tydeligt værre, men ikke hvile. Bevægelse holder foden stærk."
            ),
            "en": (
                "Your heel gets better when it has just the right amount to do: a little less "
                "of what makes it clearly worse, but not rest. Moving keeps your foot strong."
            ),
        },
        "steps": {
            "da": [
                "Skær ned på det, der gør hælen tydeligt værre, i en periode: lange gåture, at "
                "stå længe på hårdt gulv, løb, hop, trapper og bakker.",
                "Hold dig i gang med det, hælen tåler: fx cykling, svømning eller styrketræning "
                "for resten af kroppen.",
                "Har du stående arbejde, så hold små pauser, sid ned, når du kan, og stå gerne "
                "på en blød måtte.",
                "Smerte op til ca. 5 ud af 10 under en aktivitet er i orden, hvis den er faldet "
                "til ro inden for et døgn, og de første skridt næste morgen ikke er værre.",
                "Vil du løbe igen, så vent, til du kan gå 30 minutter uden at få det værre næste "
                "morgen. Start med korte ture på blødt underlag hver anden dag, og øg med højst "
                "ca. 10 % om ugen.",
                "Vejer du for meget, letter selv et lille vægttab belastningen af hælen.",
            ],
            "en": [
                "For a while, cut down on what makes your heel clearly worse: long walks, "
                "standing for long on hard floors, running, jumping, stairs and hills.",
                "Keep active with what your heel tolerates: for example cycling, swimming or "
                "strength training for the rest of your body.",
                "If you work standing up, take short breaks, sit down when you can, and stand "
                "on a soft mat if possible.",
                "Pain up to about 5 out of 10 during an activity is all right if it has settled "
                "within a day and your first steps the next morning are not worse.",
                "If you want to run again, wait until you can walk for 30 minutes without "
                "being worse the next morning. Start with short runs on soft ground every other "
                "day, and add no more than about 10 % a week.",
                "If you weigh too much, even a small weight loss takes some load off your heel.",
            ],
        },
        "stop_if": {
            "da": (
                "Er de første skridt om morgenen tydeligt værre 2 dage i træk, så skær ned igen, "
                "og fortæl det til din fysioterapeut."
            ),
            "en": (
                "If your first steps in the morning are clearly worse 2 days running, cut down "
                "again and tell your physiotherapist."
            ),
        },
        "dosage": {
            **_NO_DOSAGE,
            "notes": {
                "da": "Hver dag: lidt mindre af det, der gør ondt, og mere af det, der ikke gør.",
                "en": "Every day: a little less of what hurts, and more of what does not.",
            },
        },
        "stages": [],
        "illustration": "exercises/load-management.svg",
        "sources": [_MORRISSEY_2021, _APTA_2014, _SILBERNAGEL_2007, _NHS_PF],
    },
]
EXERCISES += ADVICE_ADDED

for _exercise in EXERCISES:
    for _language, _sentence in CALF_STOP.items():
        _exercise["stop_if"][_language] = f"{_exercise['stop_if'][_language]} {_sentence}"


TEMPLATES: list[dict] = [
    {
        "slug": "haelspore-standard",
        "name": {"da": "Hælspore - standard", "en": "Plantar heel pain - standard"},
        "condition": "plantar_fasciitis",
        "description": {
            "da": (
                "Grundprogram ved smerter under hælen: stræk af svangsenen, to lægstræk og "
                "tåhævninger, der starter på begge ben i 2 uger og derefter bliver gradvist "
                "tungere på ét ben over ca. 12 uger, samt råd om fodtøj. Din fysioterapeut "
                "tilpasser programmet til dig."
            ),
            "en": (
                "Basic programme for pain under the heel: a plantar fascia stretch, two calf "
                "stretches and heel raises that start on both legs for 2 weeks and then get "
                "gradually heavier on one leg over about 12 weeks, plus footwear advice. Your "
                "physiotherapist adjusts the programme to you."
            ),
        },
        "items": [
            {"exercise": "plantar-fascia-stretch"},
            {"exercise": "calf-stretch-straight-knee"},
            {"exercise": "calf-stretch-bent-knee"},
            {
                "exercise": "heel-raise-high-load",
                # No load rule of its own: the double-leg stage is body weight, and each
                # high-load stage names its own ("12RM", ...).
                "dosage": {"load": ""},
                "stages": [dict(stage) for stage in _TEMPLATE_HEEL_RAISE_STAGES],
            },
            {"exercise": "footwear-advice"},
        ],
    },
    {
        "slug": "haelbursitis",
        "name": {"da": "Hælbursitis", "en": "Heel bursitis"},
        "condition": "heel_bursitis",
        "description": {
            "da": (
                "Program ved smerter bag på hælen: tåhævninger, hvor hælen aldrig kommer under "
                "gulvniveau, råd om hælløft og fodtøj, der ikke trykker bag på hælen, og is ved "
                "behov. Der er med vilje ingen dybe lægstræk i starten, fordi de kan klemme "
                "området bag hælen."
            ),
            "en": (
                "Programme for pain at the back of the heel: heel raises where the heel never "
                "goes below floor level, advice on heel lifts and on shoes that do not press "
                "on the back of the heel, and ice when needed. On purpose, there are no deep "
                "calf stretches at the start, because they can squeeze the area behind the "
                "heel."
            ),
        },
        "items": [
            {"exercise": "heel-raise-floor-level"},
            {"exercise": "heel-cushion-advice"},
            {"exercise": "footwear-advice"},
            {"exercise": "ice"},
        ],
    },
    {
        "slug": "haelpudedefekt",
        "name": {"da": "Hælpudedefekt", "en": "Heel fat-pad pain"},
        "condition": "fat_pad",
        "description": {
            "da": (
                "Program ved ømhed midt under hælen: det vigtigste er at dæmpe stødet mod hælen "
                "med hælkop og gode sko og at passe på, hvor meget du går og står på hårdt "
                "underlag. Dertil lette styrkeøvelser for foden. Din fysioterapeut kan tilføje "
                "flere øvelser efter behov."
            ),
            "en": (
                "Programme for soreness in the middle of the heel pad: the main thing is to "
                "soften the impact on the heel with a heel cup and good shoes, and to watch how "
                "much you walk and stand on hard surfaces. Gentle strength exercises for the "
                "foot are added. Your physiotherapist can add more exercises as needed."
            ),
        },
        "items": [
            {"exercise": "heel-cushion-advice"},
            {"exercise": "footwear-advice"},
            {"exercise": "short-foot"},
            {"exercise": "towel-curl"},
        ],
    },
]
