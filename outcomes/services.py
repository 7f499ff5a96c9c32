"""Writes of questionnaire responses: making the due ones, saving a draft, submitting."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PatientProfile

from . import schedule
from .episodes import Clock, episode_clock
from .instruments import instrument, wording_language
from .models import QuestionnaireResponse
from .scoring import check_answers, score
from .selectors import open_until, psfs_activities, responses_due


class AnswersInvalid(Exception):
    """The answers do not fit the instrument: `errors` by item id (outcomes.scoring)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def questionnaires_prepare(
    *, patient: PatientProfile, today: date | None = None, clock: Clock | None = ...
) -> list[QuestionnaireResponse]:
    """Make the rows of the questionnaires due today if they are not there yet, and return
    the ones the patient can answer today. Called when the patient opens Today or asks the API,
    and by the daily reminder task; idempotent by the unique (patient, episode, instrument,
    timepoint) key, so two callers at once make one row. `clock`: the patient's episode clock
    if the caller has it (outcomes.episodes; None: no episode)."""
    today = today or patient.user.local_today()
    clock = episode_clock(patient) if clock is ... else clock
    if clock is None:
        return []
    # Read first: on most days every row is already there, and a page view then writes nothing.
    rows = responses_due(patient, clock, today)
    made = {(r.instrument, r.timepoint) for r in rows}
    missing = [
        QuestionnaireResponse(
            patient=patient,
            episode_starts_on=clock.starts_on,
            instrument=code,
            instrument_version=instrument(code).version,
            timepoint=timepoint.name,
            due_on=timepoint.due_on,
        )
        for timepoint in schedule.due(clock.starts_on, clock.closed_on, today)
        for code in timepoint.instruments
        if (code, timepoint.name) not in made
    ]
    if missing:
        QuestionnaireResponse.objects.bulk_create(missing, ignore_conflicts=True)
        rows = responses_due(patient, clock, today)
    return [r for r in rows if r.submitted_at is None]


def questionnaire_save(
    *,
    response: QuestionnaireResponse,
    answers,
    submit: bool,
    language: str = "",
    now: datetime | None = None,
) -> QuestionnaireResponse:
    """Save the answers as the draft (they replace the previous draft), and with `submit`
    check that everything required is answered, score them and close the response. A
    submitted response is read-only; a response outside its timepoint's window cannot be
    written. Errors name the item; nothing is written then."""
    now = now or timezone.now()
    with transaction.atomic():
        response = QuestionnaireResponse.objects.select_for_update().get(pk=response.pk)
        if response.submitted:
            raise ValidationError({"submit": [_("This questionnaire has already been sent.")]})
        today = timezone.localdate(now, response.patient.user.tz)
        last_day = open_until(response)
        if response.due_on > today or last_day is None or today > last_day:
            raise ValidationError({"non_field_errors": [_("This questionnaire is not due now.")]})
        spec = instrument(response.instrument)
        activities = (
            psfs_activities(response.patient, response.episode_starts_on)
            if spec.code == "psfs"
            else None
        )
        errors = check_answers(spec, answers, submit=submit, activities=activities)
        if errors:
            raise AnswersInvalid(errors)
        response.answers = dict(answers)
        if activities:
            # The names fixed at baseline travel with every later PSFS, so each response can
            # be read (and exported) on its own.
            response.answers.update(activities)
        response.language = wording_language(language)
        fields = ["answers", "language", "updated_at"]
        if submit:
            response.scores = score(spec, response.answers)
            response.submitted_at = now
            fields += ["scores", "submitted_at"]
        response.save(update_fields=fields)
    return response
