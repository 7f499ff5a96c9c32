import factory
from django.utils import timezone

from accounts.models import Clinic, Condition, PatientProfile, PhysioProfile, User

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
