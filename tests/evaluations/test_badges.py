"""Badge colours and labels live on the enums (ocop.core.enums.BadgeChoices); one tag and
one filter draw them (ocop/core/templatetags/status_tags.py)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from evaluations.enums import CertificateStatus, MemberSheetStatus
from ocop.core.enums import BADGE_CHOICES, BadgeChoices, badges


def render(source: str, **context) -> str:
    with translation.override("en"):
        return Template("{% load status_tags %}" + source).render(Context(context))


def test_every_member_of_every_badge_class_has_a_colour():
    for choices in BADGE_CHOICES.values():
        assert set(choices.badge_colours) == set(choices.values), choices.__name__


def test_a_class_missing_a_colour_is_refused_at_import():
    class Light(BadgeChoices):
        ON = "on", "On"
        OFF = "off", "Off"

    with pytest.raises(TypeError, match="missing \\['OFF'\\]"):
        badges(ON="success")(Light)


def test_the_badge_tag_draws_label_colour_and_data():
    assert render(
        '{% badge "DossierState" state testid="dossier-state" data="state" extra="fs-6" %}',
        state="returned",
    ) == (
        '<span class="badge text-bg-warning fs-6" data-testid="dossier-state" '
        'data-state="returned">Returned for correction</span>'
    )
    assert render('{% badge "MemberSheetStatus" "not_declared" %}') == (
        '<span class="badge text-bg-light border">not started</span>'
    )
    assert render('{{ "revoked"|badge_css:"CertificateStatus" }}') == "danger"


def test_an_unknown_value_is_shown_as_it_is_and_an_unknown_class_is_an_error():
    assert render('{% badge "Outcome" value %}', value="<x>") == (
        '<span class="badge text-bg-secondary">&lt;x&gt;</span>'
    )
    with pytest.raises(TemplateSyntaxError):
        render('{% badge "NoSuchStates" "x" %}')


def test_the_status_partials_draw_as_before():
    with translation.override("en"):
        certificate = Template(
            '{% include "evaluations/certificates/_status.html" with status=s %}'
        ).render(Context({"s": CertificateStatus.EXPIRING}))
        member = Template('{% include "evaluations/sessions/_status.html" with status=s %}')
        statuses = {s: member.render(Context({"s": s})).strip() for s in MemberSheetStatus}
    assert certificate.strip() == (
        '<span class="badge text-bg-warning" data-testid="certificate-status" '
        'data-status="expiring">Expiring soon</span>'
    )
    assert statuses == {
        "submitted": '<span class="badge text-bg-success">submitted</span>',
        "draft": '<span class="badge text-bg-warning">scoring</span>',
        "excused": '<span class="badge text-bg-secondary">excused</span>',
        "reopened": '<span class="badge text-bg-warning">re-scoring</span>',
        "recused": '<span class="badge text-bg-secondary">recused</span>',
        "not_declared": '<span class="badge text-bg-light border">not started</span>',
    }
