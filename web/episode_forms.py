"""The forms of the episode section on the physio's patient page. They only parse; the rules
are care.services', whose errors are put beside the fields they name (`add_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Condition
from care.models import Outcome, ReviewKind, ReviewOutcome

HEEL_CHOICES = [("left", _("Left heel")), ("right", _("Right heel"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _note(label):
    return forms.CharField(
        label=label, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HeelsField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Heel(s) affected"))
        kwargs.setdefault("error_messages", {"required": _("Choose at least one heel.")})
        super().__init__(choices=HEEL_CHOICES, **kwargs)


class EpisodeOpenForm(forms.Form):
    starts_on = forms.DateField(label=_("First day of the episode"), widget=DateInput())
    condition = forms.ChoiceField(label=_("Condition"), choices=Condition.choices)
    heels = HeelsField()
    reason = forms.CharField(
        label=_("Why a new episode"),
        required=False,
        max_length=2000,
        help_text=_("For example: the other foot, a new complaint, a relapse after discharge."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EpisodeHeelsForm(forms.Form):
    heels = HeelsField()


class Week6ReviewForm(forms.Form):
    kind = ReviewKind.WEEK_6_REVIEW
    note = _note(_("Note (optional)"))


class Week12OutcomeForm(forms.Form):
    kind = ReviewKind.WEEK_12_OUTCOME
    outcome = forms.ChoiceField(
        label=_("What came of the week-12 advice"),
        choices=ReviewOutcome.choices,
        widget=forms.RadioSelect,
    )
    note = _note(_("Note (optional)"))


REVIEW_FORMS = {form.kind: form for form in (Week6ReviewForm, Week12OutcomeForm)}


class EpisodeCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = _note(_("Note (optional)"))


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors beside the fields they name; the rest above the form."""
    for field, messages in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
