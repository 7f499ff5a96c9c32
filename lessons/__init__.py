"""Patient education: short lessons about heel pain, unlocked one a week of the episode.

- content.py: the lessons as data with a version (why Python data: see its docstring).
- render.py: a body as escaped HTML and as plain text; readability.py: LIX.
- sync.py: stores content in the Lesson table (data migration and `manage.py lessons_sync`).
- clock.py: the patient's week (the episode's, or since joining when there is none).
- models.py: Lesson, LessonRead, LessonPin, ClinicLessonHidden.
- selectors.py / services.py: reads and writes (house style).

This app must not import diary, progress or reminders (architecture.md).
"""
