"""The station keepers' pages: what each shows, the actions taken through them (with the
confirmation step where the action table asks for one, and the refusals shown with what
was typed), and a fixed number of queries whatever the number of rows."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stations import services
from stations.models import Activity, LiaisonStation, Opinion, ReceptionDay, StationCheck
from suggestions.models import Suggestion
from tests import factories, flows
from tests.browser import ARTIFACTS, BROKEN_DATES_JS, CHROMIUM, PASSWORD, SMALL_TAP_TARGETS_JS
from tests.confirm import confirmation_of, submit

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def station(cast):
    parent = LiaisonStation.objects.create(name="桃源区代表之家", kind="home", level="county")
    station = LiaisonStation.objects.create(
        name="幸福社区联络站", kind="room", level="village", parent=parent,
        address="幸福路1号", contact="刘站长", phone="0731-8888", opening_hours="周一至周五",
    )  # fmt: skip
    station.deputies.add(cast.deputy, cast.co_deputy)
    return station


@pytest.fixture
def keeper(station):
    user = factories.UserFactory(username="keeper")
    station.keepers.add(user)
    return user


def _opinion(station, keeper, matter="小区路灯不亮。", **kwargs) -> Opinion:
    with flows.on(TODAY):
        return services.opinion_record(
            station=station, by=keeper, matter=matter, raised_on=TODAY,
            name="张三", phone="13812341234", **kwargs,
        )  # fmt: skip


def _rows(station, keeper, cast, n: int, shift: int = 0) -> None:
    """``n`` opinions (each sent somewhere), activities with deputies and a file, reception
    days and checks: the page's every kind of row."""
    with flows.on(TODAY):
        for i in range(n):
            opinion = _opinion(station, keeper, matter=f"事项{i}")
            if i % 3 == 0:
                services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
            elif i % 3 == 1:
                services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit)
            day = services.reception_day_plan(
                station=station, by=keeper, day=TODAY + datetime.timedelta(days=shift + i - n // 2),
                deputies=[cast.deputy, cast.co_deputy],
            )  # fmt: skip
            services.station_activity_record(
                station=station, by=keeper, kind="reception", happened_on=TODAY,
                deputies=[cast.deputy, cast.co_deputy], citizens=i,
                reception_day=day if day.day <= TODAY else None,
                files=[factories.document(f"photo{i}.pdf")],
            )  # fmt: skip
    for item in list(StationCheck.Item.values)[:n]:
        StationCheck.objects.get_or_create(
            station=station, year=TODAY.year, item=item,
            defaults={"met": True, "evidence": factories.document("e.pdf"), "checked_by": keeper},
        )  # fmt: skip


def test_station_page_query_count_constant_in_rows(
    station, keeper, cast, client, django_assert_max_num_queries
):
    """The station's page reads a fixed number of queries, with 2 or 10 rows of each kind
    (the activities and opinions: the latest 20; the reception days: 5 on each side)."""
    client.force_login(keeper)
    url = reverse("stations:detail", args=[station.pk])
    _rows(station, keeper, cast, 2)
    with flows.on(TODAY), django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    _rows(station, keeper, cast, 8, shift=20)
    with flows.on(TODAY), django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.content.decode().count('class="opinion-link"') == 10
    client.force_login(cast.staff)
    with flows.on(TODAY), django_assert_max_num_queries(9):  # and the office's groups
        assert client.get(url).status_code == 200


def test_station_list_shows_each_kept_station_with_its_counts(
    station, keeper, cast, client, django_assert_max_num_queries
):
    """A keeper sees the stations they keep, not others, each with its opinions waiting,
    its activities of the year and its 八有 items met, at a fixed number of queries."""
    LiaisonStation.objects.create(name="别人的联络站", kind="room", level="village")
    second = LiaisonStation.objects.create(name="东风村联络室", kind="room", level="village")
    second.keepers.add(keeper)
    _rows(station, keeper, cast, 3)  # 3 opinions: 1 forwarded, 1 referred, 1 open
    client.force_login(keeper)
    with flows.on(TODAY), django_assert_max_num_queries(5):
        response = client.get(reverse("stations:list"))
    page = response.content.decode()
    assert "别人的联络站" not in page
    row = page[page.index(f'id="station-{station.pk}"') :]
    row = row[: row.index("</li>")]
    assert "幸福社区联络站" in row and "桃源区代表之家" in row
    assert '<dd class="count-waiting">3</dd>' in row
    assert '<dd class="count-activities">3</dd>' in row
    assert '<dd class="count-met">3/8</dd>' in row
    assert f'id="station-{second.pk}"' in page
    for _ in range(5):
        factories.LiaisonStationFactory().keepers.add(keeper)
    with flows.on(TODAY), django_assert_max_num_queries(5):
        page = client.get(reverse("stations:list")).content.decode()
    assert page.count('class="station-link"') == 7


def test_station_list_counts_a_corrected_activity_once(station, keeper, client):
    """An activity replaced by its correction counts once in the year's activities."""
    with flows.on(TODAY):
        first = services.station_activity_record(
            station=station, by=keeper, kind="briefing", happened_on=TODAY
        )
    Activity.objects.create(
        station=station, kind="briefing", happened_on=TODAY, corrects=first, recorded_by=keeper
    )
    client.force_login(keeper)
    with flows.on(TODAY):
        page = client.get(reverse("stations:list")).content.decode()
    assert '<dd class="count-activities">1</dd>' in page


def test_station_list_office_sees_all_and_searches_by_name(station, staff, client):
    """The office lists every station and finds one by its name."""
    LiaisonStation.objects.create(name="东风村联络室", kind="room", level="village")
    client.force_login(staff)
    page = client.get(reverse("stations:list")).content.decode()
    assert "幸福社区联络站" in page and "东风村联络室" in page
    page = client.get(reverse("stations:list"), {"q": "东风"}).content.decode()
    assert "东风村联络室" in page and "幸福社区联络站" not in page


def test_station_page_shows_the_station_and_its_records(station, keeper, cast, client):
    """The station's facts and deputies, the checklist (met / not met / not checked, with
    the evidence's link), the reception days and whether held, the activities with their
    deputies and files, the opinions with the contact and where each went, the ledger."""
    _rows(station, keeper, cast, 2)
    unmet = StationCheck.objects.create(
        station=station, year=TODAY.year, item="platform", met=False, checked_by=keeper
    )
    client.force_login(keeper)
    with flows.on(TODAY):
        page = client.get(reverse("stations:detail", args=[station.pk])).content.decode()
    for shown in ("幸福路1号", "刘站长", "0731-8888", "周一至周五", "桃源区代表之家"):
        assert shown in page
    assert "李强、王丽" in page  # its deputies, by name
    site = StationCheck.objects.get(station=station, item="site")
    assert 'id="check-site" data-item="site"' in page
    assert reverse("stations:evidence", args=[site.pk]) in page
    assert 'class="check met" id="check-site"' in page
    assert f'class="check unmet" id="check-{unmet.item}"' in page
    assert 'class="check unchecked" id="check-rules"' in page
    past = ReceptionDay.objects.get(station=station, day=TODAY - datetime.timedelta(days=1))
    assert f'id="reception-day-{past.pk}" class="reception-day held"' in page
    files = [f for a in Activity.objects.all() for f in a.files.all()]
    for found in files:
        assert reverse("stations:activity_file", args=[found.pk]) in page
    assert "李强、王丽 · " in page  # deputies present at an activity
    assert "张三 · 13812341234" in page  # a keeper sees the constituent's contact
    assert "王丽" in page and "市交通运输局" in page  # where the opinions went
    assert reverse("stations:ledger", args=[station.pk, TODAY.year]) in page
    assert f"{reverse('stations:opinions')}?station={station.pk}" in page
    # The keeper's forms, recording an opinion first.
    assert page.index('id="action-opinion"') < page.index('id="action-activity"')
    assert 'id="action-reception_day"' in page


def test_station_page_marks_a_corrected_activity_replaced(station, keeper, client):
    """An activity replaced by its correction is marked so; the correction is not."""
    with flows.on(TODAY):
        first = services.station_activity_record(
            station=station, by=keeper, kind="briefing", happened_on=TODAY, notes="初稿"
        )
    fixed = Activity.objects.create(
        station=station, kind="briefing", happened_on=TODAY, corrects=first,
        notes="更正稿", recorded_by=keeper,
    )  # fmt: skip
    client.force_login(keeper)
    with flows.on(TODAY):
        page = client.get(reverse("stations:detail", args=[station.pk])).content.decode()
    assert f'id="activity-{first.pk}" class="activity replaced"' in page
    assert f'id="activity-{fixed.pk}" class="activity"' in page


def test_station_page_shows_the_suggestion_state_of_an_opinion(station, keeper, cast, client):
    """An opinion made a suggestion shows the suggestion's current state."""
    opinion = _opinion(station, keeper)
    services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
    services.opinion_to_suggestion(
        opinion=opinion, by=cast.deputy.user, title="关于修复路灯的建议", content="尽快修复。"
    )
    client.force_login(keeper)
    page = client.get(reverse("stations:detail", args=[station.pk])).content.decode()
    assert "关于修复路灯的建议" in page
    assert f'data-state="{Suggestion.State.PROPOSED}"' in page


def test_opinion_recorded_through_the_station_page(station, keeper, client):
    """A keeper records an opinion: saved, the page says so and lists it."""
    client.force_login(keeper)
    url = reverse("stations:action", args=[station.pk, "opinion"])
    with flows.on(TODAY):
        response = client.post(
            url,
            {"opinion-matter": "菜市场噪音扰民。", "opinion-raised_on": "2026-11-19",
             "opinion-name": "李四", "opinion-phone": "13900001111"},
            follow=True,
        )  # fmt: skip
    opinion = Opinion.objects.get()
    assert (opinion.matter, opinion.name, opinion.raised_on) == (
        "菜市场噪音扰民。", "李四", datetime.date(2026, 11, 19),
    )  # fmt: skip
    page = response.content.decode()
    assert 'id="messages"' in page
    assert f'id="opinion-{opinion.pk}"' in page


def test_opinion_dated_in_the_future_refused_on_the_page_with_what_was_typed(
    station, keeper, client
):
    """A future date is refused with its reason (400); the matter typed is kept."""
    client.force_login(keeper)
    url = reverse("stations:action", args=[station.pk, "opinion"])
    with flows.on(TODAY):
        response = client.post(
            url, {"opinion-matter": "菜市场噪音扰民。", "opinion-raised_on": "2026-12-01"}
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-codes="date_in_future"' in page
    assert "菜市场噪音扰民。" in page
    assert not Opinion.objects.exists()


def test_reception_day_planned_through_the_station_page(station, keeper, cast, client):
    """A keeper plans a reception day with a deputy on duty; the page lists it."""
    client.force_login(keeper)
    url = reverse("stations:action", args=[station.pk, "reception_day"])
    with flows.on(TODAY):
        response = client.post(
            url, {"reception_day-day": "2026-11-25", "reception_day-deputies": [cast.deputy.pk]},
            follow=True,
        )  # fmt: skip
    day = ReceptionDay.objects.get()
    assert (day.day, list(day.deputies.all())) == (datetime.date(2026, 11, 25), [cast.deputy])
    assert f'id="reception-day-{day.pk}" class="reception-day"' in response.content.decode()


def test_activity_recorded_with_a_file_through_the_station_page(station, keeper, cast, client):
    """A keeper records an activity with a photo; the page links the file, which downloads."""
    client.force_login(keeper)
    url = reverse("stations:action", args=[station.pk, "activity"])
    upload = SimpleUploadedFile("现场.pdf", b"%PDF-1.4\n% minutes\n", "application/pdf")
    with flows.on(TODAY):
        response = client.post(
            url,
            {"activity-kind": "reception", "activity-happened_on": "2026-11-20",
             "activity-deputies": [cast.deputy.pk], "activity-citizens": "15",
             "activity-notes": "接待群众。", "activity-files": [upload]},
            follow=True,
        )  # fmt: skip
    activity = Activity.objects.get()
    found = activity.files.get()
    assert (activity.citizens, found.name) == (15, "现场.pdf")
    assert reverse("stations:activity_file", args=[found.pk]) in response.content.decode()
    download = client.get(reverse("stations:activity_file", args=[found.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_opinion_routed_to_a_deputy_after_the_confirmation(station, keeper, cast, client):
    """Sending an opinion on shows what will be recorded first; only the confirmation
    forwards it, and its page then shows where it went."""
    opinion = _opinion(station, keeper)
    client.force_login(keeper)
    url = reverse("stations:opinion_action", args=[opinion.pk, "route"])
    data = {"route-to": "deputy", "route-deputy": cast.deputy.pk, "route-notes": "请王代表跟进"}
    first = client.post(url, data)
    assert confirmation_of(first) is not None
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.OPEN  # nothing recorded before the confirmation
    response = submit(client, url, data)
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert (opinion.state, opinion.deputy) == (Opinion.State.FORWARDED, cast.deputy)
    page = client.get(reverse("stations:opinion", args=[opinion.pk])).content.decode()
    assert "请王代表跟进" in page and "王丽" in page
    assert 'id="action-route"' not in page  # sent on once


def test_opinion_route_refused_shows_why(station, keeper, client):
    """Settled without saying how: refused on the page after the confirmation, typed
    values kept, the opinion still open."""
    opinion = _opinion(station, keeper)
    client.force_login(keeper)
    url = reverse("stations:opinion_action", args=[opinion.pk, "route"])
    response = submit(client, url, {"route-to": "settled", "route-notes": "  "})
    assert response.status_code == 400
    assert "notes_required" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.OPEN


def test_opinion_answered_by_the_unit_it_was_referred_to(station, keeper, cast, client):
    """The referred unit's clerk answers after the confirmation; the station then reads
    the answer on the opinion's page, and by whom."""
    opinion = _opinion(station, keeper)
    services.opinion_route(opinion=opinion, by=keeper, to="unit", unit=cast.lead_unit)
    client.force_login(cast.clerk)
    url = reverse("stations:opinion_action", args=[opinion.pk, "answer"])
    first = client.post(url, {"answer-answer": "已安排维修。"})
    assert confirmation_of(first) is not None
    response = submit(client, url, {"answer-answer": "已安排维修。"})
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.state == Opinion.State.ANSWERED
    client.force_login(keeper)
    page = client.get(reverse("stations:opinion", args=[opinion.pk])).content.decode()
    answer = page[page.index('id="answer"') :]
    assert answer.index("已安排维修。") < answer.index("</blockquote>")
    assert cast.clerk.username in page


def test_opinion_made_a_suggestion_by_the_forwarded_deputy(station, keeper, cast, client):
    """The deputy it was forwarded to makes it a suggestion and lands on its status page;
    the station's page of the opinion shows the suggestion and its state."""
    opinion = _opinion(station, keeper)
    services.opinion_route(opinion=opinion, by=keeper, to="deputy", deputy=cast.deputy)
    client.force_login(cast.deputy.user)
    url = reverse("stations:opinion_action", args=[opinion.pk, "to_suggestion"])
    response = client.post(
        url, {"to_suggestion-title": "关于修复路灯的建议", "to_suggestion-content": "尽快修复。"}
    )
    suggestion = Suggestion.objects.get(title="关于修复路灯的建议")
    assert response.status_code == 302
    assert response.url == reverse("status:detail", args=[suggestion.pk])
    assert client.get(response.url).status_code == 200
    client.force_login(keeper)
    page = client.get(reverse("stations:opinion", args=[opinion.pk])).content.decode()
    assert 'id="suggestion-title">关于修复路灯的建议' in page
    assert f'id="suggestion-state" data-state="{suggestion.state}"' in page
    assert suggestion.get_state_display() in page


def test_unknown_station_action_is_not_found(station, keeper, client):
    """A name no action has is a 404."""
    client.force_login(keeper)
    url = reverse("stations:action", args=[station.pk, "demolish"])
    assert client.post(url, {}).status_code == 404


def test_opinions_list_filters_by_station_and_state(station, keeper, cast, client):
    """The list shows the keeper's stations' opinions newest first, by station and state."""
    second = LiaisonStation.objects.create(name="东风村联络室", kind="room", level="village")
    second.keepers.add(keeper)
    first = _opinion(station, keeper, matter="第一条意见")
    with flows.on(TODAY + datetime.timedelta(days=1)):
        later = services.opinion_record(
            station=second,
            by=keeper,
            matter="第二条意见",
            raised_on=TODAY + datetime.timedelta(days=1),
        )
    services.opinion_route(opinion=first, by=keeper, to="unit", unit=cast.lead_unit)
    client.force_login(keeper)
    page = client.get(reverse("stations:opinions")).content.decode()
    assert page.index(f'id="opinion-{later.pk}"') < page.index(f'id="opinion-{first.pk}"')
    page = client.get(reverse("stations:opinions"), {"station": station.pk}).content.decode()
    assert f'id="opinion-{first.pk}"' in page and f'id="opinion-{later.pk}"' not in page
    page = client.get(reverse("stations:opinions"), {"state": "open"}).content.decode()
    assert f'id="opinion-{later.pk}"' in page and f'id="opinion-{first.pk}"' not in page


def test_opinions_list_pages_without_counting_and_at_fixed_queries(
    station, keeper, client, django_assert_max_num_queries
):
    """21 opinions: two pages with next / previous links, at the same number of queries."""
    client.force_login(keeper)
    _opinion(station, keeper)
    with django_assert_max_num_queries(6):
        client.get(reverse("stations:opinions"))
    for i in range(20):
        _opinion(station, keeper, matter=f"事项{i}")
    with django_assert_max_num_queries(6):
        page = client.get(reverse("stations:opinions")).content.decode()
    assert page.count('class="station-row"') == 20 and 'rel="next"' in page
    page = client.get(reverse("stations:opinions"), {"page": 2}).content.decode()
    assert page.count('class="station-row"') == 1 and 'rel="prev"' in page


PHONE = {"width": 375, "height": 812}


@pytest.mark.e2e
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
def test_e2e_station_page_on_a_phone(live_server, station, keeper, cast, browser):
    """At 375 px the station's page scrolls only down, every control is a 44 px target
    (the collapsed forms too, once opened), and a keeper records an opinion there."""
    ARTIFACTS.mkdir(exist_ok=True)
    _rows(station, keeper, cast, 3)
    base = live_server.url
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(base + reverse("login"))
    page.fill("input[name=username]", keeper.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(base + reverse("stations:list"))
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    page.click(f"#station-{station.pk} a.station-link")
    page.wait_for_url(base + reverse("stations:detail", args=[station.pk]))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    assert page.evaluate(BROKEN_DATES_JS) == []
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(SMALL_TAP_TARGETS_JS) == []
    page.screenshot(path=str(ARTIFACTS / "station-375.png"), full_page=True)

    page.fill("#id_opinion-matter", "公交站台缺少遮雨棚。")
    page.fill("#id_opinion-name", "赵六")
    page.fill("#id_opinion-phone", "13700001111")
    page.click("#action-opinion button[type=submit]")
    page.wait_for_selector("#messages")
    opinion = Opinion.objects.get(matter="公交站台缺少遮雨棚。")
    assert (opinion.name, opinion.station) == ("赵六", station)
    assert page.locator(f"#opinion-{opinion.pk}").is_visible()
