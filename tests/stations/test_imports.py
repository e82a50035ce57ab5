"""The stations' imports: stations with their parents in any order of the file, updated on
re-import; deputies linked to their stations, a link already there unchanged; any bad row
refuses the whole file with every reason, and nothing is written."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

import sheets
from stations.models import LiaisonStation
from tests import factories
from tests.spreadsheets import grant, xlsx

pytestmark = pytest.mark.django_db

STATION_HEADERS = ["站点名称", "类型", "层级", "上级站点", "地址", "联系人", "联系电话"]
LINK_HEADERS = ["姓名", "代表团/选区", "站点名称"]

# The village room comes before its township station, which comes before the county home.
STATIONS = [
    STATION_HEADERS,
    ["幸福社区联络站", "代表联络站", "村(社区)", "东岗镇代表工作站", "幸福路", "李梅", "8456123"],
    ["东岗镇代表工作站", "代表工作站", "乡镇", "城关区代表之家", "东岗镇政府", "", ""],
    ["城关区代表之家", "代表之家", "县级", "", "城关区人大", "王强", "13800000001"],
    ["桃园村联络室", "代表联络室", "村", "东岗镇代表工作站", "", "", ""],
]  # fmt: skip


@pytest.fixture
def importer(db):
    user = factories.StaffFactory(username="station-importer", groups=[])
    grant(user, "stations.add_liaisonstation", "stations.change_liaisonstation")
    return type(user).objects.get(pk=user.pk)


def _import(importer, kind, rows, **kwargs):
    return sheets.import_file(kind=kind, file=xlsx(rows), by=importer, name="站点.xlsx", **kwargs)


def _state() -> dict:
    return {
        "stations": list(LiaisonStation.objects.order_by("pk").values()),
        "links": list(
            LiaisonStation.deputies.through.objects.order_by("pk").values_list(
                "liaisonstation", "deputy"
            )
        ),
    }


def _errors(report) -> set[tuple]:
    return {(e.row, e.column, e.code) for e in report.errors}


def _refused(importer, kind, rows, *expected):
    """The file is refused with each (row, column, code) expected; nothing changed."""
    before = _state()
    report = _import(importer, kind, rows)
    assert set(expected) <= _errors(report), report.errors
    assert report.outcomes == []
    assert _state() == before
    return report


def _parents() -> dict[str, str | None]:
    return {
        s.name: s.parent.name if s.parent else None
        for s in LiaisonStation.objects.select_related("parent")
    }


# Stations.


def test_stations_import_creates_stations_with_parents_named_later_in_the_file(importer):
    """Chinese kinds and levels become codes; each parent is set though its row comes
    after its children's."""
    report = _import(importer, "stations", STATIONS)
    assert report.errors == []
    assert report.new == 4
    assert _parents() == {
        "幸福社区联络站": "东岗镇代表工作站",
        "东岗镇代表工作站": "城关区代表之家",
        "城关区代表之家": None,
        "桃园村联络室": "东岗镇代表工作站",
    }
    assert sorted(LiaisonStation.objects.values_list("name", "kind", "level")) == [
        ("东岗镇代表工作站", "station", "township"),
        ("城关区代表之家", "home", "county"),
        ("幸福社区联络站", "room", "village"),
        ("桃园村联络室", "room", "village"),
    ]
    station = LiaisonStation.objects.get(name="幸福社区联络站")
    assert (station.address, station.contact, station.phone) == (
        "幸福路",
        "李梅",
        "8456123",
    )


def test_stations_import_accepts_codes_and_a_saved_parent(importer):
    """Codes (home, village) are accepted; a parent may be a station already saved."""
    LiaisonStation.objects.create(name="城关区代表之家", kind="home", level="county")
    rows = [STATION_HEADERS, ["新村联络站", "room", "village", "城关区代表之家", "", "", ""]]
    report = _import(importer, "stations", rows)
    assert report.errors == [] and report.new == 1
    assert _parents()["新村联络站"] == "城关区代表之家"


def test_stations_import_again_changes_nothing(importer):
    """Re-importing the same file: every row unchanged, nothing written."""
    _import(importer, "stations", STATIONS)
    before = _state()
    report = _import(importer, "stations", STATIONS)
    assert report.errors == []
    assert (report.new, report.updated, report.unchanged) == (0, 0, 4)
    assert _state() == before


def test_stations_import_updates_a_station_whose_details_changed(importer):
    """A station of the same name takes the file's new kind, contact and parent."""
    _import(importer, "stations", STATIONS)
    changed = [
        STATION_HEADERS,
        ["幸福社区联络站", "代表工作站", "村", "城关区代表之家", "幸福路2号", "赵刚", ""],
    ]
    report = _import(importer, "stations", changed)
    assert (report.new, report.updated) == (0, 1)
    station = LiaisonStation.objects.get(name="幸福社区联络站")
    assert (station.kind, station.address, station.contact, station.phone) == (
        "station",
        "幸福路2号",
        "赵刚",
        "",
    )
    assert station.parent.name == "城关区代表之家"
    assert LiaisonStation.objects.count() == 4


def test_stations_import_without_parent_column_keeps_the_parents(importer):
    """A file without 上级站点 leaves each station's parent as it is."""
    _import(importer, "stations", STATIONS)
    rows = [STATION_HEADERS[:3], ["幸福社区联络站", "代表联络站", "村"]]
    report = _import(importer, "stations", rows)
    assert report.errors == [] and report.unchanged == 1
    assert _parents()["幸福社区联络站"] == "东岗镇代表工作站"


def test_stations_import_refuses_an_unknown_parent_with_its_name(importer):
    """A parent neither saved nor in the file: the row, the column and the name."""
    rows = [*STATIONS, ["新村联络站", "代表联络站", "村", "西岗镇代表工作站", "", "", ""]]
    report = _refused(importer, "stations", rows, (6, "上级站点", "unknown_parent"))
    assert "西岗镇代表工作站" in str(report.errors[0])


def test_stations_import_refuses_a_station_twice(importer):
    """The same name twice in one file: the second row, pointing at the first."""
    report = _refused(
        importer, "stations", [*STATIONS, STATIONS[3]], (6, "站点名称", "duplicate_key")
    )
    assert "4" in report.errors[0].message


def test_stations_import_refuses_parents_that_lead_back(importer):
    """A station its own parent, or two stations each the other's parent: refused."""
    rows = [
        STATION_HEADERS,
        ["甲站", "代表工作站", "乡", "乙站", "", "", ""],
        ["乙站", "代表工作站", "乡", "甲站", "", "", ""],
        ["丙站", "代表工作站", "乡", "丙站", "", "", ""],
    ]
    _refused(
        importer,
        "stations",
        rows,
        (2, "上级站点", "parent_loop"),
        (3, "上级站点", "parent_loop"),
        (4, "上级站点", "parent_loop"),
    )


@pytest.mark.parametrize(
    ("index", "value", "column", "code"),
    [
        (1, "代表之屋", "类型", "bad_choice"),  # no such kind
        (2, "省级", "层级", "bad_choice"),  # stations are county, township or village
        (1, "", "类型", "required"),
        (0, "=A1", "站点名称", "formula"),
    ],
)
def test_stations_import_refuses_a_bad_kind_or_level(importer, index, value, column, code):
    """An unknown kind or level (or a blank one, or a formula) refuses the file."""
    bad = list(STATIONS[2])
    bad[index] = value
    _refused(importer, "stations", [STATIONS[0], STATIONS[3], bad], (3, column, code))


def test_stations_import_reports_every_bad_row_in_chinese(importer):
    """Every bad row is listed, in the user's language; the good rows are not imported."""
    rows = [
        STATIONS[0],
        STATIONS[3],
        ["甲站", "代表之屋", "乡", "", "", "", ""],
        ["乙站", "代表工作站", "乡", "无名站", "", "", ""],
    ]
    with translation.override("zh-hans"):
        report = _refused(
            importer, "stations", rows, (3, "类型", "bad_choice"), (4, "上级站点", "unknown_parent")
        )
        text = "\n".join(str(e) for e in report.errors)
    assert "代表之屋" in text and "无名站" in text
    assert "第 3 行" in text or "第3行" in text, text


def test_stations_import_needs_the_permission():
    """A staff user without the stations' add permission may not import them."""
    with pytest.raises(PermissionDenied):
        _import(factories.StaffFactory(groups=[]), "stations", STATIONS)
    assert not LiaisonStation.objects.exists()


# Deputies' stations.


@pytest.fixture
def stations(importer):
    _import(importer, "stations", STATIONS)
    return {s.name: s for s in LiaisonStation.objects.all()}


LINKS = [
    LINK_HEADERS,
    ["王丽", "城关区代表团", "幸福社区联络站"],
    ["王丽", "城关区代表团", "城关区代表之家"],
    ["张伟", "七里河区代表团", "幸福社区联络站"],
]


def _links() -> set[tuple[str, str, str]]:
    return {
        (d.name, d.delegation, s.name)
        for s in LiaisonStation.objects.prefetch_related("deputies")
        for d in s.deputies.all()
    }


def test_deputy_stations_import_links_deputies_by_name_and_delegation(importer, roster, stations):
    """Each row links its deputy (of the current term when several terms have the name) to
    its station; two 张伟 are told apart by the delegation."""
    report = _import(importer, "deputy_stations", LINKS)
    assert report.errors == []
    assert report.updated == 3
    assert _links() == {
        ("王丽", "城关区代表团", "幸福社区联络站"),
        ("王丽", "城关区代表团", "城关区代表之家"),
        ("张伟", "七里河区代表团", "幸福社区联络站"),
    }
    assert list(roster["王丽"].stations.order_by("name")) == [
        stations["城关区代表之家"],
        stations["幸福社区联络站"],
    ]
    assert not roster["王丽/15"].stations.exists()


def test_deputy_stations_import_again_is_unchanged(importer, roster, stations):
    """A link that exists already is not an error: unchanged, nothing written."""
    roster["陈静"].stations.add(stations["桃园村联络室"])
    _import(importer, "deputy_stations", LINKS)
    before = _state()
    report = _import(
        importer, "deputy_stations", [*LINKS, ["陈静", "七里河区代表团", "桃园村联络室"]]
    )
    assert report.errors == []
    assert (report.updated, report.unchanged) == (0, 4)
    assert _state() == before


def test_deputy_stations_import_takes_the_term_when_given(importer, roster, stations):
    """届次 picks the deputy of that term."""
    rows = [[*LINK_HEADERS, "届次"], ["王丽", "城关区代表团", "幸福社区联络站", "第十五届"]]
    report = _import(importer, "deputy_stations", rows)
    assert report.errors == []
    assert list(roster["王丽/15"].stations.all()) == [stations["幸福社区联络站"]]
    assert not roster["王丽"].stations.exists()


def test_deputy_stations_import_refuses_unknown_deputies_and_stations(importer, roster, stations):
    """An unknown deputy (or one of another delegation) or station: every row refused with
    its reason, the good rows not linked either."""
    rows = [
        *LINKS,
        ["王丽", "七里河区代表团", "幸福社区联络站"],
        ["李强", "城关区代表团", "西岗镇代表工作站"],
        ["无名", "城关区代表团", "幸福社区联络站"],
    ]
    report = _refused(
        importer,
        "deputy_stations",
        rows,
        (5, "姓名", "unknown_deputy"),
        (6, "站点名称", "unknown_station"),
        (7, "姓名", "unknown_deputy"),
    )
    assert "西岗镇代表工作站" in "\n".join(str(e) for e in report.errors)


def test_deputy_stations_import_refuses_a_link_twice_in_the_file(importer, roster, stations):
    """The same deputy and station twice in one file is a bad row."""
    _refused(importer, "deputy_stations", [*LINKS, LINKS[1]], (5, "姓名", "duplicate_key"))


def test_deputy_stations_import_needs_the_change_permission(roster, stations):
    """Adding stations is not enough to link deputies: the change permission is needed."""
    user = factories.StaffFactory(username="adder", groups=[])
    grant(user, "stations.add_liaisonstation")
    user = type(user).objects.get(pk=user.pk)
    assert sheets.can_import(user, "stations")
    assert not sheets.can_import(user, "deputy_stations")


# The admin.


def test_admin_station_changelist_offers_both_imports(client, importer):
    """The stations' changelist has the import button and one for the deputies' stations;
    the latter's page lists its columns."""
    client.force_login(importer)
    page = client.get(reverse("admin:stations_liaisonstation_changelist")).content.decode()
    url = reverse("admin:stations_liaisonstation_import")
    assert url in page
    assert f"{url}?kind=deputy_stations" in page
    page = client.get(f"{url}?kind=deputy_stations").content.decode()
    assert "代表团/选区*" in page


def test_admin_imports_deputies_stations_after_a_preview(client, importer, roster, stations):
    """The deputies' stations import previews (nothing written), then links on confirm."""
    client.force_login(importer)
    url = reverse("admin:stations_liaisonstation_import")
    response = client.post(
        f"{url}?kind=deputy_stations",
        {"import_file": SimpleUploadedFile("links.xlsx", xlsx(LINKS))},
    )
    page = response.content.decode()
    # The page's title (translated once the catalog has it).
    assert "导入代表所属联络站" in page or "Import deputies&#x27; stations" in page
    assert 'class="import-preview"' in page
    assert not roster["王丽"].stations.exists()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = client.post(
        reverse("admin:stations_liaisonstation_process_import"), {"token": token}
    )
    assert response.status_code == 302
    assert len(_links()) == 3
