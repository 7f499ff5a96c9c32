"""The lessons' text, written by the project in its own words from the facts in clinical.md and
clinical-evidence.md (which name the sources below).

Why Python data and not Markdown files: a body is a short list of paragraphs and bullet lists,
which needs no parser and no new dependency; lessons.render escapes every string, so no
markup can slip in, and the only inline markup, a link written [text](/path/), may point only
into the app. The readability test, the loader (lessons.sync) and a reviewer read the same
structure, and a change shows as a plain diff.

A lesson:

- slug: its address (/learn/<slug>/), never changed once published.
- unlock_week: the week of the episode it unlocks in (week 1 starts on day 1); `order` is
  the position in this list.
- version: raise it whenever the text changes, so `lessons_sync` updates the stored row and a
  clinic reviewing the content can see what it approved.
- sources: keys of SOURCES, named at the end of the lesson.
- title/body per language ("da" first, "en" complete). A body block is a paragraph (str) or a
  bullet list (list of str).
"""

SOURCES = {
    "apta-2014": "Martin RL, et al. Heel pain - plantar fasciitis: revision 2014 (APTA clinical "
    "practice guideline). J Orthop Sports Phys Ther 2014;44(11):A1-A33",
    "apta-2023": "Koc TA Jr, et al. Heel pain - plantar fasciitis: revision 2023 (APTA clinical "
    "practice guideline). J Orthop Sports Phys Ther 2023;53(12):CPG1-CPG39",
    "morrissey-2021": "Morrissey D, et al. Management of plantar heel pain: a best practice "
    "guide. Br J Sports Med 2021;55(19):1106-1118",
    "nice-cks": "NICE Clinical Knowledge Summaries: Plantar fasciitis (cks.nice.org.uk)",
    "nhs-pf": "NHS: Plantar fasciitis (nhs.uk/conditions/plantar-fasciitis)",
    "nhs-heel": "NHS: Heel pain (nidirect.gov.uk/conditions/heel-pain)",
    "nhs-referral": "NHS Tayside and NHS Lothian referral guides: plantar heel pain",
    "trojian-2019": "Trojian T, Tucker AK. Plantar fasciitis. Am Fam Physician 2019;99(12):744-750",
    "tu-2011": "Tu P, Bytomski JR. Diagnosis of heel pain. Am Fam Physician 2011;84(8):909-916",
    "hansen-2018": "Hansen L, et al. Long-term prognosis of plantar fasciitis: a 5- to 15-year "
    "follow-up. Orthop J Sports Med 2018;6(3)",
    "dssf-2015": "Rathleff MS. Fagligt katalog: Fasciitis plantaris. Dansk Selskab for "
    "Sportsfysioterapi 2015",
    "silbernagel-2007": "Silbernagel KG, et al. The pain-monitoring model. Am J Sports Med 2007",
    "riel-fixheel": "Riel H, et al. FIX-Heel: corticosteroid injection plus exercise versus "
    "advice and a heel cup. Br J Sports Med 2023",
    "cochrane-2017": "David JA, et al. Injected corticosteroids for treating plantar heel pain "
    "in adults. Cochrane Database Syst Rev 2017;CD009348",
    "acfas-2018": "Schneider HP, et al. ACFAS clinical consensus statement: heel pain. "
    "J Foot Ankle Surg 2018;57(2):370-381",
    "nice-ng19": "NICE NG19: Diabetic foot problems",
    "nice-ng65": "NICE NG65: Spondyloarthritis in over 16s",
}

# The topics clinical.md ("Patient education") asks for, each covered by the lesson named.
TOPICS = {
    "what is happening in the heel": "what-is-happening",
    "how long it takes": "how-long",
    "when to seek care": "when-to-seek-care",
    "load management": "load-management",
    "symptoms": "symptoms",
    "shoes and heel cups": "shoes-and-heel-cups",
    "causes and risk factors": "causes",
    "pain relief from the pharmacy": "pain-relief",
    "ice": "ice",
    "arch-support insoles": "insoles",
    "taping": "taping",
    "night splint": "night-splint",
    "what may come later": "later-treatments",
    "weight": "weight",
    "prevention": "prevention",
}

LESSONS = [
    {
        "slug": "what-is-happening",
        "unlock_week": 1,
        "version": 1,
        "sources": ["apta-2014", "nhs-referral", "tu-2011"],
        "da": {
            "title": "Hvad sker der i hælen?",
            "body": [
                "Under foden løber en stærk og flad sene fra hælen ud mod tæerne. Den hedder "
                "svangsenen. Den holder fodens bue, når du går og står.",
                "Ved hælspore har senen fået for meget at bære. Den er øm der, hvor den sidder "
                "fast på hælen. Det er ikke en farlig skade. Senen tåler bare mindre end før.",
                "Andre dele kan også gøre ondt. Bag hælen ligger en lille slimsæk. Den kan "
                "blive hævet og øm. Under hælen ligger en pude af fedt. Den tager stødet, når "
                "du går. Er puden tynd eller øm, gør det ondt midt under hælen.",
                "Mange har en lille spids af knogle på hælen, når den ses på et røntgenbillede. "
                "Den har mange også uden at have ondt. Den er sjældent årsagen til smerten. "
                "Derfor skal den som regel ikke fjernes. Et billede ændrer sjældent på, hvad "
                "der hjælper.",
                "Din fysioterapeut har set på din fod. Spørg, hvis du er i tvivl om, hvad der "
                "gør ondt hos dig.",
            ],
        },
        "en": {
            "title": "What is happening in your heel",
            "body": [
                "A strong, flat band runs under your foot from the heel to the toes. It is "
                "called the plantar fascia. It holds up the arch of your foot when you walk "
                "and stand.",
                "In plantar heel pain (often called a heel spur), this band has had more to "
                "carry than it could take. It is sore where it attaches to the heel bone. It "
                "is not a dangerous injury. The band simply tolerates less than before.",
                "Other parts can hurt too. Behind the heel lies a small fluid-filled sac, the "
                "bursa. It can become swollen and tender. Under the heel lies a pad of fat "
                "that absorbs the shock when you walk. If the pad is thin or sore, the middle "
                "of the heel hurts.",
                "Many people have a small spike of bone on the heel on an X-ray. Many have "
                "one without any pain. It is rarely the cause of the pain, so it usually does "
                "not need removing, and an X-ray rarely changes what helps.",
                "Your physiotherapist has examined your foot. Ask if you are unsure what is "
                "causing your pain.",
            ],
        },
    },
    {
        "slug": "how-long",
        "unlock_week": 1,
        "version": 1,
        "sources": ["trojian-2019", "nhs-referral", "hansen-2018", "morrissey-2021"],
        "da": {
            "title": "Hvor lang tid tager det?",
            "body": [
                "Ondt i hælen går som regel over. Men det tager tid. Regn med måneder og ikke "
                "uger. Cirka 8 ud af 10 har det godt igen inden for et år.",
                "Det hjælper at gå i gang tidligt. Jo før du tager hensyn til hælen og laver "
                "dine øvelser, jo bedre.",
                "Vejen frem er sjældent lige. Der kommer gode og dårlige uger. En dårlig uge "
                "betyder ikke, at du er gået i stå. Se på kurven over flere uger og ikke på en "
                "enkelt dag.",
                "Efter 6 uger ser du og din fysioterapeut på planen sammen. Er du ikke bedre "
                "efter 12 uger, skal din læge eller fysioterapeut se på foden igen. Din "
                "fysioterapeut kan flytte de uger.",
                "Nogle har ondt i længere tid. Så er der flere ting at prøve. Dem kan du læse "
                "om senere.",
            ],
        },
        "en": {
            "title": "How long it takes",
            "body": [
                "Heel pain usually goes away, but it takes time. Think in months, not weeks. "
                "About 8 in 10 people are better within a year.",
                "Starting early helps. The sooner you take care of the load on your heel and "
                "do your exercises, the better.",
                "The road is rarely straight. There will be good weeks and bad weeks. A bad "
                "week does not mean you have stopped improving. Look at the chart over several "
                "weeks, not at a single day.",
                "After 6 weeks you and your physiotherapist review the plan together. If you "
                "are not better after 12 weeks, your doctor or physiotherapist should examine "
                "the foot again. Your physiotherapist can move these weeks.",
                "Some people have pain for longer. Then there are more things to try; a later "
                "lesson tells you about them.",
            ],
        },
    },
    {
        "slug": "when-to-seek-care",
        "unlock_week": 2,
        "version": 1,
        "sources": ["nhs-pf", "nhs-heel", "nice-ng19", "nice-ng65", "nhs-referral"],
        "da": {
            "title": "Hvornår skal du søge hjælp?",
            "body": [
                "De fleste med ondt i hælen klarer sig med øvelser og gode råd. Men nogle tegn "
                "skal du tage alvorligt.",
                "Ring 112, hvis det er livstruende. Ellers kontakt din egen læge samme dag, "
                "eller lægevagten uden for åbningstid, hvis:",
                [
                    "du ikke kan støtte på foden efter et fald, et hop eller et vrid",
                    "du mærker et pludseligt smæld under eller bag hælen",
                    "foden er rød, varm og hævet, eller du har feber",
                    "læggen er hævet, rød, varm eller øm",
                    "du har diabetes og får et sår, en vable eller rødme på foden",
                    "foden er kold, bleg eller blå",
                ],
                "Kontakt din læge inden for få dage, hvis:",
                [
                    "foden prikker, snurrer eller føles død",
                    "smerten vækker dig om natten eller er der hele tiden",
                    "du taber dig uden at ville det",
                    "begge hæle gør ondt, og du også har hævede led",
                    "smerten er så stærk, at du ikke kan klare din dag, eller den bliver hurtigt "
                    "værre",
                ],
                "En brændende eller murrende smerte i hælen er almindelig. Den er ikke farlig i "
                "sig selv.",
                "Appen spørger til tegnene en gang om ugen. Den ser også på din morgensmerte. "
                "Er den ikke faldet efter 6 og 12 uger, råder appen dig til at få planen set "
                "efter. Læs mere på siden [Om appen](/about/).",
            ],
        },
        "en": {
            "title": "When to seek care",
            "body": [
                "Most people with heel pain manage with exercises and good advice. But some "
                "signs must be taken seriously.",
                "Call 112 if it is life-threatening. Otherwise contact your own doctor the same "
                "day, or the after-hours doctor (lægevagt) outside opening hours, if:",
                [
                    "you cannot stand on the foot after a fall, a jump or a twist",
                    "you feel a sudden pop under or behind the heel",
                    "the foot is red, hot and swollen, or you have a fever",
                    "your calf is swollen, red, warm or tender",
                    "you have diabetes and get a wound, a blister or redness on the foot",
                    "the foot is cold, pale or bluish",
                ],
                "Contact your doctor within a few days if:",
                [
                    "the foot tingles, prickles or feels numb",
                    "the pain wakes you at night or is there all the time",
                    "you lose weight without trying",
                    "both heels hurt and you also have swollen joints",
                    "the pain is so bad that you cannot manage your day, or it gets worse fast",
                ],
                "A burning or aching heel is common. It is not dangerous in itself.",
                "The app asks about these signs once a week. It also follows your morning "
                "pain. If it has not come down after 6 and 12 weeks, the app suggests that you "
                "have your plan reviewed. Read more on the [About haelapp](/about/) page.",
            ],
        },
    },
    {
        "slug": "load-management",
        "unlock_week": 3,
        "version": 1,
        "sources": ["morrissey-2021", "silbernagel-2007", "nhs-pf"],
        "da": {
            "title": "Skru ned, men hold dig i gang",
            "body": [
                "Senen skal have noget at lave, men ikke for meget. Ro alene gør den ikke stærk.",
                "Skru ned for det, der gør mest ondt. Det kan være lange ture, løb, hop eller "
                "mange timer på et hårdt gulv.",
                "Hold fast i det, du kan tåle. Cykling og svømning skåner hælen og holder dig "
                "i form.",
                "Lidt ondt under øvelserne er i orden. Smerten må være op til 5 ud af 10. Den "
                "skal være væk igen inden for et døgn. Og næste morgen må de første skridt "
                "ikke gøre mere ondt end ellers.",
                "Varer det værre end normalt mere end 2 døgn, så skru ned. Tag færre sæt, brug "
                "begge ben eller drop vægten. Og tal med din fysioterapeut.",
                "Vil du tilbage til løb eller lange dage på benene? Byg op lidt ad gangen, uge "
                "for uge. Lyt til hælen næste morgen.",
            ],
        },
        "en": {
            "title": "Cut down, but keep going",
            "body": [
                "The plantar fascia needs something to do, but not too much. Rest alone does "
                "not make it strong.",
                "Cut down on what hurts most. That may be long walks, running, jumping or many "
                "hours on a hard floor.",
                "Keep what you can tolerate. Cycling and swimming spare the heel and keep you fit.",
                "Some pain during the exercises is fine. It may be up to 5 out of 10. It should "
                "settle within a day, and the next morning your first steps should not hurt "
                "more than usual.",
                "If it stays worse than usual for more than 2 days, cut down: fewer sets, both "
                "legs instead of one, or no extra weight. And tell your physiotherapist.",
                "Want to go back to running or long days on your feet? Build up a little at a "
                "time, week by week, and listen to your heel the next morning.",
            ],
        },
    },
    {
        "slug": "symptoms",
        "unlock_week": 4,
        "version": 1,
        "sources": ["apta-2014", "tu-2011"],
        "da": {
            "title": "Hvordan føles det?",
            "body": [
                "Det typiske er smerte under hælen, mest på den inderste side.",
                "Det gør mest ondt ved de første skridt om morgenen. Det samme sker, når du "
                "rejser dig efter at have siddet længe. Det kaldes startsmerter.",
                "Smerten letter tit, når du har gået lidt. Men den kan komme igen sidst på "
                "dagen, når du har stået eller gået meget.",
                "Hælen kan føles stiv. Den kan også brænde eller murre. Det er helt almindeligt.",
                "Gør det ondt bag på hælen, kan det være slimsækken. Gør det ondt midt under "
                "hælen, som et blåt mærke, kan det være puden af fedt.",
                "Derfor spørger appen til dine første skridt hver morgen. Det er det bedste mål "
                "for, hvordan det går.",
            ],
        },
        "en": {
            "title": "Symptoms",
            "body": [
                "The typical sign is pain under the heel, mostly on the inner side.",
                "It hurts most with the first steps in the morning. The same happens when you "
                "get up after sitting for a long time. This is called start-up pain.",
                "The pain often eases once you have walked a little. But it can come back late "
                "in the day after a lot of standing or walking.",
                "The heel can feel stiff. It can also burn or ache. That is quite normal.",
                "Pain at the back of the heel may come from the bursa. Pain in the middle of "
                "the heel, like a bruise, may come from the fat pad.",
                "That is why the app asks about your first steps every morning. It is the best "
                "measure of how you are doing.",
            ],
        },
    },
    {
        "slug": "shoes-and-heel-cups",
        "unlock_week": 5,
        "version": 1,
        "sources": ["nhs-pf", "nice-cks", "riel-fixheel", "tu-2011"],
        "da": {
            "title": "Sko og hælkopper",
            "body": [
                "Gode sko tager en del af stødet fra hælen.",
                [
                    "Vælg sko med en blød sål og en lille hæl.",
                    "Bagkappen skal være fast, så den holder hælen på plads.",
                    "Gå ikke med bare fødder på hårde gulve. Brug sko eller sandaler med "
                    "støtte, også inde.",
                    "Drop høje hæle, klipklapper og helt flade sko med tynd sål.",
                ],
                "En hælkop er en blød pude, som du lægger i skoen under hælen. Den tager noget "
                "af trykket. Du kan købe den på apoteket eller i en sportsbutik. Den hjælper "
                "mest, hvis puden af fedt under hælen er øm.",
                "Gør det ondt bag på hælen? Så kan et lille hælløft i skoen lette trykket. Vælg "
                "sko, der ikke trykker bag på hælen.",
            ],
        },
        "en": {
            "title": "Shoes and heel cups",
            "body": [
                "Good shoes take some of the shock off the heel.",
                [
                    "Choose shoes with a cushioned sole and a small heel.",
                    "The heel counter should be firm, so that it holds the heel in place.",
                    "Do not walk barefoot on hard floors. Wear shoes or sandals with support, "
                    "indoors too.",
                    "Avoid high heels, flip-flops and completely flat shoes with thin soles.",
                ],
                "A heel cup is a soft pad you put in the shoe under the heel. It takes some of "
                "the pressure. You can buy one at the pharmacy or a sports shop. It helps most "
                "when the fat pad under the heel is sore.",
                "Pain at the back of the heel? A small heel lift in the shoe can ease the "
                "pressure. Choose shoes that do not press on the back of the heel.",
            ],
        },
    },
    {
        "slug": "causes",
        "unlock_week": 6,
        "version": 1,
        "sources": ["apta-2014", "dssf-2015"],
        "da": {
            "title": "Hvorfor får man ondt i hælen?",
            "body": [
                "Tit er der ikke én årsag. Senen har i en periode fået mere, end den kunne tåle.",
                "Det ses oftere, hvis du:",
                [
                    "står eller går meget på hårdt gulv i dit arbejde",
                    "løber, især hvis du har løbet mere på kort tid",
                    "vejer for meget",
                    "har stramme lægmuskler, så foden er svær at bøje op",
                    "er blevet lidt ældre",
                    "har en fod med en meget flad eller meget høj bue",
                ],
                "Ondt i hælen er en af de mest almindelige grunde til at gå til læge med foden. "
                "Det er ikke et tegn på, at du har gjort noget forkert.",
                "Mange af tingene kan du gøre noget ved. Det er det, dine øvelser og de andre "
                "lektioner handler om.",
            ],
        },
        "en": {
            "title": "Causes and risk factors",
            "body": [
                "Often there is no single cause. For a while, the plantar fascia has had more "
                "to carry than it could take.",
                "It is more common if you:",
                [
                    "stand or walk a lot on hard floors at work",
                    "run, especially if you have increased your running quickly",
                    "are overweight",
                    "have tight calf muscles, so the foot is hard to bend upwards",
                    "are getting older",
                    "have a foot with a very flat or very high arch",
                ],
                "Heel pain is one of the most common reasons to see a doctor about the foot. It "
                "is not a sign that you have done anything wrong.",
                "You can do something about many of these. That is what your exercises and the "
                "other lessons are about.",
            ],
        },
    },
    {
        "slug": "pain-relief",
        "unlock_week": 7,
        "version": 1,
        "sources": ["nhs-pf", "nice-cks"],
        "da": {
            "title": "Piller mod smerter fra apoteket",
            "body": [
                "Piller mod smerter kan tage toppen af smerten. De fjerner ikke årsagen.",
                "Paracetamol er et godt første valg for de fleste.",
                "Ibuprofen kan også hjælpe en tid. Tag det ikke de første 2 døgn efter en skade.",
                "Følg dosis på pakken. Læs sedlen i pakken. Spørg på apoteket, hvis du tager "
                "anden medicin eller har en sygdom.",
                "Brug ikke piller til at presse dig gennem øvelser, der gør meget ondt. Smerten "
                "fortæller dig, hvor meget hælen kan tåle lige nu.",
                "Har du brug for piller hver dag i mange uger? Så tal med din læge.",
            ],
        },
        "en": {
            "title": "Pain relief from the pharmacy",
            "body": [
                "Painkillers can take the edge off the pain. They do not remove the cause.",
                "Paracetamol is a good first choice for most people.",
                "Ibuprofen can also help for a while. Do not take it in the first 2 days after "
                "an injury.",
                "Follow the dose on the pack and read the leaflet. Ask at the pharmacy if you "
                "take other medicines or have an illness.",
                "Do not use painkillers to push through exercises that hurt a lot. The pain "
                "tells you how much the heel can take right now.",
                "Do you need painkillers every day for many weeks? Then talk to your doctor.",
            ],
        },
    },
    {
        "slug": "ice",
        "unlock_week": 8,
        "version": 1,
        "sources": ["nhs-pf", "nice-cks"],
        "da": {
            "title": "Is på hælen",
            "body": [
                "Is kan lindre, når hælen er øm efter en lang dag.",
                "Pak en pose is eller frosne ærter ind i et viskestykke. Læg den på hælen i "
                "højst 20 minutter. Du kan gøre det igen efter 2 til 3 timer.",
                "Læg aldrig isen direkte på huden. Det kan skade huden.",
                "Is lindrer kun. Den gør ikke senen stærk. Brug den som en hjælp ved siden af "
                "øvelserne.",
                "Har du diabetes eller dårlig følelse i foden? Så spørg din fysioterapeut, før "
                "du bruger is.",
            ],
        },
        "en": {
            "title": "Ice",
            "body": [
                "Ice can ease a heel that is sore after a long day.",
                "Wrap a bag of ice or frozen peas in a tea towel. Put it on the heel for up to "
                "20 minutes. You can do it again after 2 to 3 hours.",
                "Never put ice directly on the skin. It can damage the skin.",
                "Ice only eases the pain. It does not make the plantar fascia stronger. Use it "
                "as a help alongside the exercises.",
                "Do you have diabetes or poor feeling in the foot? Ask your physiotherapist "
                "before using ice.",
            ],
        },
    },
    {
        "slug": "insoles",
        "unlock_week": 9,
        "version": 1,
        "sources": ["apta-2014", "apta-2023", "morrissey-2021"],
        "da": {
            "title": "Indlæg med støtte til buen",
            "body": [
                "Et indlæg er en sål, som du lægger i skoen. Det støtter fodens bue og tager "
                "noget af trækket i senen. Mange indlæg har også en blød pude under hælen.",
                "Færdige indlæg kan du købe på apoteket og i sportsbutikker. Prøv dem i et par "
                "uger.",
                "Indlæg virker bedst sammen med øvelserne. De kan ikke stå alene.",
                "Hjalp det at få tape under foden? Så har du ofte også glæde af indlæg.",
                "Er du ikke bedre efter cirka 12 uger, kan en fodterapeut eller en bandagist "
                "lave indlæg, der passer præcis til din fod. Din fysioterapeut eller læge kan "
                "sende dig videre.",
            ],
        },
        "en": {
            "title": "Arch-support insoles",
            "body": [
                "An insole goes inside your shoe. It supports the arch of the foot and takes "
                "some of the pull off the plantar fascia. Many insoles also cushion the heel.",
                "You can buy ready-made insoles at the pharmacy and in sports shops. Try them "
                "for a couple of weeks.",
                "Insoles work best together with the exercises, not on their own.",
                "Did taping under the foot help? Then insoles often help you too.",
                "If you are not better after about 12 weeks, a podiatrist or an orthotist can "
                "make insoles shaped to your foot. Your physiotherapist or doctor can refer "
                "you.",
            ],
        },
    },
    {
        "slug": "taping",
        "unlock_week": 10,
        "version": 1,
        "sources": ["apta-2014", "apta-2023", "morrissey-2021"],
        "da": {
            "title": "Tape under foden",
            "body": [
                "Tape kan lette smerten i kort tid, især de første par uger.",
                "Den mest brugte måde hedder low-Dye. Tapen går rundt om hælen og under fodens "
                "bue. Den holder buen oppe og aflaster senen.",
                "Din fysioterapeut kan vise dig, hvordan du gør. Så kan du selv gøre det "
                "derhjemme.",
                "Tag tapen af, hvis huden klør, bliver rød eller får vabler. Tag den også af, "
                "hvis foden prikker eller føles død.",
                "Tape er en hjælp i en kort periode. Hjælper den, kan indlæg være en god idé på "
                "lang sigt.",
            ],
        },
        "en": {
            "title": "Taping",
            "body": [
                "Tape can ease the pain for a short time, especially in the first few weeks.",
                "The most used method is called low-Dye taping. The tape goes around the heel "
                "and under the arch. It holds the arch up and takes load off the plantar "
                "fascia.",
                "Your physiotherapist can show you how, so that you can do it yourself at home.",
                "Take the tape off if the skin itches, turns red or blisters. Also take it off "
                "if the foot tingles or feels numb.",
                "Tape helps for a short period. If it helps, insoles may be a good idea in the "
                "long run.",
            ],
        },
    },
    {
        "slug": "night-splint",
        "unlock_week": 11,
        "version": 1,
        "sources": ["apta-2014", "apta-2023"],
        "da": {
            "title": "Natskinne",
            "body": [
                "En natskinne holder foden bøjet op, mens du sover. Så bliver senen og læggen "
                "ikke stramme i løbet af natten.",
                "Den er til dig, som stadig har meget ondt ved de første skridt om morgenen.",
                "Man bruger den typisk i 1 til 3 måneder.",
                "Det kan tage tid at vænne sig til at sove med den. Start med et par timer, og "
                "byg op.",
                "Den skal sidde godt og må ikke trykke. Din fysioterapeut eller en bandagist "
                "kan finde den rette til dig. Tag den af, hvis foden bliver kold, bleg, prikker "
                "eller føles død.",
            ],
        },
        "en": {
            "title": "Night splint",
            "body": [
                "A night splint holds the foot bent upwards while you sleep, so that the "
                "plantar fascia and the calf do not tighten up during the night.",
                "It is for people who still have a lot of pain with the first steps in the "
                "morning.",
                "It is usually worn for 1 to 3 months.",
                "It can take time to get used to sleeping with it. Start with a couple of "
                "hours and build up.",
                "It should fit well and must not press. Your physiotherapist or an orthotist "
                "can find the right one for you. Take it off if the foot turns cold or pale, "
                "tingles or feels numb.",
            ],
        },
    },
    {
        "slug": "later-treatments",
        "unlock_week": 12,
        "version": 1,
        "sources": ["morrissey-2021", "cochrane-2017", "riel-fixheel", "acfas-2018"],
        "da": {
            "title": "Hvis øvelserne ikke er nok",
            "body": [
                "De fleste får det bedre med øvelser og gode råd. Hjælper det ikke nok efter "
                "nogle måneder, er der andre ting at prøve.",
                [
                    "Trykbølger (shockwave): Stød af lyd sendes ind i hælen. Der er god støtte "
                    "for, at det hjælper. Det gives hos en fysioterapeut eller læge.",
                    "Indlæg, der er lavet til din fod, hos en fodterapeut eller bandagist.",
                    "Blokade: Et stik med binyrebarkhormon kan dæmpe smerten i kort tid, tit "
                    "cirka en måned. På lang sigt er det ikke bedre end øvelser. Det kan "
                    "skade senen, så den brister. Det kan også gøre puden af fedt under hælen "
                    "tyndere.",
                    "Operation: Det er sjældent nødvendigt. Det er kun, hvis intet andet har "
                    "hjulpet i lang tid.",
                ],
                "Tal med din læge eller fysioterapeut om, hvad der passer til dig.",
            ],
        },
        "en": {
            "title": "If the exercises are not enough",
            "body": [
                "Most people get better with exercises and good advice. If that does not help "
                "enough after a few months, there are other things to try.",
                [
                    "Shockwave therapy: pulses of sound are sent into the heel. There is good "
                    "evidence that it helps. A physiotherapist or doctor gives it.",
                    "Insoles made for your foot by a podiatrist or an orthotist.",
                    "A steroid injection can dampen the pain for a short time, often about a "
                    "month. In the long run it is no better than exercise. It can damage the "
                    "plantar fascia so that it tears, and it can thin the fat pad under the "
                    "heel.",
                    "Surgery is rarely needed, only when nothing else has helped for a long time.",
                ],
                "Talk to your doctor or physiotherapist about what suits you.",
            ],
        },
    },
    {
        "slug": "weight",
        "unlock_week": 13,
        "version": 1,
        "sources": ["apta-2014", "nice-cks", "morrissey-2021"],
        "da": {
            "title": "Vægt og hælen",
            "body": [
                "Hver gang du tager et skridt, bærer hælen hele din vægt. Ekstra kilo giver "
                "ekstra tryk på hælen.",
                "Vejer du for meget, kan det hjælpe hælen at tabe dig.",
                "Det kan være svært at holde sig i form, når hælen gør ondt. Vælg noget, hvor "
                "du ikke står på foden. Det kan være at cykle, svømme eller ro.",
                "Vil du gerne have hjælp til at tabe dig? Så spørg din læge.",
                "Vægten er kun én ting ud af flere. Også slanke folk kan få ondt i hælen.",
            ],
        },
        "en": {
            "title": "Weight",
            "body": [
                "Every time you take a step, the heel carries your whole weight. Extra kilos "
                "mean extra pressure on the heel.",
                "If you are overweight, losing weight can help your heel.",
                "It can be hard to stay fit when your heel hurts. Choose activities where you "
                "are off your feet, such as cycling, swimming or rowing.",
                "Would you like help to lose weight? Ask your doctor.",
                "Weight is only one thing among several. Slim people get heel pain too.",
            ],
        },
    },
    {
        "slug": "prevention",
        "unlock_week": 14,
        "version": 1,
        "sources": ["apta-2014", "morrissey-2021", "dssf-2015"],
        "da": {
            "title": "Så kommer det ikke igen",
            "body": [
                "Når hælen er bedre, kan du gøre meget for at holde den rask.",
                [
                    "Bliv ved med øvelserne et stykke tid, også når det ikke gør ondt. Din "
                    "fysioterapeut siger, hvornår du kan trappe ned.",
                    "Brug sko med en blød sål, især hvis du står meget.",
                    "Øg løb og lange ture lidt ad gangen.",
                    "Hold læggen smidig og stærk.",
                    "Hold en sund vægt.",
                ],
                "Mærker du de første tegn igen? Så skru lidt ned, og tag fat på øvelserne igen. "
                "Det er lettere at gøre noget tidligt.",
            ],
        },
        "en": {
            "title": "Keeping it from coming back",
            "body": [
                "Once your heel is better, you can do a lot to keep it well.",
                [
                    "Keep up the exercises for a while, even when it no longer hurts. Your "
                    "physiotherapist will tell you when you can taper off.",
                    "Wear shoes with a cushioned sole, especially if you stand a lot.",
                    "Increase running and long walks a little at a time.",
                    "Keep your calves supple and strong.",
                    "Keep a healthy weight.",
                ],
                "Do you feel the first signs again? Then cut down a little and pick up the "
                "exercises again. It is easier to act early.",
            ],
        },
    },
]
