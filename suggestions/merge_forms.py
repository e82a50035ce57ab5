"""The forms of merging suggestions on one matter (并案): one suggestion merged into a main
one (the action "merge" on its admin page), and the ledger's selected suggestions
merged into one of them (the bulk action's page, ``admin.merge``).

Staff name the main suggestion by its number, as they know it (in the term and session
of the suggestion merged, or, if that finds none, the one suggestion of that number in
the term), or by its id written ``#123`` (what a link from the similar-suggestion panel
fills in: the action's page takes ``?into=<id>``). The service decides whether the merge
is allowed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import ActionForm
from .models import Suggestion

MAIN_HELP = _("Its number (e.g. 15, in this term and session), or its id written as #123.")


def find_main(text: str, *, term: int, session: int) -> Suggestion | None:
    """The suggestion ``text`` names: ``#id``, or a number in the term and session (else the
    only one of that number in the term)."""
    text = (text or "").strip().removeprefix("第").removesuffix("号").strip()
    if text.startswith("#"):
        try:
            return Suggestion.objects.filter(pk=int(text[1:])).first()
        except ValueError:
            return None
    if not text:
        return None
    found = Suggestion.objects.filter(term=term, session=session, number=text).first()
    if found is not None:
        return found
    in_term = list(Suggestion.objects.filter(term=term, number=text)[:2])
    return in_term[0] if len(in_term) == 1 else None


def _not_found(text: str) -> forms.ValidationError:
    return forms.ValidationError(
        _("No suggestion “%(text)s” found: give its number or #id."),
        code="main_not_found",
        params={"text": text},
    )


class MergeIntoForm(ActionForm):
    """This suggestion merged into a main one."""

    into = forms.CharField(label=_("Main suggestion"), max_length=40, help_text=MAIN_HELP)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the same matter as the main suggestion."),
    )

    def __init__(self, *args, obj, **kwargs):
        initial = dict(kwargs.pop("initial", None) or {})
        # ?into=<id> (the similar-suggestion panel's link): the main suggestion by its id.
        given = str(initial.get("into", "")).strip()
        self.proposed_main = None
        if given.isdecimal():
            self.proposed_main = Suggestion.objects.filter(pk=int(given)).first()
            initial["into"] = f"#{given}"
        super().__init__(*args, obj=obj, initial=initial, **kwargs)
        if self.proposed_main is not None:
            self.fields["into"].help_text = _("Proposed: %(main)s. %(help)s") % {
                "main": self.proposed_main,
                "help": MAIN_HELP,
            }

    def clean_into(self) -> Suggestion:
        text = self.cleaned_data["into"]
        main = find_main(text, term=self.obj.term, session=self.obj.session)
        if main is None:
            raise _not_found(text)
        return main

    def service_kwargs(self) -> dict:
        return {
            "suggestions": [self.obj],
            "into": self.cleaned_data["into"],
            "reason": self.cleaned_data["reason"],
        }


class MergeSelectedForm(ActionForm):
    """The ledger's selected suggestions (``obj``, a list): the main one among them (or
    another, by its number), and the reason; the others are merged into it, by the table's
    action "merge" (``service_kwargs``)."""

    main = forms.TypedChoiceField(
        label=_("Main suggestion"),
        coerce=int,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("The suggestion handled for all of them; the others are merged into it."),
    )
    main_number = forms.CharField(
        label=_("Or another main suggestion"),
        required=False,
        max_length=40,
        help_text=MAIN_HELP,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the same matter as the main suggestion."),
    )

    def __init__(self, *args, obj: list[Suggestion], **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.suggestions = obj
        self.fields["main"].choices = [(s.pk, str(s)) for s in obj]

    def clean(self):
        data = super().clean()
        chosen, typed = data.get("main"), (data.get("main_number") or "").strip()
        if chosen and typed:
            raise forms.ValidationError(
                _(
                    "Choose the main suggestion among the selected ones or type its number, "
                    "not both."
                ),
                code="main_twice",
            )
        if chosen:
            data["into"] = next(s for s in self.suggestions if s.pk == chosen)
        elif typed:
            first = self.suggestions[0]
            data["into"] = find_main(typed, term=first.term, session=first.session)
            if data["into"] is None:
                self.add_error("main_number", _not_found(typed))
        else:
            raise forms.ValidationError(_("Choose the main suggestion."), code="main_required")
        return data

    def merged(self) -> list[Suggestion]:
        """The selected suggestions other than the main one."""
        into = self.cleaned_data["into"]
        return [s for s in self.suggestions if s.pk != into.pk]

    def service_kwargs(self) -> dict:
        return {
            "suggestions": self.merged(),
            "into": self.cleaned_data["into"],
            "reason": self.cleaned_data["reason"],
        }
