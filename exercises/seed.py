"""Load the shipped library (exercises/seed_data.py) into the database: upsert by slug.

Called from data migrations with the historical models, so a fresh database has the library
and later content changes arrive by a new migration calling this again.
"""

from .schedule import NUMBER_FIELDS as DOSAGE_NUMBERS
from .seed_data import EXERCISES, TEMPLATES


def _stages(stages: list[dict]) -> list[dict]:
    result = []
    for stage in stages:
        row = {key: value for key, value in stage.items() if key != "notes"}
        notes = stage.get("notes") or {}
        row["notes_da"], row["notes_en"] = notes.get("da", ""), notes.get("en", "")
        result.append(row)
    return result


def _dosage(dosage: dict, stages: list[dict]) -> dict:
    fields = {key: dosage.get(key) for key in DOSAGE_NUMBERS}
    fields["load"] = dosage.get("load") or ""
    notes = dosage.get("notes") or {}
    fields["notes_da"], fields["notes_en"] = notes.get("da", ""), notes.get("en", "")
    fields["stages"] = _stages(stages)
    return fields


def load_library(exercise_model, template_model, template_item_model) -> None:
    exercises = {}
    for data in EXERCISES:
        fields = {
            "clinic": None,
            "kind": data["kind"],
            "conditions": list(data["conditions"]),
            "illustration": data["illustration"],
            **_dosage(data["dosage"], data.get("stages", [])),
        }
        for field in ("name", "purpose", "steps", "stop_if"):
            fields[f"{field}_da"] = data[field]["da"]
            fields[f"{field}_en"] = data[field]["en"]
        exercises[data["slug"]], _ = exercise_model.objects.update_or_create(
            slug=data["slug"], defaults=fields
        )

    for data in TEMPLATES:
        template, _ = template_model.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "clinic": None,
                "condition": data["condition"],
                "name_da": data["name"]["da"],
                "name_en": data["name"]["en"],
                "description_da": data.get("description", {}).get("da", ""),
                "description_en": data.get("description", {}).get("en", ""),
            },
        )
        template.items.all().delete()
        for position, item in enumerate(data["items"]):
            exercise = exercises[item["exercise"]]
            default = {
                **{key: getattr(exercise, key) for key in DOSAGE_NUMBERS},
                "load": exercise.load,
                "notes_da": exercise.notes_da,
                "notes_en": exercise.notes_en,
                "stages": exercise.stages,
            }
            override = item.get("dosage", {})
            fields = {**default, **{k: v for k, v in override.items() if k != "notes"}}
            if "notes" in override:
                fields["notes_da"] = override["notes"].get("da", "")
                fields["notes_en"] = override["notes"].get("en", "")
            if "stages" in item:
                fields["stages"] = _stages(item["stages"])
            template_item_model.objects.create(
                template=template, exercise=exercise, position=position, **fields
            )
