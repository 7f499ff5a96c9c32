"""The follow-up page (/follow-up/<week>/): weeks 26 and 52 after a recovered close, one
morning-pain value and the global rating of change (care.follow_ups). Patient only; a week
that is not open for this patient, or another role, answers 404."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from care.follow_ups import (
    FollowUpNotOpen,
    follow_up_answer,
    follow_up_answered,
    follow_up_episode,
)
from outcomes.instruments import GROC, wording_language

from ..decorators import patient_required


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@patient_required
def follow_up(request, week):
    patient = request.user.patient_profile
    episode = follow_up_episode(patient=patient, week=week, today=request.user.local_today())
    if episode is None:
        raise Http404
    # The rating of change in the outcome questionnaire's own words (outcomes.instruments),
    # so the two ask it alike.
    language = wording_language(get_language())
    item = GROC.items[0]
    context = {
        "week": week,
        "pain_values": range(11),
        "change_question": item.text[language],
        "change_choices": [(value, words[language]) for value, words in item.choices],
        "answered": follow_up_answered(episode=episode, week=week),
        "errors": {},
        "values": {},
        "page": "follow-up",
    }
    status = 200
    if request.method == "POST":
        values = {
            "morning_pain": _int(request.POST.get("morning_pain")),
            "global_change": _int(request.POST.get("global_change")),
        }
        context["values"] = values
        try:
            follow_up_answer(patient=patient, week=week, **values)
        except FollowUpNotOpen:
            raise Http404 from None
        except ValidationError as error:
            context["errors"] = {field: " ".join(m) for field, m in error.message_dict.items()}
            status = 400
        else:
            context["answered"] = True
            context["thanks"] = True
    return render(request, "web/follow_up.html", context, status=status)
