from django.core.management.base import BaseCommand

from accounts.demo import DEMO_ADMIN, DEMO_PASSWORD, DEMO_PHYSIO, demo_accounts_create
from care.demo import demo_episode_both_heels, demo_episode_week_6_reviewed
from care.selectors import current_episode
from diary.demo import demo_diary_create
from exercises.demo import DemoPlan, demo_programmes_create
from outcomes.demo import DemoAnswers, demo_questionnaires_create

# Each demo story's programme: how faithfully the exercises are done, how long ago day 1 of
# the episode was, and whether the physio replaced the programme on the way.
PLANS = {
    "improving": DemoPlan(completion_rate=0.85),
    "not improving": DemoPlan(completion_rate=0.7),
    "getting worse": DemoPlan(completion_rate=0.6),
    "gaps in the diary": DemoPlan(completion_rate=0.35),
    # Today is day 91 (week 13); the new programme started on day 43, after the week-6 review.
    "programme changed at week 6": DemoPlan(completion_rate=0.8, days=91, replaced_on_day=43),
    "both heels": DemoPlan(completion_rate=0.8),
    "just started": DemoPlan(completion_rate=0.9, days=3),
}

# Each story's questionnaires: which timepoints were answered (the rest wait for the patient,
# or are overdue on the physio's list) and how. PSFS rises as the heel gets better, FFI falls.
ANSWERS = {
    "improving": DemoAnswers(("start", "week_6"), (3, 7), (6, 3), groc=3, acceptable=True),
    "not improving": DemoAnswers(("start", "week_6"), (4, 4), (5, 5), groc=0, acceptable=False),
    "getting worse": DemoAnswers(("start", "week_6"), (5, 3), (4, 6), groc=-2, acceptable=False),
    # Week 6 not answered: overdue.
    "gaps in the diary": DemoAnswers(("start",), (4, 4), (5, 5), groc=0, acceptable=False),
    # Week 12 not answered yet: on Today for the patient, overdue on the list.
    "programme changed at week 6": DemoAnswers(
        ("start", "week_6"), (3, 4), (6, 5), groc=1, acceptable=False
    ),
    "both heels": DemoAnswers(("start", "week_6"), (4, 5), (5, 4), groc=1, acceptable=False),
    # Day 3: the start questionnaires wait on Today.
    "just started": DemoAnswers((), (0, 0), (0, 0), groc=0, acceptable=False),
}


class Command(BaseCommand):
    help = "Create the demo clinic, physiotherapist and patients. Safe to run more than once."

    def handle(self, *args, **options):
        demo = demo_accounts_create()
        physio = demo["physio"]
        demo_programmes_create(
            physio, [(profile, PLANS[d.story]) for d, profile in demo["patients"]]
        )
        for demo_patient, profile in demo["patients"]:
            if demo_patient.story == "both heels":
                demo_episode_both_heels(physio=physio, patient=profile)
            elif demo_patient.story == "programme changed at week 6":
                demo_episode_week_6_reviewed(physio=physio, patient=profile)
            # The diary begins on day 1 of the episode, whatever programme is active now.
            demo_diary_create(profile, current_episode(profile).starts_on, demo_patient.story)
            demo_questionnaires_create(profile, ANSWERS[demo_patient.story])
        self.stdout.write(self.style.SUCCESS(f"Demo clinic: {demo['clinic'].name}"))
        self.stdout.write(f"  password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(f"  physiotherapist: {DEMO_PHYSIO[0]}")
        for demo_patient, _profile in demo["patients"]:
            self.stdout.write(f"  patient ({demo_patient.story}): {demo_patient.email}")
        self.stdout.write(f"  administrator: {DEMO_ADMIN[0]}")
