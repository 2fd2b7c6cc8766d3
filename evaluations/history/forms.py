from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.core.uploads import MB

IMPORT_MAX_BYTES = 5 * MB


class ResultImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of published results (.csv or .xlsx)"),
        help_text=_(
            "One row per product and level: province, decision, decision_date, product, "
            "producer, commune, district, stars, score; optionally level, outcome, product_set, "
            "producer_kind. At most 500 rows and 5 MB; the administrator imports larger files."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: split it."))
        return upload
