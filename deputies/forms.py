"""The deputy's one form: the sign-off of a reply, with two ratings and an opinion.

The form only checks the input's shape; ``services.signoff_record`` decides what is
allowed (the lead deputy only, once per round, a reason when dissatisfied).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from suggestions.models import SignOff


class DeputySignOffForm(forms.Form):
    work_rating = forms.ChoiceField(
        label=_("The handling work and the contact with you"),
        choices=SignOff.Rating.choices,
        widget=forms.RadioSelect,
    )
    result_rating = forms.ChoiceField(
        label=_("The result"),
        choices=SignOff.Rating.choices,
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=_("Your opinion"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you are dissatisfied: say why."),
    )

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
