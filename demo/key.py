"""The demo city's key suggestions (重点督办) of this year, made through the services: each
led by the vice-mayor who supervises its lead unit, followed by a committee and invited
deputies, with its inspection visits (one with a photo) and an interim check.

``build(builder)`` runs once the builder has walked every suggestion (``demo.builder``).
"""

import datetime
import struct
import zlib

from django.core.files.base import ContentFile

from suggestions import services
from suggestions.models import KeySuggestion, Suggestion

from .city import SESSION, TERM

URBAN = "城乡建设环境保护委员会"
SOCIAL = "社会建设委员会"
HEALTH = "教育科学文化卫生委员会"
FARMING = "农业与农村委员会"

# title, committee, invited deputies (indexes of ``DEPUTIES``; 0 is the demo deputy's),
# visits: (how far between the assignment and today, kind, participants, findings,
# agreed next steps, with a photo).
KEYS = [
    (
        "关于加快推进老旧小区改造的建议",
        URBAN,
        [0, 6],
        [
            (
                0.35,
                "visit",
                "刘振华副市长，市人大城建环保委负责同志，市住建局、市财政局负责同志，王丽华、周海涛代表",
                "实地查看红旗社区、建设里小区改造现场。今年计划改造的12个小区已开工8个，"
                "管网更新进度滞后，部分居民对加装外墙保温的费用分担有意见。",
                "住建局一周内拿出费用分担方案并逐户公示；财政局在本月底前拨付第二批配套资金；"
                "年底前完成全部12个小区改造。",
                True,
            ),
            (
                0.8,
                "meeting",
                "刘振华副市长，市人大城建环保委，市住建局、市自然资源局、各区政府分管负责同志",
                "召开督办推进会，听取改造进展汇报：已完工5个，在建7个；费用分担方案已公示，"
                "居民无异议。个别小区规划手续办理较慢。",
                "自然资源局开辟绿色通道，两周内办结剩余规划手续；住建局每月向人大城建环保委书面报告进度。",
                False,
            ),
        ],
    ),
    (
        "关于在红旗社区建设老年人日间照料中心的建议",
        SOCIAL,
        [3, 9],
        [
            (
                0.5,
                "visit",
                "王淑贤副市长，市人大社会建设委负责同志，市民政局、新兴区政府负责同志，孙志强、杨春燕代表",
                "查看社区拟改建的闲置用房，面积约600平方米，消防通道需改造；运营方式尚未确定。",
                "民政局会同新兴区政府一个月内确定运营主体；消防改造纳入今年社区建设资金。",
                False,
            ),
        ],
    ),
    (
        "关于提升青山县人民医院急诊急救能力的建议",
        HEALTH,
        [7, 11],
        [
            (
                0.6,
                "visit",
                "陈晓红副市长，市人大教科文卫委负责同志，市卫健委、青山县政府负责同志，马秀兰、张玉珍代表",
                "实地查看青山县人民医院急诊科。抢救床位仅6张，救护车3辆均超过使用年限，"
                "急诊医师缺口8人。",
                "卫健委年内为县医院配备2辆负压救护车；市级医院对口支援急诊医师3名；"
                "县政府研究急诊科扩建用地。",
                False,
            ),
        ],
    ),
    (
        "关于推进城区雨污分流改造的建议",
        URBAN,
        [1, 4, 0],
        [
            (
                0.3,
                "visit",
                "刘振华副市长，市人大城建环保委负责同志，市住建局、市生态环境局负责同志，赵振东、陈晓梅代表",
                "查看东湖片区雨污混流排口4处，雨季溢流污染明显；改造方案已编制，资金缺口较大。",
                "住建局抓紧申报中央预算内投资；先行实施东湖片区一期改造。",
                False,
            ),
            (
                0.75,
                "check",
                "市人大城建环保委，市住建局",
                "一期改造已招标，施工单位进场；中央预算内投资申报材料已上报省发展改革委。",
                "雨季前完成一期主管网铺设。",
                False,
            ),
        ],
    ),
    (
        "关于加强高标准农田建设后期管护的建议",
        FARMING,
        [10],
        [
            (
                0.55,
                "visit",
                "张德顺副市长，市人大农业农村委负责同志，市农业农村局负责同志，李建军代表",
                "查看青山县3个高标准农田项目区，部分机耕路损毁、灌溉设施无人管护，"
                "管护经费未落实到村。",
                "农业农村局制定管护办法，明确县乡村三级责任；管护经费按亩纳入县级预算。",
                False,
            ),
        ],
    ),
]

INTERIM_CHECK = (
    "关于推进城区雨污分流改造的建议",
    "督查发现东湖片区一期改造已开工，但二期资金尚未落实，已要求承办单位在答复中明确资金来源。",
)


def photo() -> bytes:
    """A small PNG made here (no asset from elsewhere): a 16×12 green field under a blue sky."""
    width, height = 16, 12
    sky, field = b"\x87\xce\xeb", b"\x4c\xaf\x50"
    rows = b"".join(b"\x00" + (sky if y < 5 else field) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _between(start: datetime.date, end: datetime.date, share: float) -> datetime.date:
    return start + datetime.timedelta(days=int((end - start).days * share))


def build(builder) -> None:
    """Designate the five key suggestions and record their visits (``builder``: the demo's
    ``Builder``, once it has made every suggestion)."""
    today = builder.today
    for title, committee, invited, visits in KEYS:
        suggestion = Suggestion.objects.get(title=title, term=TERM, session=SESSION)
        lead = suggestion.lead_assignment()
        leader = lead.unit.leader
        key = services.key_suggestion_designate(
            suggestion=suggestion,
            by=builder.staff,
            year=today.year,
            leader=leader,
            committee=committee,
            deputies=[builder.deputies[i] for i in invited],
        )
        # Chosen a few days after the 交办会, as the office would.
        chosen_on = min(lead.assigned_on + datetime.timedelta(days=5), today)
        KeySuggestion.objects.filter(pk=key.pk).update(chosen_on=chosen_on)
        for share, kind, participants, findings, next_steps, with_photo in visits:
            # The leader records their own visits; the office its checks and meetings.
            by = leader if kind == "visit" else builder.staff
            named = [d for d in key.invited_deputies.all() if d.name in participants]
            services.inspection_record(
                key_suggestion=key,
                by=by,
                happened_on=_between(chosen_on, today, share),
                kind=kind,
                participants=participants,
                findings=findings,
                next_steps=next_steps,
                deputies=named,
                files=[ContentFile(photo(), name="现场照片.png")] if with_photo else [],
            )
    title, findings = INTERIM_CHECK
    suggestion = Suggestion.objects.get(title=title, term=TERM, session=SESSION)
    services.interim_check_record(
        suggestion=suggestion,
        by=builder.staff,
        happened_on=_between(suggestion.lead_assignment().assigned_on, today, 0.9),
        findings=findings,
    )
