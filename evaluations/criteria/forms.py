"""The administrator's correction of a scoring form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

STAR_CHOICES = [("", _("none")), (3, "★★★"), (4, "★★★★"), (5, "★★★★★")]


def _points_field(required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
        required=required,
        localize=False,
        widget=forms.NumberInput(attrs={"step": "0.25", "class": "form-control form-control-sm"}),
    )


class ScoringFormCorrectionForm(forms.Form):
    """One input per editable value of a form; field names map to (kind, key, attribute)."""

    def __init__(self, *args, tree, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree
        self.targets: dict[str, tuple[str, str, str]] = {}
        self.initial_values: dict[str, object] = {}
        for part in tree:
            self._add("part", part.key, "max_points", part.max_points, _points_field())
            for group in part.groups.all():
                self._add("group", group.key, "max_points", group.max_points, _points_field())
                for criterion in group.all_criteria:
                    self._add(
                        "criterion",
                        criterion.key,
                        "max_points",
                        criterion.max_points,
                        _points_field(required=False),
                    )
                    for option in criterion.options.all():
                        self._add("option", option.key, "points", option.points, _points_field())
                        self._add(
                            "option",
                            option.key,
                            "min_stars",
                            option.min_stars,
                            forms.TypedChoiceField(
                                choices=STAR_CHOICES,
                                coerce=int,
                                empty_value=None,
                                required=False,
                                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                            ),
                        )

    def _add(self, kind, key, attr, value, field) -> None:
        name = f"{kind}|{key}|{attr}"
        field.label = f"{key} {attr}"
        self.fields[name] = field
        self.initial[name] = value
        self.initial_values[name] = value
        self.targets[name] = (kind, key, attr)

    def changes(self) -> dict[tuple[str, str], dict[str, object]]:
        """What differs from the stored values, grouped by node."""
        result: dict[tuple[str, str], dict[str, object]] = {}
        for name, (kind, key, attr) in self.targets.items():
            value = self.cleaned_data.get(name)
            if value != self.initial_values[name]:
                result.setdefault((kind, key), {})[attr] = value
        return result
