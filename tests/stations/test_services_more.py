"""More of the stations' services: the unit's answer to a referred opinion, reception
days, an activity's reception day and files, and the deputies a station may name; each
refusal says why and changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from stations import services
from stations.models import (
    Activity,
    ActivityFile,
    LiaisonStation,
    Opinion,
    OpinionStep,
    ReceptionDay,
)
from tests import flows

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"


def _codes(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def _opinion(station, keeper) -> Opinion:
    with flows.on(TODAY):
        return services.opinion_record(
            station=station, by=keeper, matter="公交站台破损。", raised_on=TODAY,
            name="张三", phone="13812341234",
        )  # fmt: skip


@pytest.fixture
def referred(station, keeper, cast) -> Opinion:
    opinion = _opinion(station, keeper)
    with flows.on(TODAY):
        services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit)
    return opinion


def _unchanged(opinion: Opinion) -> tuple:
    fresh = Opinion.objects.get(pk=opinion.pk)
    return fresh.state, fresh.moved_at, OpinionStep.objects.filter(opinion=opinion).count()


# opinion_answer


def test_opinion_answered_by_a_member_of_the_referred_unit(referred, cast):
    """A clerk of the unit answers: the opinion is answered and a step keeps the answer."""
    with flows.on(TODAY + datetime.timedelta(days=3)):
        services.opinion_answer(opinion=referred, by=cast.clerk, answer="  已修复站台。 ")
    referred.refresh_from_db()
    assert referred.state == Opinion.State.ANSWERED
    step = referred.steps.last()
    assert (step.to, step.unit, step.notes, step.by) == (
        Opinion.State.ANSWERED, cast.lead_unit, "已修复站台。", cast.clerk,
    )  # fmt: skip
    assert referred.moved_at == step.at


@pytest.mark.parametrize(
    "role",
    [
        "other_clerk",  # a member of another unit
        "co_clerk",  # a member of a unit of the loop, not the one referred to
        "leader",  # the supervising leader sees it but does not answer for the unit
        "deputy",  # a deputy
    ],
)
def test_opinion_answer_by_a_non_member_is_refused(referred, cast, role):
    """Only a member of the unit it was referred to may answer; nothing changes."""
    before = _unchanged(referred)
    with pytest.raises(PermissionDenied):
        services.opinion_answer(opinion=referred, by=flows.person(cast, role), answer="答复。")
    assert _unchanged(referred) == before


def test_opinion_answer_by_the_keeper_is_refused(referred, keeper):
    """The station's keeper does not answer for the unit."""
    before = _unchanged(referred)
    with pytest.raises(PermissionDenied):
        services.opinion_answer(opinion=referred, by=keeper, answer="答复。")
    assert _unchanged(referred) == before


def test_opinion_answer_of_an_opinion_not_referred_is_refused(station, keeper, cast):
    """An opinion forwarded to a deputy (no unit) cannot be answered by a unit."""
    opinion = _opinion(station, keeper)
    services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
    before = _unchanged(opinion)
    with pytest.raises(PermissionDenied):
        services.opinion_answer(opinion=opinion, by=cast.clerk, answer="答复。")
    assert _unchanged(opinion) == before


def test_opinion_answer_empty_is_refused(referred, cast):
    """An empty (or blank) answer is refused with answer_required; nothing changes."""
    before = _unchanged(referred)
    with pytest.raises(ValidationError) as refused:
        services.opinion_answer(opinion=referred, by=cast.clerk, answer="   ")
    assert _codes(refused.value) == {"answer_required"}
    assert _unchanged(referred) == before


def test_opinion_answered_twice_is_refused(referred, cast):
    """A second answer is refused (not_referred: it is answered already); the first stays."""
    services.opinion_answer(opinion=referred, by=cast.clerk, answer="第一次答复。")
    before = _unchanged(referred)
    with pytest.raises(ValidationError) as refused:
        services.opinion_answer(opinion=referred, by=cast.head, answer="第二次答复。")
    assert _codes(refused.value) == {"not_referred"}
    assert _unchanged(referred) == before
    assert list(referred.steps.filter(to="answered").values_list("notes", flat=True)) == [
        "第一次答复。"
    ]


def test_opinion_answer_lists_every_reason_at_once(referred, cast):
    """Answered already and empty: both reasons are given together."""
    services.opinion_answer(opinion=referred, by=cast.clerk, answer="答复。")
    with pytest.raises(ValidationError) as refused:
        services.opinion_answer(opinion=referred, by=cast.clerk, answer="")
    assert _codes(refused.value) == {"not_referred", "answer_required"}


# reception_day_plan


def test_reception_day_planned_with_the_deputies_on_duty(station, keeper, cast):
    """A keeper plans a reception day with the station's deputy on duty."""
    day = TODAY + datetime.timedelta(days=10)
    reception = services.reception_day_plan(
        station=station, by=keeper, day=day, deputies=[cast.deputy], notes="月度接待日。"
    )
    assert (reception.station, reception.day, reception.planned_by) == (station, day, keeper)
    assert list(reception.deputies.all()) == [cast.deputy]


def test_reception_day_taken_is_refused(station, keeper):
    """A second reception day on the same day at the same station: day_taken."""
    day = TODAY + datetime.timedelta(days=10)
    services.reception_day_plan(station=station, by=keeper, day=day)
    with pytest.raises(ValidationError) as refused:
        services.reception_day_plan(station=station, by=keeper, day=day)
    assert _codes(refused.value) == {"day_taken"}
    assert ReceptionDay.objects.count() == 1


def test_reception_day_the_same_day_at_another_station_is_allowed(station, keeper):
    """The day is taken per station: another station may receive on it."""
    other = LiaisonStation.objects.create(name="桃源区代表之家", kind="home", level="county")
    other.keepers.add(keeper)
    day = TODAY + datetime.timedelta(days=10)
    services.reception_day_plan(station=station, by=keeper, day=day)
    services.reception_day_plan(station=other, by=keeper, day=day)
    assert ReceptionDay.objects.filter(day=day).count() == 2


def test_reception_day_with_a_deputy_not_of_the_station_is_refused(station, keeper, cast):
    """A deputy who does not use the station: deputy_not_of_station; nothing planned."""
    with pytest.raises(ValidationError) as refused:
        services.reception_day_plan(
            station=station, by=keeper, day=TODAY, deputies=[cast.deputy, cast.other_deputy]
        )
    assert _codes(refused.value) == {"deputy_not_of_station"}
    assert not ReceptionDay.objects.exists()


def test_reception_day_planned_by_someone_else_is_refused(station, cast):
    """A clerk (no keeper) may not plan a station's reception day."""
    with pytest.raises(PermissionDenied):
        services.reception_day_plan(station=station, by=cast.clerk, day=TODAY)
    assert not ReceptionDay.objects.exists()


# station_activity_record: reception day, files, deputies


def test_activity_recorded_with_its_reception_day_and_files(station, keeper, cast):
    """A reception held on a planned day, with its photo and minutes kept as files."""
    reception = services.reception_day_plan(station=station, by=keeper, day=TODAY)
    with flows.on(TODAY):
        activity = services.station_activity_record(
            station=station, by=keeper, kind="reception", happened_on=TODAY,
            deputies=[cast.deputy], citizens=8, reception_day=reception,
            files=[SimpleUploadedFile("纪要.pdf", PDF), None],
        )  # fmt: skip
    assert activity.reception_day == reception
    files = list(ActivityFile.objects.filter(activity=activity))
    assert [f.name for f in files] == ["纪要.pdf"]
    assert files[0].file.read() == PDF


def test_activity_with_another_stations_reception_day_is_refused(station, keeper, cast):
    """A reception day of another station: reception_day_elsewhere; nothing recorded."""
    other = LiaisonStation.objects.create(name="桃源区代表之家", kind="home", level="county")
    other.keepers.add(keeper)
    elsewhere = services.reception_day_plan(station=other, by=keeper, day=TODAY)
    with flows.on(TODAY), pytest.raises(ValidationError) as refused:
        services.station_activity_record(
            station=station, by=keeper, kind="reception", happened_on=TODAY,
            reception_day=elsewhere,
        )  # fmt: skip
    assert _codes(refused.value) == {"reception_day_elsewhere"}
    assert not Activity.objects.exists()


def test_activity_with_a_bad_file_is_refused_whole(station, keeper):
    """A file that is no PDF, JPEG or PNG refuses the activity; no file and no activity
    are written, even with a good file beside it."""
    files = [SimpleUploadedFile("纪要.pdf", PDF), SimpleUploadedFile("照片.jpg", b"not a photo")]
    with flows.on(TODAY), pytest.raises(ValidationError) as refused:
        services.station_activity_record(
            station=station, by=keeper, kind="briefing", happened_on=TODAY, files=files
        )
    assert _codes(refused.value) == {"document_type"}
    assert not Activity.objects.exists()
    assert not ActivityFile.objects.exists()


def test_activity_with_a_deputy_not_of_the_station_is_refused(station, keeper, cast):
    """A deputy who does not use the station: deputy_not_of_station; nothing recorded."""
    with flows.on(TODAY), pytest.raises(ValidationError) as refused:
        services.station_activity_record(
            station=station, by=keeper, kind="reception", happened_on=TODAY,
            deputies=[cast.other_deputy],
        )  # fmt: skip
    assert _codes(refused.value) == {"deputy_not_of_station"}
    assert not Activity.objects.exists()


# opinion_route


def test_opinion_forwarded_to_a_deputy_not_of_the_station_is_refused(station, keeper, cast):
    """Forwarding to a deputy who does not use the station: deputy_not_of_station; the
    opinion stays open with no step."""
    opinion = _opinion(station, keeper)
    with pytest.raises(ValidationError) as refused:
        services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.other_deputy)
    assert _codes(refused.value) == {"deputy_not_of_station"}
    opinion.refresh_from_db()
    assert (opinion.state, opinion.deputy) == (Opinion.State.OPEN, None)
    assert not OpinionStep.objects.exists()
