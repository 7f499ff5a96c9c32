"""A programme item's dosage in plain words, for the patient's pages and the offline copy.

Pure: takes the effective dosage dict (exercises.selectors.PlannedItem.dosage, or the API's
item) and returns short translated lines such as "3 sets of 12 repetitions", "Hold 30 s",
"Tempo 3-2-3 s (up, hold, down)", "Load: 12RM", "Rest 2 min between sets", "3 times a day".
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exercises.schedule import dosage_tempo


def _duration(seconds: int) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return _("%(n)s min") % {"n": seconds // 60}
    return _("%(n)s s") % {"n": seconds}


def dosage_lines(dosage: dict) -> list[str]:
    lines = []
    sets, reps = dosage.get("sets"), dosage.get("reps")
    if sets and reps:
        lines.append(
            ngettext(
                "%(sets)s set of %(reps)s repetitions",
                "%(sets)s sets of %(reps)s repetitions",
                sets,
            )
            % {"sets": sets, "reps": reps}
        )
    elif reps:
        lines.append(ngettext("%(reps)s repetition", "%(reps)s repetitions", reps) % {"reps": reps})
    elif sets:
        lines.append(ngettext("%(sets)s set", "%(sets)s sets", sets) % {"sets": sets})
    if dosage.get("hold_seconds"):
        lines.append(_("Hold %(duration)s") % {"duration": _duration(dosage["hold_seconds"])})
    tempo = dosage_tempo(dosage)
    if tempo:
        lines.append(_("Tempo %(up)s-%(hold)s-%(down)s s (up, hold, down)") % tempo)
    if dosage.get("load"):
        lines.append(_("Load: %(load)s") % {"load": dosage["load"]})
    if dosage.get("rest_seconds"):
        lines.append(
            _("Rest %(duration)s between sets") % {"duration": _duration(dosage["rest_seconds"])}
        )
    lines.extend(frequency_lines(dosage))
    return lines


def frequency_lines(dosage: dict) -> list[str]:
    lines = []
    times, every = dosage.get("times_per_day"), dosage.get("every_n_days")
    if every and every > 1:
        if every == 2:
            lines.append(_("Every other day"))
        else:
            lines.append(_("Every %(n)s days") % {"n": every})
    if times and times > 1:
        lines.append(ngettext("%(n)s time a day", "%(n)s times a day", times) % {"n": times})
    elif times == 1 and not (every and every > 1):
        lines.append(_("Once a day"))
    return lines


def load_help(load: str) -> str:
    """What an "nRM" load rule means, in plain words; empty for other rules."""
    text = (load or "").strip().upper()
    if text.endswith("RM") and text[:-2].isdigit():
        n = int(text[:-2])
        return _(
            "%(n)sRM: choose a load so heavy that %(n)s repetitions are just about all you "
            "can do with good form."
        ) % {"n": n}
    return ""
