"""Outcome questionnaires (PSFS, global rating of change, PASS, FFI pain and disability).

architecture.md lists questionnaires under progress/; they live in their own app so that the
instruments (data with a version), their scoring and their schedule stay apart from the
seek-care assessment, which is large and changes for its own reasons. progress/ does not import
this app; the physio's pages and the reports read it through outcomes.selectors.

- instruments.py: the instruments as data (items, scales, wordings per language, version,
  whether a wording is a published validated translation).
- scoring.py: pure scoring functions, one per instrument, and the change against baseline.
- schedule.py: pure: which timepoints of an episode are due on a date.
- models.py: QuestionnaireResponse, one row per episode, instrument and timepoint.
- selectors.py / services.py: reads and writes (house style).
"""
