"""The producers' part of each desk (ocop.core.desk): registrations the officers must verify,
product changes the OCOP office must decide."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from ocop.core.desk import DeskSection, DeskTask, limited
from products.enums import ChangeRequestState, ProducerState
from products.selectors import change_requests_for_office, producers_in_jurisdiction


def desk(user, today: date) -> list[DeskSection]:
    sections = []
    if user.is_officer and user.has_perm("products.verify_producer"):
        pending, total = limited(
            producers_in_jurisdiction(user)
            .filter(state=ProducerState.PENDING)
            .select_related("address_unit")
            .order_by("created_at", "pk")
        )
        sections.append(
            DeskSection(
                key="producers_to_verify",
                title=_("Producers to verify"),
                tasks=[
                    DeskTask(
                        title=p.name,
                        url=reverse("products:producer_detail", args=[p.pk]),
                        detail=_("%(kind)s · %(commune)s")
                        % {"kind": p.get_kind_display(), "commune": p.address_unit},
                        since=p.created_at,
                    )
                    for p in pending
                ],
                total=total,
                empty=_("No producer of your area waits for verification."),
                more_url=f"{reverse('products:producer_list')}?state={ProducerState.PENDING}",
                more_label=_("Producers"),
                order=15,
            )
        )
    if user.has_perm("products.view_productchangerequest"):
        requests, total = limited(
            change_requests_for_office(user).filter(state=ChangeRequestState.PENDING)
        )
        if total:
            sections.append(
                DeskSection(
                    key="change_requests",
                    title=_("Product changes to decide"),
                    tasks=[
                        DeskTask(
                            title=r.product.name,
                            url=reverse("products:change_request_list"),
                            detail=r.product.producer.name,
                            since=r.requested_at,
                        )
                        for r in requests
                    ],
                    total=total,
                    more_url=reverse("products:change_request_list"),
                    more_label=_("Product changes"),
                    order=45,
                )
            )
    return sections
