import factory
from django.utils import timezone

from accounts.models import Clinic, Condition, PatientProfile, PhysioProfile, User
from exercises.models import Exercise, Kind

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Klinik {n}")
    slug = factory.Sequence(lambda n: f"klinik-{n}")


class PhysioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhysioProfile

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(UserFactory)
    physio = factory.SubFactory(PhysioFactory)
    clinic = factory.LazyAttribute(lambda o: o.physio.clinic)
    condition = Condition.PLANTAR_FASCIITIS
    created_at = factory.LazyFunction(timezone.now)


class ExerciseFactory(factory.django.DjangoModelFactory):
    """A clinic's own exercise (the shared library comes from the seed migration)."""

    class Meta:
        model = Exercise

    slug = factory.Sequence(lambda n: f"klinik-ovelse-{n}")
    clinic = factory.SubFactory(ClinicFactory)
    kind = Kind.STRENGTH
    name_da = factory.Sequence(lambda n: f"Øvelse {n}")
    name_en = factory.Sequence(lambda n: f"Exercise {n}")
    purpose_da = purpose_en = "Styrke."
    stop_if_da = stop_if_en = "Stop ved skarp smerte."
    steps_da = steps_en = factory.LazyFunction(lambda: ["Et", "To"])
    sets, reps = 3, 10


def diary_series(patient, start, pains):
    """Diary entries from `start` on, one per element of `pains` (None: a day not logged)."""
    from datetime import UTC, datetime, timedelta

    from diary.models import DiaryEntry

    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            patient=patient,
            date=start + timedelta(days=offset),
            morning_pain=pain,
            recorded_at=datetime(2026, 1, 1, tzinfo=UTC),
        )
        for offset, pain in enumerate(pains)
        if pain is not None
    )
