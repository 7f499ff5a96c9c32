"""The patient's outcome questionnaires: the list of what is due (and what was sent), and one
questionnaire as a form. The form works without script (a POST saves a draft or sends it);
with script, every change is also kept as a draft in the offline outbox and sent through the
API (static/js/questionnaire.js), so answers survive a lost connection and a closed tab."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from outcomes.instruments import CHOICE, NOT_APPLICABLE, RATING, YES_NO
from outcomes.models import QuestionnaireResponse
from outcomes.selectors import fixed_activities
from outcomes.serializers import questionnaire_data
from outcomes.services import AnswersInvalid, questionnaire_save, questionnaires_prepare

from ..decorators import patient_required


@never_cache
@patient_required
def questionnaire_list(request):
    patient = request.user.patient_profile
    due = [
        questionnaire_data(r, fixed_activities(r)) for r in questionnaires_prepare(patient=patient)
    ]
    sent = QuestionnaireResponse.objects.filter(
        patient=patient, submitted_at__isnull=False
    ).order_by("-submitted_at", "-pk")
    context = {
        "due": due,
        "sent": [questionnaire_data(r) for r in sent[:20]],
        "page": "questionnaires",
    }
    return render(request, "web/questionnaires.html", context)


def answers_from_form(items: list[dict], form) -> dict:
    """The answers a form posted, as the API takes them: whole numbers for ratings and
    choices, true/false for yes/no, "na" where allowed, text for activities. An empty field is
    no answer; a value that does not parse is passed on for the rules to name."""
    answers = {}
    for item in items:
        if item["fixed"]:
            continue  # the baseline's activity names are added by the service
        raw = (form.get(item["id"]) or "").strip()
        if not raw:
            continue
        if item["kind"] in (RATING, CHOICE) and raw != NOT_APPLICABLE:
            answers[item["id"]] = int(raw) if raw.lstrip("-").isdigit() else raw
        elif item["kind"] == YES_NO:
            answers[item["id"]] = {"true": True, "false": False}.get(raw, raw)
        else:
            answers[item["id"]] = raw
    return answers


@never_cache
@patient_required
def questionnaire_page(request, response_id):
    # Another patient's questionnaire is a 404, as in the API.
    response = get_object_or_404(
        QuestionnaireResponse.objects.select_related("patient__user"),
        pk=response_id,
        patient=request.user.patient_profile,
    )
    data = questionnaire_data(response, fixed_activities(response))
    errors, status = {}, 200
    if request.method == "POST" and not response.submitted:
        answers = answers_from_form(data["items"], request.POST)
        submit = "submit" in request.POST
        try:
            questionnaire_save(
                response=response, answers=answers, submit=submit, language=request.LANGUAGE_CODE
            )
        except AnswersInvalid as invalid:
            errors, status = invalid.errors, 400
        except ValidationError as refused:
            errors, status = refused.message_dict, 400
        else:
            return redirect("questionnaires" if submit else request.path)
        data["answers"] = {**data["answers"], **answers}  # shown again with the errors
    items = [
        {
            **item,
            "answer": data["answers"].get(item["id"]),
            "errors": errors.get(item["id"], []),
            "scale": range(item["minimum"], item["maximum"] + 1) if item["kind"] == RATING else (),
        }
        for item in data["items"]
    ]
    general = [
        message
        for key, messages in errors.items()
        for message in messages
        if key not in {item["id"] for item in items}
    ]
    context = {
        "questionnaire": data,
        "items": items,
        "general_errors": general,
        "read_only": response.submitted,
        "page": "questionnaires",
    }
    return render(request, "web/questionnaire.html", context, status=status)
