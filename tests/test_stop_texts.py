"""Every exercise's stop text sends a swollen, red, warm calf to a doctor the same day, not to
the physiotherapist (clinical.md, "Red flags"), in both languages: in the seed and in the rows
the migrations leave."""

import importlib
import re

import pytest
from django.apps import apps

from exercises.models import Exercise
from exercises.seed_data import CALF_STOP, EXERCISES

CALF = {"en": r"calf becomes swollen, red, warm", "da": r"læg hævet, rød, varm"}
DOCTOR_SAME_DAY = {"en": r"contact a doctor the same day", "da": r"kontakt en læge samme dag"}


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+", text)


def check(text: str, language: str) -> None:
    swollen = r"swollen|red\b" if language == "en" else r"hævet|rød\b"
    calf = [
        s for s in sentences(text) if re.search(r"\bcalf\b|\blæg\b", s) and re.search(swollen, s)
    ]
    # A swollen or red calf is named once: in the sentence that sends it to a doctor the same
    # day (a pop in the calf may still go to the physiotherapist or doctor).
    assert len(calf) == 1, text
    assert re.search(CALF[language], calf[0]) and re.search(DOCTOR_SAME_DAY[language], calf[0])
    assert "physio" not in calf[0] and "fysioterapeut" not in calf[0]


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e["slug"])
@pytest.mark.parametrize("language", ["en", "da"])
def test_every_seed_stop_text_sends_the_calf_to_a_doctor_the_same_day(exercise, language):
    check(exercise["stop_if"][language], language)
    assert exercise["stop_if"][language].endswith(CALF_STOP[language])


def test_every_library_row_has_it_after_the_migrations(library):
    rows = list(Exercise.objects.filter(clinic__isnull=True))
    assert len(rows) == len(EXERCISES)
    for row in rows:
        check(row.stop_if_en, "en")
        check(row.stop_if_da, "da")


def test_the_migration_updates_old_rows_and_nothing_else(library):
    old = "Stop and contact your physiotherapist or doctor if you get a swollen and red calf."
    Exercise.objects.filter(slug="ice").update(stop_if_en=old, name_en="Ice (edited)")
    migration = importlib.import_module("exercises.migrations.0003_calf_stop_text")
    migration.update_stop_texts(apps, None)
    ice = Exercise.objects.get(slug="ice")
    check(ice.stop_if_en, "en")
    assert ice.name_en == "Ice (edited)"
