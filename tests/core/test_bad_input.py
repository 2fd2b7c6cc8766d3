"""Issue 10, part 5: bad input never gets a 500 or a half-saved object. Ids from users that no
database column can hold; the admin's user pages with malformed dates and huge numbers; free
text past its limit."""

import io

import pytest
from django import forms
from django.http import HttpResponse
from django.utils import translation
from django.utils.module_loading import import_string

from ocop.core.enums import Role
from ocop.core.forms import ID_MAX, ID_MIN, IdMultipleChoiceField, LimitedTextField, parse_id
from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from ocop.core.middleware import RequestBodyLimitMiddleware
from ocop.core.models import AdministrativeUnit, AuditEntry, User

HUGE = "99999999999999999999"


@pytest.fixture(autouse=True)
def english():
    """Messages read in English here (outside a request the default is Vietnamese); one test
    reads them in Vietnamese."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 42 ", 42),
        (42, 42),
        ("-1", -1),
        (str(ID_MAX), ID_MAX),
        (str(ID_MIN), ID_MIN),
        (str(ID_MAX + 1), None),
        (str(ID_MIN - 1), None),
        (HUGE, None),
        (int(HUGE), None),
        ("1e400", None),
        ("1.0", None),
        ("0x10", None),
        ("１２", None),  # full-width digits: int() reads them, no id is written so
        ("", None),
        ("4\x002", None),
        (True, None),
    ],
)
def test_parse_id(raw, expected):
    assert parse_id(raw) == expected


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "9223372036854775808", "1e400"])
def test_id_field_refuses_an_impossible_id_without_the_database(value):
    """No `django_db` mark: any query would fail the test. This is the SQLite case too, where
    the query itself would raise OverflowError."""
    field = IdMultipleChoiceField(
        queryset=AdministrativeUnit.objects.all(),
        error_messages={"invalid_pk_value": "Không hợp lệ: %(pk)s"},
    )

    with pytest.raises(forms.ValidationError) as error:
        field.clean(["1", value])

    assert error.value.code == "invalid_pk_value"
    assert error.value.messages == [f"Không hợp lệ: {value}"]


# --- the admin's user pages --------------------------------------------------------------------


def _change_data(user, **extra):
    data = {
        "username": user.username,
        "email": "canbo@tanlac.gov.vn",
        "first_name": "Hoa",
        "last_name": "Bùi Thị",
        "phone": "",
        "is_active": "on",
        "roles": ["district_officer"],
        "jurisdiction": user.jurisdiction_id,
        "_save": "Save",
    }
    return data | extra


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"jurisdiction": HUGE},
        {"jurisdiction": "-" + HUGE},
        {"jurisdiction": "1e400"},
        {
            "jurisdiction": HUGE,
            "last_login_0": "2026-13-45",
            "last_login_1": "25:99",
            "date_joined_0": "99999999-01-01",
            "date_joined_1": "x",
        },
    ],
)
def test_admin_user_form_answers_bad_input_with_a_form_error(client, role_users, extra):
    client.force_login(role_users[Role.ADMINISTRATOR])
    officer = role_users[Role.DISTRICT_OFFICER]
    before = (officer.first_name, officer.email, officer.jurisdiction_id)
    audit_before = AuditEntry.objects.count()

    response = client.post(f"/admin/core/user/{officer.pk}/change/", _change_data(officer, **extra))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["jurisdiction"]
    officer.refresh_from_db()
    assert (officer.first_name, officer.email, officer.jurisdiction_id) == before
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_admin_user_form_ignores_posted_read_only_dates(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])
    officer = role_users[Role.DISTRICT_OFFICER]
    joined = officer.date_joined

    response = client.post(
        f"/admin/core/user/{officer.pk}/change/",
        _change_data(officer, date_joined_0="0000-00-00", date_joined_1="99:99", last_login="x"),
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.first_name, officer.date_joined) == ("Hoa", joined)


@pytest.mark.django_db
def test_admin_add_user_with_a_huge_jurisdiction_saves_nothing(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "canbo.moi",
            "email": "moi@tanlac.gov.vn",
            "password1": "mật-khẩu-dài-2026",
            "password2": "mật-khẩu-dài-2026",
            "usable_password": "true",
            "roles": ["district_officer"],
            "jurisdiction": HUGE,
            "_save": "Save",
        },
    )

    assert response.status_code == 200
    assert "jurisdiction" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="canbo.moi").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "date_joined__year=99999999999",
        "last_login__year=-99999999999",
        "date_joined__gte=2026-13-45",
        f"id__in={HUGE}",
        f"id__range=1,{HUGE}",
        f"jurisdiction__id__exact={HUGE}",
        f"groups__id__exact={HUGE}",
        f"p={HUGE}",
    ],
)
def test_admin_user_list_answers_bad_lookups_without_a_500(client, role_users, query):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = client.get(f"/admin/core/user/?{query}")

    # Django's answer to a bad lookup: back to the list with "?e=1" (or the list, filtered
    # to nothing); never a server error.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response.url == "/admin/core/user/?e=1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/admin/core/auditentry/?seq__year={HUGE[:12]}",
        f"/admin/core/auditentry/?at__year={HUGE[:12]}",
        f"/admin/core/administrativeunit/?id__in={HUGE}",
        f"/admin/axes/accessattempt/?attempt_time__year={HUGE[:12]}",
    ],
)
def test_other_core_admin_lists_answer_bad_lookups_without_a_500(client, role_users, path):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = client.get(path)

    assert response.status_code in (200, 302)


# --- free text: limits shown and enforced ------------------------------------------------------


class _NoteForm(forms.Form):
    note = LimitedTextField(label="Ghi chú", max_length=20, help_text="Cho nhà sản xuất.")


def test_a_limited_text_field_shows_its_limit():
    html = str(_NoteForm()["note"])

    assert 'maxlength="20"' in html
    assert html.startswith("<textarea")
    assert str(_NoteForm().fields["note"].help_text) == "Cho nhà sản xuất. At most 20 characters."


def test_a_limited_text_field_refuses_longer_text_with_a_clear_message():
    form = _NoteForm(data={"note": "x" * 21})

    assert not form.is_valid()
    assert form.errors["note"] == ["Write at most 20 characters; this text has 21."]


def test_line_breaks_count_as_one_character_as_in_the_browser():
    # 10 lines of one character: 19 characters in the browser, 28 as CR LF on the wire.
    form = _NoteForm(data={"note": "\r\n".join("abcdefghij")})

    assert form.is_valid()
    assert form.cleaned_data["note"] == "\n".join("abcdefghij")


def test_limits_speak_vietnamese():
    with translation.override("vi"):
        form = _NoteForm(data={"note": "x" * 21})
        form.is_valid()
        help_text = str(form.fields["note"].help_text)
        [error] = form.errors["note"]

    assert help_text == "Cho nhà sản xuất. Tối đa 20 ký tự."
    assert error == "Chỉ được viết tối đa 20 ký tự; nội dung này có 21 ký tự."


@pytest.mark.parametrize(
    ("form_class", "name", "limit"),
    [
        ("evaluations.certificates.forms.InspectionForm", "findings", LONG_TEXT_MAX_LENGTH),
        ("evaluations.certificates.forms.RevokeForm", "note", NOTE_MAX_LENGTH),
        ("evaluations.councils.forms.DiscussionForm", "conclusion", LONG_TEXT_MAX_LENGTH),
        ("evaluations.councils.forms.FinaliseForm", "comments", LONG_TEXT_MAX_LENGTH),
        ("evaluations.councils.forms.ConflictForm", "reason", NOTE_MAX_LENGTH),
        ("evaluations.intake.forms.ExtendDeadlineForm", "reason", REASON_MAX_LENGTH),
        ("evaluations.intake.forms.WithdrawForm", "reason", REASON_MAX_LENGTH),
        ("products.forms.ProducerRejectForm", "reason", NOTE_MAX_LENGTH),
    ],
)
def test_free_text_fields_have_their_limits(form_class, name, limit):
    form = import_string(form_class)(data={name: "x" * (limit + 1)})

    assert f'maxlength="{limit}"' in str(form[name])
    assert f"At most {limit} characters." in str(form.fields[name].help_text)
    assert not form.is_valid()
    assert form.errors[name] == [f"Write at most {limit} characters; this text has {limit + 1}."]


# --- the request body cap ---------------------------------------------------------------------


class _UnreadableBody(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")

    readline = readinto = read


def test_a_request_past_the_cap_is_refused_before_its_body_is_read(rf, settings):
    settings.OCOP_MAX_REQUEST_BYTES = 21 * 1024 * 1024
    request = rf.post("/producer/documents/new/", data=b"", content_type="multipart/form-data")
    request.META["CONTENT_LENGTH"] = str(25 * 1024 * 1024)
    request.META["wsgi.input"] = _UnreadableBody()
    reached = []

    with translation.override("vi"):
        response = RequestBodyLimitMiddleware(reached.append)(request)

    assert response.status_code == 413
    assert reached == []
    body = response.content.decode()
    assert "Dung lượng gửi quá lớn" in body
    assert "25,0\xa0MB" in body and "21,0\xa0MB" in body


@pytest.mark.parametrize("length", ["", "0", "abc", str(21 * 1024 * 1024)])
def test_a_request_within_the_cap_goes_on(rf, settings, length):
    settings.OCOP_MAX_REQUEST_BYTES = 21 * 1024 * 1024
    request = rf.post("/", data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = length

    response = RequestBodyLimitMiddleware(lambda r: HttpResponse("ok"))(request)

    assert response.status_code == 200


def test_the_413_page_speaks_english_when_chosen(rf):
    request = rf.post("/", data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(10**9)

    response = RequestBodyLimitMiddleware(lambda r: HttpResponse("ok"))(request)

    assert response.status_code == 413
    assert "Too large to send" in response.content.decode()
