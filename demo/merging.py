"""The demo's merged suggestions (并案), a part of ``Builder``.

Two groups of the same session, each of two deputies' suggestions on one matter:
- one merged, assigned with its main suggestion, handled and replied: the main one's lead
  deputy has signed online, the demo deputy (``deputy``), whose suggestion was merged
  into it, still has to sign on /my/, and the unit head waits for both;
- one merged before review and not yet assigned, so that staff can still undo it.
"""

import datetime

from suggestions import services
from suggestions.models import SignOff, Suggestion

from .city import DEMO_DEPUTY, RATINGS, SESSION, TERM, Item

MERGE_REASON = "两件建议反映同一事项，并案办理，由主办单位统一答复。"

# (lead deputy index, title, content)
HANDLED_GROUP = (
    (
        2,
        "关于整治红旗社区周边道路积水问题的建议",
        "红旗社区周边人民路、幸福街一带排水管网老化，每逢降雨路面大面积积水，"
        "居民和学生出行困难。建议对该区域排水管网进行改造，增设雨水收集口。",
    ),
    (
        DEMO_DEPUTY,
        "关于解决人民路雨后积水影响居民出行的建议",
        "人民路红旗社区段地势低洼，雨后积水深达二三十厘米，多次造成车辆熄火、行人摔倒。"
        "建议尽快实施排水改造，汛期前清掏雨水井。",
    ),
)
HANDLED_ITEM = Item(
    "handled",
    2,
    "zj",
    HANDLED_GROUP[0][1],
    HANDLED_GROUP[0][2],
    "改造人民路、幸福街一带排水管网，增设雨水收集口",
    grade="B",
)
OPEN_GROUP = (
    (
        4,
        "关于加快新兴区农贸市场升级改造的建议",
        "新兴区中心农贸市场建成二十余年，设施陈旧，通道狭窄，卫生条件差。"
        "建议将其列入农贸市场标准化改造计划。",
    ),
    (
        6,
        "关于改善中心农贸市场经营环境的建议",
        "中心农贸市场内排水不畅、摊位拥挤，周边占道经营严重。建议对市场进行提档升级，"
        "规范周边经营秩序。",
    ),
)


class Merging:
    """The two merged groups, made after the other suggestions."""

    def _create(self, lead: int, title: str, content: str, category: str, days_ago: int):
        return services.suggestion_create(
            by=self.staff,
            title=title,
            content=content,
            lead_deputy=self.deputies[lead],
            category=category,
            raised_on=self.today - datetime.timedelta(days=days_ago),
            term=TERM,
            session=SESSION,
        )

    def _merged_groups(self) -> None:
        self._handled_group()
        self._open_group()

    def _handled_group(self) -> None:
        item = HANDLED_ITEM
        category = self.category_of[item.unit]
        main, merged = (self._create(*g, category, 70) for g in HANDLED_GROUP)
        for s in (main, merged):
            services.suggestion_approve(
                suggestion=s, by=self.reviewer, note="政治关、法律关、政策关审核通过。"
            )
        services.suggestion_merge(
            suggestions=[merged], into=main, by=self.staff, reason=MERGE_REASON
        )
        main = Suggestion.objects.get(pk=main.pk)
        services.suggestion_assign(suggestion=main, by=self.staff, lead_unit=self.units[item.unit])
        self._backdate(main, self.today - datetime.timedelta(days=40))
        self._prepare(main, item)
        self._reply(main, item, item.grade)
        # The main one's lead deputy has signed; the demo deputy's sign-off waits on /my/.
        work, result = RATINGS["satisfied"]
        services.signoff_record(
            suggestion=main,
            by=self._deputy_user(main.lead_deputy),
            level=SignOff.Level.DEPUTY,
            work_rating=work,
            result_rating=result,
            opinion="排水改造方案切实可行，请抓紧实施。",
        )

    def _open_group(self) -> None:
        category = self.category_of["ny"]
        main, merged = (self._create(*g, category, 12) for g in OPEN_GROUP)
        services.suggestion_approve(
            suggestion=main, by=self.reviewer, note="政治关、法律关、政策关审核通过。"
        )
        services.suggestion_merge(
            suggestions=[merged], into=main, by=self.staff, reason=MERGE_REASON
        )
