from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from exercises.models import Exercise, ProgrammeTemplate
from exercises.seed_data import EXERCISES

from .factories import ClinicFactory, PatientFactory, PhysioFactory

SLUGS = {
    "plantar-fascia-stretch",
    "calf-stretch-straight-knee",
    "calf-stretch-bent-knee",
    "heel-raise-double-leg",
    "heel-raise-high-load",
    "heel-raise-floor-level",
    "short-foot",
    "towel-curl",
    "heel-cushion-advice",
    "footwear-advice",
    "ice",
    "night-splint",
    # Added in issue 14 (migration exercises 0005).
    "low-dye-taping",
    "arch-support-insoles",
    "load-management",
}
ADDED_ADVICE = ("low-dye-taping", "arch-support-insoles", "load-management")


@pytest.mark.django_db(transaction=True)
def test_fresh_migrate_has_the_library_in_both_languages():
    # A transactional test starts from a flushed database: migrate back to zero and forward,
    # as a fresh installation does.
    call_command("migrate", "exercises", "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    assert set(Exercise.objects.values_list("slug", flat=True)) == SLUGS
    for exercise in Exercise.objects.all():
        assert exercise.clinic_id is None
        assert exercise.name_da and exercise.name_en and exercise.name_da != exercise.name_en
        assert len(exercise.steps_da) == len(exercise.steps_en) >= 2
        assert exercise.stop_if_da and exercise.stop_if_en
        assert (Path(settings.BASE_DIR) / "static" / exercise.illustration).is_file()
    names = set(ProgrammeTemplate.objects.values_list("name_da", flat=True))
    assert names == {"Hælspore - standard", "Hælbursitis", "Hælpudedefekt"}


def test_the_added_advice_items_have_everything_an_item_needs(library):
    """Taping, insoles and load management: purpose, steps, when to stop (with the calf
    warning every item has), an illustration, sources, no dosage numbers."""
    for slug in ADDED_ADVICE:
        item = Exercise.objects.get(slug=slug)
        assert item.kind == "advice" and item.clinic_id is None
        assert item.purpose_da and item.purpose_en
        assert len(item.steps_da) == len(item.steps_en) >= 4
        assert "blodprop" in item.stop_if_da and "blood clot" in item.stop_if_en
        assert (Path(settings.BASE_DIR) / "static" / item.illustration).is_file()
        assert item.sources and all(source.strip() for source in item.sources)
        assert (item.sets, item.reps, item.hold_seconds, item.load) == (None, None, None, "")


def test_an_existing_database_gets_the_additions_and_the_new_stages(transactional_db):
    """Migration 0005 on a database migrated before it, with the library as it was then: the
    three items appear with their sources and the standard template starts on both legs."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from exercises.seed import load_library

    before = [("exercises", "0004_programme_change")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    load_library(
        *(
            old.get_model("exercises", name)
            for name in ("Exercise", "ProgrammeTemplate", "TemplateItem")
        )
    )
    old.get_model("exercises", "Exercise").objects.filter(slug__in=ADDED_ADVICE).delete()
    old.get_model("exercises", "TemplateItem").objects.filter(
        template__slug="haelspore-standard", exercise__slug="heel-raise-high-load"
    ).update(stages=[{"from_week": 1, "load": "12RM"}, {"from_week": 3, "load": "10RM"}])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    for slug in ADDED_ADVICE:
        assert Exercise.objects.get(slug=slug).sources
    staged = ProgrammeTemplate.objects.get(slug="haelspore-standard").items.get(
        exercise__slug="heel-raise-high-load"
    )
    assert [(s["from_week"], s["load"], s["reps"]) for s in staged.stages] == [
        (1, "", 15),
        (3, "12RM", 12),
        (5, "10RM", 10),
        (7, "8RM", 8),
    ]


def test_high_load_heel_raise_is_staged_as_in_clinical_notes(library):
    stages = Exercise.objects.get(slug="heel-raise-high-load").stages
    assert [(s["from_week"], s["load"], s["sets"], s["reps"]) for s in stages] == [
        (1, "12RM", 3, 12),
        (3, "10RM", 4, 10),
        (5, "8RM", 5, 8),
    ]
    assert all(s["rest_seconds"] == 120 for s in stages)


def test_library_api_speaks_the_users_language(client_for, physio, library):
    client = client_for(physio.user)
    danish = {e["slug"]: e for e in client.get("/api/v1/exercises/").json()}
    physio.user.language = "en"
    physio.user.save()
    english = {e["slug"]: e for e in client.get("/api/v1/exercises/").json()}
    seed = {e["slug"]: e for e in EXERCISES}
    for slug in SLUGS:
        assert danish[slug]["name"] == seed[slug]["name"]["da"]
        assert english[slug]["name"] == seed[slug]["name"]["en"]
        assert english[slug]["steps"] == seed[slug]["steps"]["en"]
        assert danish[slug]["illustration"].endswith(f"{slug}.svg")


def test_exercise_detail_and_unknown_slug(client_for, physio, library):
    client = client_for(physio.user)
    body = client.get("/api/v1/exercises/heel-raise-high-load/").json()
    assert body["default_dosage"]["every_n_days"] == 2
    assert body["default_dosage"]["tempo"] == {"up": 3, "hold": 2, "down": 3}
    assert client.get("/api/v1/exercises/no-such-thing/").status_code == 404


def test_clinic_exercises_are_visible_only_to_that_clinic(client_for, physio, library):
    own = Exercise.objects.create(
        slug="klinik-balance",
        clinic=physio.clinic,
        kind="strength",
        name_da="Balance",
        name_en="Balance",
        purpose_da="x",
        purpose_en="x",
        stop_if_da="x",
        stop_if_en="x",
    )
    other_physio = PhysioFactory(clinic=ClinicFactory())
    mine = [e["slug"] for e in client_for(physio.user).get("/api/v1/exercises/").json()]
    theirs = [e["slug"] for e in client_for(other_physio.user).get("/api/v1/exercises/").json()]
    assert own.slug in mine and own.slug not in theirs
    assert client_for(other_physio.user).get(f"/api/v1/exercises/{own.slug}/").status_code == 404


def test_templates_list_for_physios_only(client_for, physio, patient, library):
    templates = client_for(physio.user).get("/api/v1/programme-templates/").json()
    standard = next(t for t in templates if t["slug"] == "haelspore-standard")
    assert [i["exercise"]["slug"] for i in standard["items"]][:3] == [
        "plantar-fascia-stretch",
        "calf-stretch-straight-knee",
        "calf-stretch-bent-knee",
    ]
    assert client_for(patient.user).get("/api/v1/programme-templates/").status_code == 403


def test_physio_creates_a_clinic_template(client_for, physio, library):
    client = client_for(physio.user)
    response = client.post(
        "/api/v1/programme-templates/",
        {
            "slug": "klinik-let",
            "name_da": "Let start",
            "condition": "plantar_fasciitis",
            "items": [{"exercise": "plantar-fascia-stretch", "reps": 5}, {"exercise": "ice"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["items"][0]["reps"] == 5
    assert ProgrammeTemplate.objects.get(slug="klinik-let").clinic == physio.clinic
    other = PhysioFactory(clinic=ClinicFactory())
    slugs = [t["slug"] for t in client_for(other.user).get("/api/v1/programme-templates/").json()]
    assert "klinik-let" not in slugs


def test_seed_exercises_are_read_only_to_clinic_staff_in_the_admin(client, physio, library):
    from django.contrib.auth.models import Permission

    physio.user.is_staff = True
    physio.user.save()
    physio.user.user_permissions.add(*Permission.objects.filter(codename__endswith="exercise"))
    client.force_login(physio.user)
    seed = Exercise.objects.get(slug="ice")
    page = client.get(f"/admin/exercises/exercise/{seed.pk}/change/")
    assert page.status_code == 200 and 'name="name_da"' not in page.text  # view only
    response = client.post(f"/admin/exercises/exercise/{seed.pk}/change/", {"name_da": "Hacked"})
    assert response.status_code == 403
    seed.refresh_from_db()
    assert seed.name_da != "Hacked"


def test_admin_assigns_a_template(client, physio, library):
    from django.contrib.auth.models import Permission

    patient = PatientFactory(physio=physio)
    physio.user.is_staff = True
    physio.user.save()
    physio.user.user_permissions.add(*Permission.objects.filter(codename__endswith="programme"))
    client.force_login(physio.user)
    template = ProgrammeTemplate.objects.get(slug="haelspore-standard")
    response = client.post(
        "/admin/exercises/programme/add/",
        {"patient": patient.pk, "template": template.pk, "starts_on": "2026-11-20"},
    )
    assert response.status_code == 302, response.content[:2000]
    programme = patient.programmes.get()
    assert programme.items.count() == template.items.count()
    assert programme.assigned_by == physio
