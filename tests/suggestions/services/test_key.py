"""Key suggestions (重点督办): the designation and the inspection visits, each refusal with
its code and nothing written, and who may record a visit."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from suggestions import services
from suggestions.models import Inspection, InspectionFile, KeySuggestion, Suggestion
from tests import factories, flows, keys

TODAY = timezone.localdate


def _codes(excinfo) -> set[str]:
    return {e.code for e in excinfo.value.error_list}


def _nothing_designated():
    assert not KeySuggestion.objects.exists()
    assert not KeySuggestion.invited_deputies.through.objects.exists()


def _nothing_inspected():
    assert not Inspection.objects.exists()
    assert not Inspection.deputies.through.objects.exists()
    assert not InspectionFile.objects.exists()


# The designation.


def test_designate_records_the_year_leader_committee_and_invited_deputies(cast):
    suggestion = flows.assigned(cast)
    key = keys.designated(cast, suggestion, deputies=[cast.co_deputy, cast.other_deputy])
    key = KeySuggestion.objects.get(pk=key.pk)
    assert (key.suggestion, key.year, key.leader, key.committee, key.designated_by) == (
        suggestion,
        TODAY().year,
        cast.leader,
        "财政经济委员会",
        cast.staff,
    )
    assert set(key.invited_deputies.all()) == {cast.co_deputy, cast.other_deputy}
    assert key.chosen_on == TODAY()
    # Nothing of the handling moves.
    assert Suggestion.objects.get(pk=suggestion.pk).state == "assigned"


def test_designate_accepts_a_reviewed_suggestion_without_deputies(cast):
    """Chosen before the 交办会: a reviewed suggestion, no deputy invited yet."""
    key = keys.designated(cast, flows.reviewed(cast), deputies=(), committee="  ")
    assert key.committee == ""
    assert not key.invited_deputies.exists()


def _withdrawn(cast):
    suggestion = flows.reviewed(cast)
    services.suggestion_withdraw(suggestion=suggestion, by=cast.staff, reason="代表撤回。")
    return suggestion


def _not_accepted(cast):
    suggestion = flows.proposed(cast)
    services.suggestion_reject(suggestion=suggestion, by=cast.staff, reason="不属于建议范围。")
    return suggestion


def _merged(cast):
    suggestion = flows.reviewed(cast)
    main = flows.reviewed(cast, title="关于学校周边交通安全的建议")
    services.suggestion_merge(suggestions=[suggestion], into=main, by=cast.staff, reason="同一事项")
    return Suggestion.objects.get(pk=suggestion.pk)


@pytest.mark.parametrize(
    "make",
    [
        _withdrawn,  # ended by the deputy
        _not_accepted,  # never entered the loop
        _merged,  # answered through its main suggestion: the main one is chosen
        flows.proposed,  # not reviewed yet: it may still be refused
    ],
)
def test_designate_refuses_a_suggestion_out_of_the_loop(cast, make):
    suggestion = make(cast)
    with pytest.raises(ValidationError) as excinfo:
        keys.designated(cast, suggestion)
    assert _codes(excinfo) == {"not_designable"}
    assert suggestion.get_state_display() in excinfo.value.messages[0]
    _nothing_designated()


def test_designate_refuses_a_suggestion_chosen_already(cast):
    first = keys.designated(cast)
    with pytest.raises(ValidationError) as excinfo:
        keys.designated(
            cast, first.suggestion, leader=cast.other_leader, deputies=[cast.other_deputy]
        )
    assert _codes(excinfo) == {"already_key"}
    assert KeySuggestion.objects.get() == first
    first.refresh_from_db()
    assert first.leader == cast.leader
    assert list(first.invited_deputies.all()) == [cast.co_deputy]


@pytest.mark.parametrize(
    "leader",
    [
        "clerk",  # a unit's clerk leads no unit
        "staff",  # the office chooses; it does not lead
        None,  # no leader given
    ],
)
def test_designate_refuses_a_leader_who_is_not_a_government_leader(cast, leader):
    with pytest.raises(ValidationError) as excinfo:
        keys.designated(cast, leader=getattr(cast, leader) if leader else None)
    assert _codes(excinfo) == {"leader_required"}
    _nothing_designated()


def test_designate_refuses_an_inactive_leader(cast):
    cast.leader.is_active = False
    cast.leader.save()
    with pytest.raises(ValidationError) as excinfo:
        keys.designated(cast)
    assert _codes(excinfo) == {"leader_required"}
    _nothing_designated()


@pytest.mark.parametrize(
    "year",
    [
        1999,  # before any term this system holds
        TODAY().year + 2,  # the year after next: not chosen yet
        "明年",  # not a year
        None,  # not given
    ],
)
def test_designate_refuses_a_bad_year(cast, year):
    with pytest.raises(ValidationError) as excinfo:
        keys.designated(cast, year=year)
    assert _codes(excinfo) == {"bad_year"}
    _nothing_designated()


def test_designate_accepts_next_year_and_a_year_as_text(cast):
    key = keys.designated(cast, year=str(TODAY().year + 1))
    assert KeySuggestion.objects.get(pk=key.pk).year == TODAY().year + 1


def test_designate_refuses_a_committee_name_too_long(cast):
    with pytest.raises(ValidationError) as excinfo:
        keys.designated(cast, committee="委" * 101)
    assert _codes(excinfo) == {"committee_too_long"}
    _nothing_designated()


def test_designate_names_every_failed_condition_at_once(cast):
    with pytest.raises(ValidationError) as excinfo:
        keys.designated(cast, _withdrawn(cast), year=1990, leader=cast.clerk)
    assert _codes(excinfo) == {"not_designable", "bad_year", "leader_required"}
    _nothing_designated()


@pytest.mark.parametrize(
    "role",
    [
        "leader",  # leads it, but the office chooses
        "clerk",
        "reviewer",  # reviews suggestions, does not choose key ones
        "deputy",
    ],
)
def test_designate_is_for_the_committee_office_only(cast, role):
    suggestion = flows.assigned(cast)
    with pytest.raises(PermissionDenied):
        services.key_suggestion_designate(
            suggestion=suggestion,
            by=flows.person(cast, role),
            year=TODAY().year,
            leader=cast.leader,
        )
    _nothing_designated()


# The inspection visits.


@pytest.mark.parametrize("by", ["staff", "leader"])
def test_inspection_records_the_visit_with_its_deputies_and_files(cast, by):
    """The office, or the leading leader, records a visit: who went, what was found and
    agreed, the invited deputies who took part, and its files."""
    key = keys.designated(cast, deputies=[cast.co_deputy, cast.other_deputy])
    day = TODAY() - datetime.timedelta(days=3)
    inspection = keys.visit(
        key,
        getattr(cast, by),
        happened_on=day,
        kind="meeting",
        participants="  刘副市长、财经委、交通局  ",
        findings="  信号灯已完成选址。 ",
        next_steps="月底前完成招标。",
        deputies=[cast.other_deputy],
        files=[keys.png("现场.png"), factories.document("会议纪要.pdf")],
    )
    inspection = Inspection.objects.get(pk=inspection.pk)
    assert (
        inspection.key_suggestion,
        inspection.kind,
        inspection.happened_on,
        inspection.participants,
        inspection.findings,
        inspection.next_steps,
        inspection.recorded_by,
    ) == (key, "meeting", day, "刘副市长、财经委、交通局", "信号灯已完成选址。", "月底前完成招标。",
          getattr(cast, by))  # fmt: skip
    assert list(inspection.deputies.all()) == [cast.other_deputy]
    files = list(inspection.files.all())
    assert [f.name for f in files] == ["现场.png", "会议纪要.pdf"]
    assert files[0].file.read() == keys.PNG
    assert files[0].file.name.startswith("inspections/") and files[0].file.name.endswith(".png")
    assert Suggestion.objects.get(pk=key.suggestion_id).state == "assigned"


def test_inspection_takes_a_date_as_text_and_no_next_steps(cast):
    key = keys.designated(cast)
    inspection = keys.visit(key, cast.staff, happened_on=TODAY().isoformat(), next_steps="")
    assert (inspection.happened_on, inspection.next_steps, inspection.kind) == (
        TODAY(),
        "",
        "visit",
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"happened_on": TODAY() + datetime.timedelta(days=1)}, "date_future"),
        ({"happened_on": ""}, "date_required"),
        ({"happened_on": "三月"}, "date_required"),
        ({"participants": "  "}, "participants_required"),
        ({"findings": ""}, "findings_required"),
        ({"kind": "party"}, "bad_kind"),
        ({"deputies": "other_deputy"}, "deputy_not_invited"),  # not invited to follow it
        ({"deputies": "deputy"}, "deputy_not_invited"),  # its own deputy, not invited
        ({"files": "text"}, "document_type"),  # a text file
        ({"files": "docx"}, "scan_type"),  # Word: photos and PDFs only
        ({"files": "renamed"}, "document_name_mismatch"),  # a PDF named .png
    ],
)
def test_inspection_refused_with_its_code_and_nothing_written(cast, changes, code):
    key = keys.designated(cast)
    if "deputies" in changes:
        changes = {"deputies": [getattr(cast, changes["deputies"])]}
    if "files" in changes:
        changes = {
            "files": [
                keys.png(),
                {
                    "text": ContentFile("视察情况".encode(), name="视察.txt"),
                    "docx": _docx(),
                    "renamed": factories.document("照片.png"),
                }[changes["files"]],
            ]
        }
    with pytest.raises(ValidationError) as excinfo:
        keys.visit(key, cast.staff, **changes)
    assert _codes(excinfo) == {code}
    _nothing_inspected()


def _docx() -> ContentFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return ContentFile(buffer.getvalue(), name="纪要.docx")


def test_inspection_names_every_failed_condition_at_once(cast):
    key = keys.designated(cast)
    with pytest.raises(ValidationError) as excinfo:
        keys.visit(key, cast.staff, participants="", findings="", deputies=[cast.deputy])
    assert _codes(excinfo) == {"participants_required", "findings_required", "deputy_not_invited"}
    _nothing_inspected()


@pytest.mark.parametrize(
    "role",
    [
        "other_leader",  # another unit's leader: leads another key suggestion, not this one
        "head",  # the lead unit's head
        "clerk",
        "co_deputy",  # invited to follow it: sees the visits, records none
        "reviewer",
    ],
)
def test_inspection_is_for_the_office_and_the_leading_leader_only(cast, role):
    key = keys.designated(cast)
    keys.designated(cast, flows.assigned(cast, title="另一件建议"), leader=cast.other_leader)
    with pytest.raises(PermissionDenied):
        keys.visit(key, flows.person(cast, role))
    _nothing_inspected()


def test_inspection_refused_to_the_leader_once_inactive(cast):
    key = keys.designated(cast)
    cast.leader.is_active = False
    cast.leader.save()
    assert not services.may_record_inspection(cast.leader, key)
    with pytest.raises(PermissionDenied):
        keys.visit(key, cast.leader)
    _nothing_inspected()


def test_may_record_inspection_answers_as_the_service_decides(cast):
    key = keys.designated(cast)
    assert services.may_record_inspection(cast.staff, key)
    assert services.may_record_inspection(cast.leader, key)
    assert not services.may_record_inspection(cast.other_leader, key)
    assert not services.may_record_inspection(cast.co_deputy.user, key)
