"""What the certificates' services tell the packages after them, without importing them.

`inspection_recorded` is sent by `services.inspection_record` inside its transaction, with
`inspection` and `actor`: a receiver's changes commit (and audit) with the inspection, or roll
back with it. The follow-up's inspection plan links its planned item to the inspection
(`evaluations.followup.services.plan_item_link_inspection`, connected in `apps.ready`).
"""

from django.dispatch import Signal

inspection_recorded = Signal()
