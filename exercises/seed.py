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
    exercises = {data["slug"]: exercise_upsert(exercise_model, data) for data in EXERCISES}
    for data in TEMPLATES:
        template_upsert(template_model, template_item_model, data, exercises)


def exercise_upsert(exercise_model, data: dict):
    """One shipped exercise (a dict of EXERCISES), created or brought up to date by slug."""
    fields = {
        "clinic": None,
        "kind": data["kind"],
        "conditions": list(data["conditions"]),
        "illustration": data["illustration"],
        **_dosage(data["dosage"], data.get("stages", [])),
    }
    # The data migrations run this with the model as it was then: `sources` came later
    # (migration 0005), which fills it.
    if any(field.name == "sources" for field in exercise_model._meta.get_fields()):
        fields["sources"] = list(data.get("sources", []))
    for field in ("name", "purpose", "steps", "stop_if"):
        fields[f"{field}_da"] = data[field]["da"]
        fields[f"{field}_en"] = data[field]["en"]
    exercise, _ = exercise_model.objects.update_or_create(slug=data["slug"], defaults=fields)
    return exercise


def template_upsert(template_model, template_item_model, data: dict, exercises: dict):
    """One shipped template (a dict of TEMPLATES) and its items, by slug; `exercises`: the
    Exercise rows by slug. A programme assigned from it earlier keeps its own copy."""
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
    return template
