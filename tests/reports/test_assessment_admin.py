"""The assessment's admin: manual deductions through ``deduction_record``, the schemes
read-only once their year is closed, the closings and frozen rows as records."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from reports import services
from reports.models import AssessmentEvent, AssessmentScheme, Deduction
from tests import flows
from tests.reports import assessment_data as data

pytestmark = pytest.mark.django_db


def add_deduction(client, cast, **fields):
    client.force_login(cast.staff)
    post = {"unit": cast.lead_unit.pk, "year": 2026, "points": "2", "reason": "制度不健全"}
    with flows.on(data.SEEN):
        return client.post(reverse("admin:reports_deduction_add"), post | fields)


def test_deduction_admin_add_records_through_the_service(cast, client):
    """The admin's add form records the deduction as the service does (by whom, when)."""
    data.build(cast)
    response = add_deduction(client, cast)
    assert response.status_code == 302
    deduction = Deduction.objects.get()
    assert (deduction.unit, deduction.year, str(deduction.points)) == (cast.lead_unit, 2026, "2.0")
    assert deduction.recorded_by == cast.staff
    assert deduction.reason == "制度不健全"


def test_deduction_admin_add_refused_when_year_closed(cast, client):
    """For a closed year the form shows the service's refusal and records nothing."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
    response = add_deduction(client, cast)
    assert response.status_code == 200
    expected = gettext("The assessment of %(year)s is closed; reopen it first.") % {"year": 2026}
    assert expected in response.content.decode()
    assert not Deduction.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        # no points
        ({"points": "0"}, "Give the points, more than 0 and at most 100."),
        # a unit with no assignment that year
        ({"year": 2025}, "%(unit)s had no assignment in %(year)s: it is not assessed that year."),
    ],
)
def test_deduction_admin_add_shows_service_refusals(cast, client, fields, message):
    """The service's other refusals are the form's errors too."""
    data.build(cast)
    response = add_deduction(client, cast, **fields)
    assert response.status_code == 200
    text = gettext(message)
    if "%(unit)s" in text:
        text = text % {"unit": cast.lead_unit, "year": 2025}
    assert text in response.content.decode()
    assert not Deduction.objects.exists()


def test_deduction_admin_read_only_after_creation(cast, client):
    """A recorded deduction is neither changed nor deleted in the admin."""
    data.build(cast)
    add_deduction(client, cast)
    deduction = Deduction.objects.get()
    change = reverse("admin:reports_deduction_change", args=[deduction.pk])
    assert 'name="reason"' not in client.get(change).content.decode()
    client.post(change, {"unit": cast.lead_unit.pk, "year": 2026, "points": "9", "reason": "x"})
    assert Deduction.objects.get().points == 2
    delete = reverse("admin:reports_deduction_delete", args=[deduction.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Deduction.objects.exists()


def scheme_post(scheme, **points):
    post = {"year": scheme.year}
    for kind in AssessmentScheme.KINDS:
        post[kind] = str(points.get(kind, scheme.points(kind)))
    return post


def test_scheme_admin_editable_while_year_open(cast, client):
    """An open year's points are changed in the admin."""
    scheme = AssessmentScheme.objects.create(year=2026)
    client.force_login(cast.staff)
    url = reverse("admin:reports_assessmentscheme_change", args=[scheme.pk])
    assert client.post(url, scheme_post(scheme, late_reply="3")).status_code == 302
    assert AssessmentScheme.objects.get().late_reply == 3


def test_scheme_admin_read_only_when_year_closed(cast, client):
    """A closed year's scheme is shown read-only; a posted change is refused."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
    scheme = AssessmentScheme.objects.get(year=2026)
    client.force_login(cast.staff)
    url = reverse("admin:reports_assessmentscheme_change", args=[scheme.pk])
    assert 'name="late_reply"' not in client.get(url).content.decode()
    assert client.post(url, scheme_post(scheme, late_reply="9")).status_code == 403
    assert AssessmentScheme.objects.get().late_reply == 2


def test_event_admin_lists_closings_with_link_to_the_page(cast, client):
    """The closings are listed, each linked to its year's page, and never added here."""
    data.build(cast)
    with flows.on(data.SEEN):
        services.assessment_close(year=2026, by=cast.staff)
    client.force_login(cast.staff)
    html = client.get(reverse("admin:reports_assessmentevent_changelist")).content.decode()
    assert f'href="{reverse("reports:assessment", args=[2026])}"' in html
    assert client.get(reverse("admin:reports_assessmentevent_add")).status_code == 403
    event = AssessmentEvent.objects.get()
    delete = reverse("admin:reports_assessmentevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    snapshots = client.get(reverse("admin:reports_assessmentsnapshot_changelist"))
    assert "市交通运输局" in snapshots.content.decode()
    assert client.get(reverse("admin:reports_assessmentsnapshot_add")).status_code == 403


def test_admin_index_links_to_the_assessment(staff, client):
    """The admin's index links to this year's assessment page."""
    client.force_login(staff)
    with flows.on(data.SEEN):
        html = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("reports:assessment", args=[2026])}"' in html
