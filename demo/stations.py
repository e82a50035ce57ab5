"""The demo's liaison stations (issue 16): 新兴区's stations at three levels, made through
``stations.services`` like the rest of the demo.

One county 代表之家 (the demo's 新兴区人大代表之家), three township 代表工作站 under it and
two or three village (社区、村) 代表联络站 under each; the demo's deputies of 新兴区 use them
(王丽华 and 金美玉 two each). The ``keeper`` account keeps 向阳街道's station and its rooms.
For each station the "八有" checklist of this year and last (most items met with a small
photo or PDF as evidence; 锦绣家园社区 short of two items this year), reception days held
and planned, activities of every kind, and opinions in every state: open (one waiting
more than 15 days, for the reminder), settled, forwarded to a deputy (two to the demo
deputy, one made by her into a suggestion the office approved and assigned), referred to
a unit (the demo clerk's 市交通运输局 among them) and answered.

Each record is written with the clock set to its day (time-machine, as
``demo.assessment``), so that the paths' times read true; without it the records carry
today's time and only the open opinions' dates are moved back (``Opinion`` is not
append-only; its steps are).

``build(builder)`` runs once the builder has made the accounts, deputies and units.
"""

import contextlib
import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from stations import services
from stations.models import Activity, LiaisonStation, Opinion, StationCheck
from suggestions import services as suggestion_services

from .city import PDF
from .key import photo

HOME, STATION, ROOM = (
    LiaisonStation.Kind.HOME,
    LiaisonStation.Kind.STATION,
    LiaisonStation.Kind.ROOM,
)
TOWNSHIP, VILLAGE = LiaisonStation.Level.TOWNSHIP, LiaisonStation.Level.VILLAGE
HOURS = "周一至周五 8:30—11:30，13:30—17:00"
ROOM_HOURS = "每月15日接待日 9:00—11:30，其余时间预约"

# key, name, kind, level, parent key, address, contact, phone, opening hours, deputies
# (indexes of ``DEPUTIES``). "home" is the demo's 新兴区人大代表之家 (``demo.city.STATIONS``).
STATIONS = [
    ("xy", "新兴区向阳街道人大代表工作站", STATION, TOWNSHIP, "home",
     "清河市新兴区向阳街道建设路56号街道办事处三楼", "向阳街道人大工委 刘春梅", "0464-8226031",
     HOURS, [3, 4, 8]),
    ("xy-hq", "向阳街道红旗社区人大代表联络站", ROOM, VILLAGE, "xy",
     "新兴区向阳街道红旗社区党群服务中心一楼", "红旗社区居委会 许丹", "0464-8226517",
     ROOM_HOURS, [0, 4]),
    ("xy-jsl", "向阳街道建设里社区人大代表联络站", ROOM, VILLAGE, "xy",
     "新兴区向阳街道建设里12号楼底商", "建设里社区居委会 高翔", "0464-8227340",
     ROOM_HOURS, [3, 6]),
    ("xy-jx", "向阳街道锦绣家园社区人大代表联络站", ROOM, VILLAGE, "xy",
     "新兴区向阳街道锦绣家园小区物业楼二楼", "锦绣家园社区居委会 冯雪", "0464-8228016",
     ROOM_HOURS, [8, 1]),
    ("bs", "新兴区北山街道人大代表工作站", STATION, TOWNSHIP, "home",
     "清河市新兴区北山街道北山路21号", "北山街道人大工委 金顺姬", "0464-8231205",
     HOURS, [5, 1]),
    ("bs-mz", "北山街道民族社区人大代表联络站", ROOM, VILLAGE, "bs",
     "新兴区北山街道民族社区综合服务中心", "民族社区居委会 朴英爱", "0464-8231877",
     ROOM_HOURS, [5, 9]),
    ("bs-bs", "北山街道北山社区人大代表联络站", ROOM, VILLAGE, "bs",
     "新兴区北山街道北山社区活动中心一楼", "北山社区居委会 王建伟", "0464-8232043",
     ROOM_HOURS, [2, 7]),
    ("cl", "新兴区长岭镇人大代表工作站", STATION, TOWNSHIP, "home",
     "清河市新兴区长岭镇政府院内东楼", "长岭镇人大主席团 赵德林", "0464-8290116",
     HOURS, [6, 9]),
    ("cl-cl", "长岭镇长岭村人大代表联络站", ROOM, VILLAGE, "cl",
     "新兴区长岭镇长岭村村委会", "长岭村村委会 李长山", "0464-8290532",
     ROOM_HOURS, [6, 7]),
    ("cl-qj", "长岭镇前进村人大代表联络站", ROOM, VILLAGE, "cl",
     "新兴区长岭镇前进村党群服务中心", "前进村村委会 孙桂兰", "0464-8291208",
     ROOM_HOURS, [9, 2]),
]  # fmt: skip
HOME_DETAILS = ("0464-8221536", "周一至周五 8:30—11:30，13:30—17:00；每月第一个周六上午代表接待")
KEPT = ["xy", "xy-hq", "xy-jsl", "xy-jx"]  # by the ``keeper`` account
KEEPER = ("keeper", "刘春梅（向阳街道人大工委联络员）")

I = StationCheck.Item  # noqa: E741
# The items a station falls short of, this year and last (every other item is met).
UNMET = {
    "xy-jx": ([I.BOARD, I.PLATFORM], [I.BOARD, I.PLATFORM, I.EQUIPMENT, I.LEDGER]),
    "cl-qj": ([I.EQUIPMENT], [I.EQUIPMENT, I.ACTIVITIES]),
    "bs-bs": ([], [I.PLATFORM]),
}
UNMET_NOTES = {
    I.BOARD: "公示栏尚未安装，已列入社区下季度采购计划。",
    I.PLATFORM: "尚未接入区人大代表履职服务平台，待区里统一开通账号。",
    I.EQUIPMENT: "缺少电脑和打印机，接待记录暂用手写。",
    I.LEDGER: "接待登记台账不全，部分月份缺失。",
    I.ACTIVITIES: "上半年仅开展一次活动，未做到每月一次。",
}
PHOTO_ITEMS = {I.SITE, I.SIGN, I.BOARD, I.RULES, I.EQUIPMENT}

# Activities other than receptions: station key, days ago, kind, deputies present (indexes;
# those of the station), citizens, notes, with a photo.
K = Activity.Kind
ACTIVITIES = [
    ("xy", 70, K.BRIEFING, [3, 4, 8], 36,
     "向街道居民代表通报今年民生实事项目进展：老旧小区改造、背街小巷硬化完成情况。", True),
    ("xy", 48, K.INSPECTION, [3, 8], 0,
     "代表视察向阳街道老旧小区改造工地，查看外墙保温和管网更新质量。", True),
    ("xy-hq", 40, K.RESEARCH, [0, 4], 18,
     "围绕社区居家养老服务开展调研，走访独居老人12户，召开座谈会一次。", False),
    ("xy", 25, K.TRAINING, [3, 4, 8], 0,
     "组织联络站代表学习《代表法》和建议撰写方法，区人大代表工委授课。", False),
    ("xy-jsl", 12, K.REPORT, [3, 6], 45,
     "孙志强、周海涛代表向建设里社区选民述职，选民现场测评满意率96%。", True),
    ("home", 60, K.TRAINING, [0, 2, 5, 7, 9], 0,
     "区人大常委会组织新兴区市人大代表履职培训。", False),
    ("bs", 33, K.RESEARCH, [5, 1], 22,
     "调研北山街道少数民族聚居区公共服务设施配套情况。", False),
    ("bs-mz", 20, K.REPORT, [5, 9], 38, "金美玉、杨春燕代表向民族社区选民述职。", True),
    ("cl", 55, K.INSPECTION, [6, 9], 0, "视察长岭镇高标准农田建设和农村公路养护。", True),
    ("cl-cl", 15, K.BRIEFING, [6, 7], 27, "向村民通报今年惠农补贴发放和村道硬化进度。", False),
]  # fmt: skip

# Opinions: station key, raised so many days ago, name, phone, matter, path. A path is
# ("open",), ("settled", after days, how), ("deputy", after, deputy index),
# ("suggestion", after, deputy index, made after, title, unit key), ("unit", after, unit
# key), or ("answered", after, unit key, answered after, answer).
OPINIONS = [
    ("xy-hq", 3, "张桂芝", "13945871236", "红旗社区3号楼楼道灯坏了两个月，老人晚上上下楼看不见。",
     ("open",)),
    ("xy-hq", 21, "李淑珍", "13804641187", "社区周边缺少老年人助餐点，独居老人吃饭难。",
     ("open",)),
    ("xy-jsl", 6, "王立新", "15046412375", "建设里小区化粪池经常外溢，气味很大，请尽快处理。",
     ("settled", 1, "联络站当场联系物业和环卫所，次日完成清掏，居民表示满意。")),
    ("xy-jsl", 30, "赵春华", "13614648821", "小区门口早市占道，早高峰车辆无法通行。",
     ("settled", 2, "会同街道城管中队划定早市经营区域，占道问题已解决。")),
    ("xy-hq", 26, "刘玉梅", "13836475520",
     "希望在红旗社区增设社区卫生服务站，老人看病要坐三站公交。",
     ("deputy", 2, 0)),
    ("xy-hq", 9, "陈建国", "13945877741",
     "红旗社区老旧小区改造后停车位反而少了，建议统筹规划停车。",
     ("deputy", 1, 0)),
    ("xy-hq", 58, "孙凤霞", "15904642216",
     "红旗社区一带老旧楼房没有电梯，老年人上下楼困难，希望加装电梯。",
     ("suggestion", 2, 0, 6, "关于推进红旗社区老旧住宅加装电梯的建议", "zj")),
    ("xy-hq", 34, "周永刚", "13504648830", "红旗社区到市第一医院没有直达公交，老人就医不便。",
     ("suggestion", 1, 0, 5, "关于开通红旗社区至市第一医院公交线路的建议", None)),
    ("xy-jx", 19, "马晓东", "18745641092", "锦绣家园小区门前没有公交站，最近的站要走一公里。",
     ("unit", 2, "jt")),
    ("xy", 11, "黄丽娟", "13604647719", "建设路与向阳街交叉口红绿灯时间太短，行人过不去马路。",
     ("unit", 1, "jt")),
    ("xy", 45, "吴志强", "13945864403", "向阳街道几条背街小巷路灯不亮，夜间出行不安全。",
     ("answered", 2, "jt", 12,
      "经现场核查，向阳街道背街小巷路灯12盏故障，已于本周全部修复，并纳入日常巡检。")),
    ("xy-jx", 40, "郑秀英", "15846473318", "锦绣家园小区供暖温度不达标，室温只有16度。",
     ("unit", 1, "zj")),
    ("xy-jsl", 62, "冯德海", "13836418874", "建设里小区外墙保温脱落，存在安全隐患。",
     ("answered", 1, "zj", 15,
      "我局已责成施工单位对脱落部位进行修复，并对全小区外墙保温开展安全排查。")),
    ("xy", 17, "邓晓燕", "13514641105", "建议在向阳街道增设一处公共充电桩，方便电动自行车充电。",
     ("deputy", 3, 8)),
    ("home", 28, "钱国华", "13904646637", "新兴区部分中小学放学时段校门口拥堵严重。",
     ("answered", 2, "ga", 10,
      "已在放学时段增派警力和志愿者疏导，并在三所学校门前施划临时停车区。")),
    ("home", 16, "杨文博", "15004647728", "希望增加区图书馆周末开放时间。", ("deputy", 2, 2)),
    ("bs-mz", 24, "朴正浩", "13945860915",
     "民族社区朝鲜族老人多，希望社区活动中心配备双语服务人员。",
     ("settled", 3, "社区已安排两名朝汉双语网格员在活动中心轮流值班。")),
    ("bs-mz", 8, "崔明姬", "18646418873", "民族社区附近菜市场卫生条件差，希望整治。",
     ("unit", 2, "cg")),
    ("bs", 36, "韩国栋", "13766419902", "北山路人行道破损严重，雨天积水。",
     ("answered", 3, "cg", 14, "北山路人行道破损路段已列入今年维修计划，10月底前完成修复。")),
    ("bs-bs", 5, "王秀兰", "13359643318", "北山社区养老服务中心收费偏高，希望政府给予补贴。",
     ("open",)),
    ("cl-cl", 13, "李福贵", "13946418806", "长岭村至镇上的客运班车太少，一天只有两班。",
     ("unit", 2, "jt")),
    ("cl-cl", 50, "张全有", "15845642217", "长岭村灌溉渠淤堵，影响春耕。",
     ("answered", 1, "ny", 9, "已组织镇水利站对长岭村灌溉渠进行清淤，春耕前全部疏通。")),
    ("cl-qj", 7, "孙玉芬", "13694648823", "前进村卫生室缺少常用药，村民要到镇上买药。",
     ("deputy", 2, 9)),
    ("cl", 42, "赵金生", "13504647701", "长岭镇中学冬季取暖设施老化，教室温度低。",
     ("settled", 4, "镇政府协调资金更换了锅炉，教室温度已达标。")),
]  # fmt: skip


def _at(day: datetime.date, hour: int = 10):
    """The clock set to ``day`` at ``hour``, local time; nothing without time-machine."""
    try:
        import time_machine
    except ImportError:
        return contextlib.nullcontext()
    moment = datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_fixed_timezone(8 * 60)
    )
    if settings.USE_TZ:
        moment = moment.astimezone(datetime.UTC)
    return time_machine.travel(moment, tick=False)


def build(builder) -> None:
    """The stations, their keeper, checklists, reception days, activities and opinions
    (``builder``: the demo's ``Builder``, once it has made the deputies and units)."""
    made = Stations(builder)
    made.stations()
    made.checklists()
    made.reception_days()
    made.activities()
    made.opinions()


class Stations:
    def __init__(self, builder):
        self.b = builder
        self.today = builder.today
        self.by_key: dict[str, LiaisonStation] = {}

    def deputies(self, indexes):
        return [self.b.deputies[i] for i in indexes]

    def stations(self) -> None:
        home = LiaisonStation.objects.get(name="新兴区人大代表之家")
        home.phone, home.opening_hours = HOME_DETAILS
        home.save(update_fields=["phone", "opening_hours"])
        self.by_key["home"] = home
        for key, name, kind, level, parent, address, contact, phone, hours, deputies in STATIONS:
            station = LiaisonStation.objects.update_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "level": level,
                    "parent": self.by_key[parent],
                    "address": address,
                    "contact": contact,
                    "phone": phone,
                    "opening_hours": hours,
                },
            )[0]
            station.deputies.add(*self.deputies(deputies))
            self.by_key[key] = station
        username, name = KEEPER
        self.keeper = self.b._user(username, name)
        self.keeper.kept_stations.add(*(self.by_key[key] for key in KEPT))

    def checklists(self) -> None:
        """This year's and last year's "八有", checked by the office in June."""
        year = self.today.year
        rows = []
        for this_year, last_year in ((year, 0), (year - 1, 1)):
            checked_on = min(self.today, datetime.date(this_year, 6, 18))
            for key, station in self.by_key.items():
                unmet = UNMET.get(key, ([], []))[last_year]
                for item in StationCheck.Item:
                    check = StationCheck(
                        station=station,
                        year=this_year,
                        item=item,
                        met=item not in unmet,
                        notes=UNMET_NOTES.get(item, "") if item in unmet else "",
                        checked_by=self.b.staff,
                        checked_on=checked_on,
                    )
                    if check.met:
                        if item in PHOTO_ITEMS:
                            upload = ContentFile(photo(), name=f"{item.value}.png")
                        else:
                            upload = ContentFile(PDF, name=f"{item.value}.pdf")
                        check.evidence.save(upload.name, upload, save=False)
                    rows.append(check)
        StationCheck.objects.bulk_create(rows)

    def reception_days(self) -> None:
        """The 15th of each month: held the last three months at the home and the township
        stations (the last month at the rooms), planned the next two (next month)."""
        self.held = []
        for key, station in self.by_key.items():
            village = station.level == VILLAGE
            on_duty = list(station.deputies.order_by("pk"))
            for k in (-1, 1) if village else (-3, -2, -1, 1, 2):
                day = (self.today + relativedelta(months=k)).replace(day=15)
                duty = on_duty[: 2 if k % 2 else 3]
                past = day < self.today
                # Planned ten days ahead, as the notice on the board says.
                with (
                    _at(day - datetime.timedelta(days=10), 9) if past else contextlib.nullcontext()
                ):
                    planned = services.reception_day_plan(
                        station=station,
                        by=self._keeper_of(key),
                        day=day,
                        deputies=duty,
                        notes="代表轮值接待，提前在公示栏和社区微信群公告。",
                    )
                if past:
                    self.held.append((key, planned, duty))

    def _keeper_of(self, key: str):
        return self.keeper if key in KEPT else self.b.staff

    def activities(self) -> None:
        citizens = [14, 9, 21, 6, 17, 11, 8, 12]
        for n, (key, reception, duty) in enumerate(self.held):
            with _at(reception.day, 16):
                services.station_activity_record(
                    station=self.by_key[key],
                    by=self._keeper_of(key),
                    kind=Activity.Kind.RECEPTION,
                    happened_on=reception.day,
                    deputies=duty,
                    citizens=citizens[n % len(citizens)],
                    notes="接待日当天代表现场接待群众，登记群众意见并逐条分办。",
                    reception_day=reception,
                )
        for key, days, kind, deputies, people, notes, with_photo in ACTIVITIES:
            day = self.today - datetime.timedelta(days=days)
            files = [ContentFile(photo(), name="活动照片.png")] if with_photo else []
            with _at(day, 17):
                services.station_activity_record(
                    station=self.by_key[key],
                    by=self._keeper_of(key),
                    kind=kind,
                    happened_on=day,
                    deputies=self.deputies(deputies),
                    citizens=people,
                    notes=notes,
                    files=files,
                )

    def opinions(self) -> None:
        for key, days, name, phone, matter, path in OPINIONS:
            raised_on = self.today - datetime.timedelta(days=days)
            by = self._keeper_of(key)
            with _at(raised_on, 10):
                opinion = services.opinion_record(
                    station=self.by_key[key],
                    by=by,
                    matter=matter,
                    raised_on=raised_on,
                    name=name,
                    phone=phone,
                )
            how, *rest = path
            if how == "open":
                # Its dates as if recorded that day, with or without the clock set.
                at = timezone.make_aware(datetime.datetime.combine(raised_on, datetime.time(10)))
                Opinion.objects.filter(pk=opinion.pk).update(recorded_at=at, moved_at=at)
                continue
            after, target, *more = rest
            moved_on = raised_on + datetime.timedelta(days=after)
            with _at(moved_on, 11):
                if how == "settled":
                    services.opinion_route(opinion=opinion, by=by, to="settled", notes=target)
                elif how in ("deputy", "suggestion"):
                    services.opinion_route(
                        opinion=opinion,
                        by=by,
                        to="deputy",
                        deputy=self.b.deputies[target],
                        notes="转交代表研究办理。",
                    )
                else:
                    services.opinion_route(
                        opinion=opinion,
                        by=by,
                        to="unit",
                        unit=self.b.units[target],
                        notes="交办相关部门研究答复。",
                    )
            if how == "suggestion":
                self._suggestion(opinion, moved_on, *more)
            elif how == "answered":
                answered_after, answer = more
                unit = self.b.units[target]
                with _at(moved_on + datetime.timedelta(days=answered_after), 15):
                    services.opinion_answer(
                        opinion=opinion, by=self.b.clerk_of[unit.pk], answer=answer
                    )

    def _suggestion(self, opinion, forwarded_on, made_after, title, unit_key) -> None:
        """The demo deputy makes it her suggestion; the office approves it and, for one,
        assigns it a few days later, so the station sees it move."""
        deputy = opinion.deputy
        made_on = forwarded_on + datetime.timedelta(days=made_after)
        with _at(made_on, 20):
            suggestion = services.opinion_to_suggestion(
                opinion=opinion,
                by=self.b._deputy_user(deputy),
                title=title,
                content=(
                    f"{opinion.station.name}接待群众时，群众反映：{opinion.matter}"
                    "经走访了解，该问题在周边社区普遍存在，群众反映强烈，建议有关部门统筹研究解决。"
                ),
            )
        if unit_key is None:
            return  # proposed, for the office's review
        with _at(made_on + datetime.timedelta(days=3), 10):
            suggestion_services.suggestion_approve(
                suggestion=suggestion, by=self.b.reviewer, note="政治关、法律关、政策关审核通过。"
            )
        with _at(made_on + datetime.timedelta(days=7), 10):
            suggestion_services.suggestion_assign(
                suggestion=suggestion, by=self.b.staff, lead_unit=self.b.units[unit_key]
            )
