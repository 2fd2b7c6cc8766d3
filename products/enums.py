from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    """Which decision's product classification a sector, group or set belongs to."""

    QD148_2023 = "148/2023", _("Decision 148/QĐ-TTg (2023)")
