"""Form fields the apps share (this module imports no app)."""

from django import forms

# The largest id a row can have (a 64-bit primary key).
MAX_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing a value that is no id before it reaches the database:
    SQLite answers ``pk__in`` with a number past 64 bits by an OverflowError (a server
    error for a forged POST), where PostgreSQL finds no row."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for pk in value:
                try:
                    number = int(str(pk))
                except (TypeError, ValueError):
                    continue  # Django's own check words it
                if not 0 < number <= MAX_ID:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
