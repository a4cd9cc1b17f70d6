"""Hostile input, property-based (hypothesis): whatever arrives at a public form, a filter or an
import, the answer is a form error or success, never a 500 and never a stack trace.

Example counts come from the hypothesis profile in tests/conftest.py (small in `make test`).
The same strategies run on PostgreSQL (marked postgres), where a NUL byte would otherwise
reach the database and fail there.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from cms.models import SheetImport
from groups.models import Enrolment
from groups.services.feedback import feedback_links_issue
from tests.factories import EnrolmentFactory, GroupFactory, MeetingFactory, catalogue_page

pytestmark = pytest.mark.django_db

EDGE_CASES = [
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "\u200b\u200c\u200d\ufeff",  # zero-width characters
    "😀👨‍👩‍👧‍👦🏳️‍🌈",
    "مرحبا بالعالم",
    "שלום",
    "Å" * 5000,
    "\ud7ff\ue000\U0010ffff",
    "=cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7*7 }}{% debug %}",
    "../../etc/passwd",
    "%00%ff%fe",
    "\r\nSet-Cookie: x=y",
    "",
    " ",
]
hostile_text = st.one_of(
    st.sampled_from(EDGE_CASES),
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(EDGE_CASES), st.text(max_size=10)), max_size=5).map("".join),
)
OK = {200, 302, 400, 404, 410, 413, 429}


def assert_kind(response) -> None:
    assert response.status_code in OK, response.status_code
    assert b"Traceback" not in response.content


@pytest.fixture
def anonymous(site_tree, settings):
    settings.ENROLMENT_RATE_LIMIT = 0
    settings.LOGIN_RATE_LIMIT = 0
    return Client()


@given(
    name=hostile_text,
    email=hostile_text,
    phone=hostile_text,
    language=hostile_text,
    interpreter=hostile_text,
    needs=hostile_text,
    consent=st.sampled_from(["on", "", "\x00", "yes"]),
)
def test_enrolment_form_never_fails(
    anonymous, name, email, phone, language, interpreter, needs, consent
):
    group = GroupFactory(capacity=5)
    response = anonymous.post(
        f"/en/enrol/{group.pk}/",
        {
            "display_name": name,
            "email": email,
            "phone": phone,
            "language": language,
            "interpreter_language": interpreter,
            "accessibility_needs": needs,
            "consent": consent,
        },
    )
    assert_kind(response)
    for enrolment in Enrolment.objects.filter(group=group):
        assert "\x00" not in enrolment.display_name + enrolment.accessibility_needs


@given(interpreter=hostile_text, needs=hostile_text, answer=hostile_text)
def test_manage_link_forms_never_fail(anonymous, interpreter, needs, answer):
    enrolment = EnrolmentFactory(status=Enrolment.Status.OFFERED)
    token = enrolment.manage_token
    assert_kind(
        anonymous.post(
            f"/fi/my/{token}/needs/",
            {"interpreter_language": interpreter, "accessibility_needs": needs},
        )
    )
    assert_kind(anonymous.post(f"/fi/my/{token}/offer/", {"answer": answer}))
    assert_kind(anonymous.post(f"/fi/my/{token}/cancel/", {"confirm": answer}))


@given(token=hostile_text)
def test_manage_links_with_any_token_never_fail(anonymous, token):
    from urllib.parse import quote

    assert_kind(anonymous.get(f"/fi/my/{quote(token, safe='')}/"))


@given(helped=hostile_text, recommend=hostile_text, comment=hostile_text)
def test_feedback_survey_never_fails(anonymous, helped, recommend, comment):
    group = GroupFactory(status="completed")
    MeetingFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=2))
    EnrolmentFactory(group=group)
    (url,) = feedback_links_issue(group=group)
    data = {"helped": helped, "recommend": recommend, "comment": comment}
    assert_kind(anonymous.post(url, data))


@given(query=hostile_text)
def test_search_never_fails(anonymous, query):
    assert_kind(anonymous.get("/fi/search/", {"q": query}))


@given(
    params=st.dictionaries(
        st.sampled_from(["topic", "format", "mode", "language", "place", "weeks", "q", "page"]),
        hostile_text,
        max_size=5,
    )
)
def test_catalogue_filters_never_fail(anonymous, params):
    page = catalogue_page("fi")
    assert_kind(anonymous.get(page.url, params))


@given(username=hostile_text, password=hostile_text)
def test_login_never_fails(anonymous, username, password):
    assert_kind(anonymous.post("/accounts/login/", {"username": username, "password": password}))


@given(content=st.one_of(st.binary(max_size=2000), hostile_text.map(str.encode)))
@example(content=b"\n")  # a blank first line once gave a 500
@example(content=b"name,email\nA\x00,a@example.invalid\n")
def test_expert_import_of_any_file_gives_a_preview_or_an_error(admin_client, site_tree, content):
    response = admin_client.post(
        reverse("expert_network:import"),
        {"file": SimpleUploadedFile("experts.csv", content, content_type="text/csv")},
    )
    assert response.status_code in {200, 400}


HEADER = (
    "course,name,centre,mode,language,capacity,min_size,facilitator_1,facilitator_2,"
    "schedule,schedule_from,start_time,duration_minutes,status\n"
)


@given(
    cells=st.lists(hostile_text, min_size=0, max_size=14),
    raw=st.binary(max_size=500),
    xlsx_name=st.booleans(),
)
def test_group_import_of_any_file_gives_a_preview_or_an_error(
    admin_client, site_tree, cells, raw, xlsx_name
):
    text = HEADER + ",".join(cell.replace(",", " ").replace("\n", " ") for cell in cells) + "\n"
    for content in (text.encode("utf-8", "surrogatepass"), raw):
        name = "groups.xlsx" if xlsx_name else "groups.csv"
        response = admin_client.post(
            reverse("groups_group_import"), {"file": SimpleUploadedFile(name, content)}
        )
        if response.status_code == 302:
            # An accepted upload goes to the import's own page: a preview or the file's errors.
            page = admin_client.get(response["Location"])
            assert page.status_code == 200
            status = page.context["sheet_import"].status
            assert status in {SheetImport.Status.CHECKED, SheetImport.Status.INVALID}
            text = page.content.decode()
            if status == SheetImport.Status.CHECKED:
                assert "Vahvista tuonti" in text  # the confirm button, in the Finnish admin
            else:
                assert page.context["problems"]
        else:
            assert response.status_code in {200, 400}


def test_a_nul_byte_anywhere_is_refused_before_the_database(anonymous):
    group = GroupFactory()
    assert anonymous.get("/fi/search/", {"q": "a\x00"}).status_code == 400
    assert anonymous.get("/fi/%00/").status_code == 400
    response = anonymous.post(f"/fi/enrol/{group.pk}/", {"display_name": "x\x00"})
    assert response.status_code == 400
    assert "09 2525 0111" in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.postgres
@given(query=hostile_text, name=hostile_text)
def test_on_postgresql_no_input_reaches_the_database_unfit(anonymous, query, name):
    assert_kind(anonymous.get("/sv/search/", {"q": query}))
    assert_kind(anonymous.get(f"/sv/{query[:50]}/".replace("?", "").replace("#", "")))
    assert_kind(anonymous.post("/accounts/login/", {"username": name, "password": query}))
    group = GroupFactory()
    data = {"display_name": name, "phone": "0401234567", "consent": "on", "language": "sv"}
    assert_kind(anonymous.post(f"/sv/enrol/{group.pk}/", data))
