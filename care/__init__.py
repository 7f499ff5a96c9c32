"""The episode of care (forløb): the clock of every rule in the assessment.

An episode starts when the physio first assigns a programme (or opens one at the first
consultation) and runs until the physio closes it with an outcome. Programme changes happen
inside it and never move its start (clinical.md, "Episode of care").

Imports accounts only: exercises calls `services.episode_ensure` when a programme is assigned,
and progress, outcomes and lessons read `selectors.current_episode` / `selectors.episode_clocks`.

- models.py: Episode and EpisodeReview, with their rules as named constraints.
- services.py: open, close, set the heels, record a review or outcome (keyword-only, atomic).
- selectors.py: the current episode, the clocks of many patients in one query, the week.
"""
