"""The large benchmark data set behind ``manage.py seed_bench`` (issue 7, ``make bench``).

A provincial deployment over ten years (ten sessions of three congress terms, 江川省):
deputies, handling units with their clerks, heads and supervising leaders, and the
suggestions with every record their state implies. Past years are mostly closed; the
current session's suggestions run through the whole lifecycle, with dates relative to
today, so that the pages, the admin and the reminder sweep read what a live system holds.

How it is written:

- Rows are built as tuples of text, with ids allocated here past each table's sequence
  (set forward at the end), so a suggestion, its assignments, replies, sign-offs ...
  reference each other without reading anything back. PostgreSQL receives them through
  COPY on two connections of their own, one chunk of suggestions per transaction, while
  the next chunk is generated; other databases through ``executemany``. An interrupted
  run leaves whole chunks: the next run counts them and adds the rest.
- On those two connections only, the foreign keys' triggers are skipped
  (``session_replication_role = replica``, which ends with the session): the references
  are right by construction, and the tests load the same rows on SQLite with the keys
  checked. Unique and check constraints hold as always; the append-only tables' triggers
  refuse only UPDATE and DELETE, and every row is inserted once. Nothing is changed
  beyond the session. The written tables are analysed at the end.
- Incremental: the suggestions are counted by their ``created_by`` (the inactive account
  ``bench-seed``); a run adds what is missing to reach the total asked for, in the same
  proportions, and a second run with the same total adds nothing.
- The reminder sweep is taken to have run every day until yesterday: once the rows are
  in, the reminders due yesterday are written as sent (``HISTORY_SWEEP``). Today's sweep
  then finds what falls due today, as it would in a deployment, not years of backlog.
- No transition records (django-fsm-log) are written.
"""

import bisect
import datetime
import itertools
import queue
import random
import threading
import time
import uuid
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

import psycopg
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import JSONField
from django.db.models.functions import Length
from django.utils import timezone

from deputies.models import Deputy
from suggestions import permissions, reminders
from suggestions.models import (
    Assignment,
    Commitment,
    Communication,
    CoOpinion,
    ExtensionRequest,
    HandlingUnit,
    KeySuggestion,
    NumberSequence,
    ReassignmentRequest,
    Redo,
    Reminder,
    Reply,
    Revisit,
    RevisitOutcome,
    SignOff,
    Suggestion,
    UnitMembership,
)

User = get_user_model()
S = Suggestion.State

PASSWORD = "bench12345"
CLERK = "bench-clerk"
HEAD = "bench-head"
DEPUTY = "bench-deputy"
STAFF = "bench-staff"
OFFICE = [STAFF, "bench-office02"]  # the committee office: staff are reminded too
SEED_USER = "bench-seed"  # inactive; ``created_by`` of every seeded suggestion
DEPUTY_PREFIX = "bench-deputy-"
BENCH_UNIT = "基准测试单位"
BENCH_UNIT_ASSIGNMENTS = 500
BENCH_DEPUTY_SUGGESTIONS = 20
MIN_FIRST_RUN = 600  # enough suggestions with assignments for the bench unit's 500
DOCUMENT = "replies/bench/reply.pdf"
HISTORY_SWEEP = uuid.UUID("b3c0f5d2-7e1a-4c47-9a55-0d6f1e2b8a01")
CHUNK = 10_000

YEARS = 10  # the current session and nine before it
SESSIONS_PER_TERM = 5
CURRENT_SHARE, CURRENT_MIN = 0.02, 150
# The current session: a pipeline, every state. Past sessions: mostly closed.
CURRENT_STATES = {
    S.PROPOSED: 4,
    S.REVIEWED: 4,
    S.NOT_ACCEPTED: 2,
    S.WITHDRAWN: 2,
    S.ASSIGNED: 15,
    S.HANDLED: 10,
    S.SIGNED: 28,
    S.REVISITED: 35,
}
PAST_STATES = {
    S.REVISITED: 8833,
    S.NOT_ACCEPTED: 400,
    S.WITHDRAWN: 300,
    S.SIGNED: 450,
    S.HANDLED: 15,
    S.ASSIGNED: 2,
}
STATES = list(S)
WITH_ASSIGNMENTS = {S.ASSIGNED, S.HANDLED, S.SIGNED, S.REVISITED}
STAGE = {S.ASSIGNED: 0, S.HANDLED: 1, S.SIGNED: 2, S.REVISITED: 3}

CITIES = [
    "清河市", "长宁市", "云岭市", "东湖市", "南江市", "北川市",
    "西平市", "安和市", "临江市", "白石市", "青阳市", "平川市",
]  # fmt: skip
DISTRICTS = ["城关区", "新城区", "经开区", "东城区", "西城区", "北山县", "南坪县", "河口县"]
PROVINCIAL_UNITS = [
    "省发展和改革委员会", "省教育厅", "省科学技术厅", "省工业和信息化厅", "省民族宗教事务委员会",
    "省公安厅", "省民政厅", "省司法厅", "省财政厅", "省人力资源和社会保障厅", "省自然资源厅",
    "省生态环境厅", "省住房和城乡建设厅", "省交通运输厅", "省水利厅", "省农业农村厅", "省商务厅",
    "省文化和旅游厅", "省卫生健康委员会", "省退役军人事务厅", "省应急管理厅", "省审计厅",
    "省市场监督管理局", "省广播电视局", "省体育局", "省统计局", "省医疗保障局", "省林业和草原局",
    "省粮食和物资储备局", "省能源局", "省乡村振兴局", "省地方金融管理局", "省机关事务管理局",
    "省信访局", "省数据局", "省高级人民法院", "省人民检察院", "国网江川省电力有限公司",
    "江川省高速公路集团有限公司", "省邮政管理局", "省通信管理局", "省气象局",
]  # fmt: skip
CITY_UNITS = [
    "人民政府", "交通运输局", "教育局", "住房和城乡建设局", "自然资源和规划局", "卫生健康委员会",
    "生态环境局", "农业农村局", "城市管理综合执法局", "公安局", "民政局", "人力资源和社会保障局",
    "水务局", "中级人民法院", "人民检察院",
]  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏俊峰海燕雪梅琳晨阳"
    "振东春晓宇飞浩然欣怡子涵思远嘉诚立新德胜永福长林淑珍凤云松柏卫民"
)
POSITIONS = [
    "{city}人民医院院长", "{city}第一中学校长", "{city}{district}某社区党委书记",
    "{city}某村党支部书记",
    "{city}某农业专业合作社理事长", "{city}某科技有限公司总经理", "{city}某律师事务所主任",
    "{city}公共交通集团驾驶员", "{city}某街道办事处主任", "{city}职业技术学院教授",
    "{city}某建筑工程有限公司董事长", "{city}某乡卫生院医生", "{city}某小学教师",
]  # fmt: skip
PARTIES = ["中共党员"] * 7 + ["民盟盟员", "民建会员", "九三学社社员", "无党派人士", "群众", "群众"]
ETHNICITIES = ["汉族"] * 12 + ["满族", "回族", "朝鲜族", "蒙古族"]
# category, topic of the title, what is wrong, what is asked
TOPICS = [
    ("交通运输", "农村公路提档升级",
     "部分农村公路路面窄、破损严重，雨季通行困难",
     "将相关路段纳入农村公路建设计划并加快实施"),
    ("交通运输", "优化城区公交线网",
     "新建小区周边公交线路少、发车间隔长",
     "优化公交线网，开通通往新建小区的线路"),
    ("交通运输", "校园周边交通安全",
     "学校门前路口上下学时段拥堵，存在安全隐患",
     "增设信号灯和人行横道并安排护学岗"),
    ("教育", "城区学位供给",
     "城区入学适龄儿童增多，学位紧张、大班额问题突出",
     "新建和改扩建一批中小学校、增加学位"),
    ("教育", "乡村教师队伍建设",
     "乡村学校教师年龄结构老化，音体美教师短缺",
     "定向招聘乡村教师并落实生活补助"),
    ("医疗卫生", "基层医疗服务能力",
     "乡镇卫生院设备陈旧，全科医生不足",
     "为乡镇卫生院更新设备并补充全科医生"),
    ("医疗卫生", "检查检验结果互认",
     "患者在不同医院就诊时被要求重复检查",
     "在二级以上医疗机构推行检查检验结果互认"),
    ("民政和养老服务", "社区居家养老服务",
     "社区养老服务设施覆盖率低，失能老人照护难",
     "加快建设社区居家养老服务中心"),
    ("民政和养老服务", "老年助餐服务",
     "独居老人吃饭难问题突出",
     "在社区开设老年助餐点并给予运营补贴"),
    ("城乡建设", "老旧小区改造",
     "老旧小区管网老化、外墙保温缺失",
     "加快老旧小区改造，统筹实施管网和保温工程"),
    ("城乡建设", "城市停车难",
     "老城区停车位严重不足，占道停车现象突出",
     "建设立体停车场并施划夜间限时泊位"),
    ("城乡建设", "冬季供热质量",
     "部分小区供暖期室温长期不达标",
     "改造换热站并加强室温监测"),
    ("生态环境", "黑臭水体治理",
     "城区部分河段生活污水直排，水体黑臭",
     "截流排污口并实施清淤和生态修复"),
    ("生态环境", "农村生活垃圾治理",
     "部分村庄垃圾收运不及时，乱堆乱放",
     "完善农村生活垃圾收运处置体系"),
    ("农业农村", "高标准农田建后管护",
     "已建成高标准农田灌溉设施损坏后无人维修",
     "建立高标准农田管护机制并落实经费"),
    ("农业农村", "农产品冷链物流",
     "农产品产地缺少冷藏保鲜设施，损耗大",
     "支持建设产地冷藏保鲜设施"),
    ("劳动就业", "高校毕业生就业服务",
     "本地高校毕业生留省就业比例下降",
     "举办专场招聘会并发放就业补贴"),
    ("劳动就业", "农民工工资支付保障",
     "部分建设项目拖欠农民工工资",
     "落实工资专用账户制度并开展专项治理"),
    ("公共安全", "电信网络诈骗防范",
     "老年人和学生遭受电信网络诈骗案件多发",
     "进社区、进校园开展常态化防范宣传"),
    ("法治建设", "诉前调解工作",
     "民商事案件持续增长，审判压力大",
     "设立诉前调解工作室并引入人民调解员"),
    ("营商环境", "涉企审批流程",
     "工业项目审批环节多、时间长",
     "推行“标准地”出让和并联审批"),
    ("水利", "农村饮水安全",
     "部分村庄供水管网锈蚀漏损，冬季冻管断水",
     "实施农村供水管网改造和水质提升"),
]  # fmt: skip
COMMUNICATION_NOTES = [
    "电话联系代表，详细了解建议涉及的具体情况。",
    "上门走访代表，听取代表对办理工作的意见。",
    "邀请代表实地察看项目现场，通报办理方案。",
    "召开座谈会，向代表通报办理进展。",
    "书面征求代表对答复内容的意见。",
]
CO_OPINIONS = [
    "同意主办单位的办理意见，我单位将按职责积极配合。",
    "按照职责分工，我单位负责资金保障，已纳入下年度预算统筹安排。",
    "我单位将在项目审批中开辟绿色通道，配合主办单位推进。",
]
REPLY_TEXT = {
    "A": "经认真研究，代表所提{topic}问题已基本解决：{action}，相关工作已于今年完成。",
    "B": "代表所提建议已列入工作计划：我们将{action}，分年度推进落实。",
    "C": "受资金和规划条件限制，{action}暂时难以全部实施，我们已向代表说明情况并将持续争取。",
    "D": "代表所提建议对我们改进工作很有参考价值，我们将在制定相关规划时认真研究吸收。",
}
DEPUTY_OPINIONS = {
    SignOff.Rating.SATISFIED: "承办单位主动沟通，办理认真，结果满意。",
    SignOff.Rating.BASICALLY_SATISFIED: "办理态度认真，但落实进度偏慢，希望加快推进。",
    SignOff.Rating.DISSATISFIED: "答复没有提出具体措施和完成时限，问题没有得到解决。",
}
COMMITTEES = [
    "财政经济委员会", "教育科学文化卫生委员会", "城乡建设环境保护委员会",
    "农业与农村委员会", "社会建设委员会", "监察和司法委员会",
]  # fmt: skip
REASSIGN_REASON = "该建议事项不属于我单位职责范围，申请改由其他单位主办。"
EXTENSION_REASON = "该建议涉及多个部门和项目审批，需协调资金，申请延期办理。"
REDO_REASON = {
    "dissatisfied": "代表对办理结果不满意，经审核答复缺乏具体措施，责成承办单位限时重办。",
    "nonconforming": "答复未提出具体措施和完成时限，不符合规范，责成承办单位限时重办。",
}
REVISIT_NOTES = "会同代表开展“回头看”，逐项核实承诺事项的落实情况。"
PDF = "%PDF-1.4\n% 基准测试答复函\n%%EOF\n".encode()

# The columns written per model, in the order of the generated tuples.
COLUMNS = {
    User: (
        "id", "password", "last_login", "is_superuser", "username", "first_name",
        "last_name", "email", "is_staff", "is_active", "date_joined",
    ),
    Deputy: (
        "id", "user_id", "name", "gender", "ethnicity", "party", "level", "delegation",
        "term", "position", "mobile", "station_id",
    ),
    Suggestion: (
        "id", "term", "session", "number", "title", "content", "category", "delegation",
        "lead_deputy_id", "raised_on", "state", "round", "complex", "merged_into_id",
        "created_at", "created_by_id",
    ),
    Suggestion.co_deputies.through: ("id", "suggestion_id", "deputy_id"),
    Assignment: (
        "id", "suggestion_id", "unit_id", "role", "assigned_on", "due_on", "original_due_on",
        "due_basis", "closed_on", "close_reason", "created_at",
    ),
    ReassignmentRequest: (
        "id", "reason", "requested_by_id", "requested_at", "decision", "decided_by_id",
        "decided_at", "assignment_id",
    ),
    ExtensionRequest: (
        "id", "reason", "requested_by_id", "requested_at", "decision", "decided_by_id",
        "decided_at", "assignment_id", "until",
    ),
    Communication: (
        "id", "assignment_id", "round", "stage", "method", "happened_on", "notes",
        "recorded_by_id", "recorded_at",
    ),
    CoOpinion: ("id", "assignment_id", "text", "submitted_by_id", "submitted_at"),
    Reply: (
        "id", "suggestion_id", "assignment_id", "round", "classification", "text", "document",
        "due_on", "on_time", "submitted_by_id", "submitted_at",
    ),
    Commitment: ("id", "reply_id", "text", "due_on"),
    SignOff: (
        "id", "suggestion_id", "reply_id", "round", "level", "signed_by_id", "signed_at",
        "opinion", "work_rating", "result_rating",
    ),
    Redo: (
        "id", "suggestion_id", "unit_id", "round", "grounds", "reason", "due_on",
        "ordered_by_id", "ordered_at",
    ),
    Revisit: ("id", "suggestion_id", "reply_id", "notes", "recorded_by_id", "recorded_at"),
    RevisitOutcome: ("id", "revisit_id", "commitment_id", "outcome"),
    KeySuggestion: ("id", "suggestion_id", "year", "leader_id", "committee", "chosen_on"),
    Reminder: (
        "id", "recipient_id", "kind", "suggestion_id", "assignment_id", "target", "due_on",
        "days", "sweep", "created_at", "sent_at",
    ),
}  # fmt: skip
# Written per chunk, parents first.
CHUNK_MODELS = [m for m in COLUMNS if m not in (User, Deputy, Reminder)]


class TooFew(ValueError):
    """The first run asked for fewer suggestions than the fixed actors need."""


def check_columns() -> None:
    """Refuse to run when a model's columns are not the ones this module writes."""
    for model, columns in COLUMNS.items():
        fields = {f.attname for f in model._meta.concrete_fields}
        if set(columns) != fields:
            raise ImproperlyConfigured(
                f"seed_bench writes {model._meta.db_table} as {sorted(columns)}, "
                f"but its fields are {sorted(fields)}"
            )


def allocate(total: int, weights: dict) -> dict:
    """Split ``total`` in proportion to ``weights`` (largest remainder), summing exactly."""
    whole = sum(weights.values())
    exact = {key: total * w / whole for key, w in weights.items()}
    counts = {key: int(x) for key, x in exact.items()}
    rest = sorted(weights, key=lambda key: counts[key] - exact[key])
    for key in rest[: total - sum(counts.values())]:
        counts[key] += 1
    return counts


def current_count(total: int) -> int:
    """How many of ``total`` suggestions belong to the current session."""
    if total <= 0:
        return 0
    return min(total, max(CURRENT_MIN, round(total * CURRENT_SHARE)))


def sessions() -> list[tuple[int, int]]:
    """(term, session) of the current session (index 0) and the nine before it."""
    first = (settings.NPC["CURRENT_TERM"] - 1) * SESSIONS_PER_TERM + settings.NPC["CURRENT_SESSION"]
    found = []
    for k in range(YEARS):
        index = first - 1 - k
        found.append((index // SESSIONS_PER_TERM + 1, index % SESSIONS_PER_TERM + 1))
    return found


def encode(k: int, state: str) -> int:
    return k * len(STATES) + STATES.index(state)


def decode(code: int) -> tuple[int, str]:
    return code // len(STATES), STATES[code % len(STATES)]


def batch_specs(have: int, total: int, rng: random.Random) -> list[int]:
    """The (session, state) of each suggestion to add to reach ``total``, shuffled."""
    current = current_count(total) - current_count(have)
    past = (total - have) - current
    specs = []
    for state, count in allocate(current, CURRENT_STATES).items():
        specs += [encode(0, state)] * count
    for k, count in allocate(past, {k: 1 for k in range(1, YEARS)}).items():
        for state, n in allocate(count, PAST_STATES).items():
            specs += [encode(k, state)] * n
    rng.shuffle(specs)
    return specs


def spread_pick(candidates: list[tuple], wanted: int) -> list[int]:
    """Pick ``wanted`` positions round-robin over the candidates' groups (position, group)."""
    groups: dict = {}
    for position, group in candidates:
        groups.setdefault(group, []).append(position)
    picked = []
    queues = [groups[g] for g in sorted(groups, key=str)]
    while len(picked) < wanted and any(queues):
        for group in queues:
            if group and len(picked) < wanted:
                picked.append(group.pop(0))
    return picked


# Writing rows.


class Ids:
    """Ids handed out here for one table, past its sequence (PostgreSQL) and its max id."""

    def __init__(self, model):
        self.table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT max(id) FROM "{self.table}"')
            highest = cursor.fetchone()[0] or 0
            self.sequence = None
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [self.table])
                self.sequence = cursor.fetchone()[0]
                cursor.execute(f"SELECT last_value, is_called FROM {self.sequence}")
                last, called = cursor.fetchone()
                highest = max(highest, last if called else last - 1)
        self._start(highest + 1)

    def _start(self, first: int) -> None:
        self.counter = itertools.count(first)
        self.text = map(str, self.counter)  # the same ids, as the rows' text

    def take(self) -> int:
        return next(self.counter)

    def sync(self) -> None:
        """Move the sequence past the ids handed out, so later inserts do not collide."""
        self.next = next(self.counter)
        self._start(self.next)
        if self.sequence and self.next > 1:
            with connection.cursor() as cursor:
                cursor.execute("SELECT setval(%s, %s)", [self.sequence, self.next - 1])


NULL = "\\N"  # rows are tuples of strings, as COPY's text format reads them


def _copy_sql(model, columns=None) -> str:
    names = ", ".join(
        connection.ops.quote_name(model._meta.get_field(c).column)
        for c in columns or COLUMNS[model]
    )
    return f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'


def _copy_data(rows: list[tuple]) -> bytes:
    # The generated text holds no tab, newline or backslash: no escaping is needed.
    return ("\n".join(map("\t".join, rows)) + "\n").encode()


class Writer:
    """Inserts generated rows: COPY on PostgreSQL, ``executemany`` elsewhere.

    Rows are tuples of strings, ``NULL`` for a null, as COPY reads them; elsewhere each
    value is parsed and prepared by its model field, as a save would.
    """

    def __init__(self):
        self.rows = Counter()
        self.seconds = Counter()
        self.copy = connection.vendor == "postgresql"

    def write(self, model, rows: list[tuple]) -> None:
        if not rows:
            return
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.copy:
                with cursor.cursor.copy(_copy_sql(model)) as copy:
                    copy.write(_copy_data(rows))
            else:
                columns = COLUMNS[model]
                names = ", ".join(
                    connection.ops.quote_name(model._meta.get_field(c).column) for c in columns
                )
                cursor.executemany(
                    f'INSERT INTO "{model._meta.db_table}" ({names}) '
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    self._adapted(model, rows),
                )
        self.count(model, len(rows), time.perf_counter() - started)

    def count(self, model, rows: int, seconds: float) -> None:
        self.rows[model._meta.db_table] += rows
        self.seconds[model._meta.db_table] += seconds

    def _adapted(self, model, rows):
        fields = []
        for name in COLUMNS[model]:
            f = model._meta.get_field(name)
            # JSON arrives encoded; the field would encode it again.
            fields.append(None if isinstance(f, JSONField) else f)
        for row in rows:
            yield [
                None
                if v == NULL
                else (v if f is None else f.get_db_prep_save(f.to_python(v), connection))
                for f, v in zip(fields, row, strict=True)
            ]


class CopyPipeline:
    """COPY of chunks on connections of their own while the next chunk is generated.

    PostgreSQL only. Each chunk is one transaction on one of ``WRITERS`` connections
    (chunks hold whole suggestions with their own ids, so two can be written at once);
    an error in a writing thread stops the run at the next chunk handed over.
    """

    WRITERS = 2

    def __init__(self, writer: Writer):
        self.writer = writer
        self.lock = threading.Lock()
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.threads = []
        for n in range(self.WRITERS):
            thread = threading.Thread(
                target=self._run, args=(self._connect(),), name=f"seed-bench-copy-{n}"
            )
            thread.start()
            self.threads.append(thread)

    def _connect(self):
        raw = connection.get_new_connection(connection.get_connection_params())
        raw.autocommit = False
        # For this connection only, skip the foreign keys' triggers (they would triple the
        # server's work): every reference is to a row written before it or in the same
        # chunk, by construction, and the tests load the same rows with the keys checked
        # (SQLite). The unique and check constraints still hold. Needs a superuser; without
        # one the keys are checked as usual.
        try:
            raw.execute("SET session_replication_role = replica")
        except psycopg.Error:
            raw.rollback()
        else:
            raw.commit()
        return raw

    def put(self, chunk: list[tuple]) -> None:
        """Hand over [(model, rows), ...]; waits while the writers are busy."""
        if self.error:
            raise self.error
        self.queue.put(chunk)

    def close(self) -> None:
        for _thread in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        if self.error:
            raise self.error

    def _run(self, raw) -> None:
        try:
            while (chunk := self.queue.get()) is not None:
                if self.error:
                    continue
                try:
                    with raw.cursor() as cursor:
                        for model, rows in chunk:
                            started = time.perf_counter()
                            with cursor.copy(_copy_sql(model)) as copy:
                                copy.write(_copy_data(rows))
                            with self.lock:
                                self.writer.count(model, len(rows), time.perf_counter() - started)
                    raw.commit()
                except BaseException as error:  # handed to the main thread
                    self.error = error
                    raw.rollback()
        finally:
            raw.close()


# The fixed actors, the units and the deputies.


@dataclass
class Unit:
    """A unit and the users who act for it, by id (as text, as rows hold them)."""

    id: str
    clerk: str
    head: str
    leader: str


@dataclass
class Cast:
    """Who acts in the generated records, by id."""

    seed: int
    staff: int
    units: list[Unit]
    bench_unit: Unit
    deputies: dict[int, list[tuple[int, int]]]  # term -> [(deputy id, user id)]
    bench_deputy: tuple[int, int]
    bench_deputy_term: int
    fresh: bool  # the bench unit and deputy have nothing yet: this run gives them theirs


def _user(username: str, password_hash: str, name: str = "", **flags) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": name,
            "email": f"{username}@bench.example.cn",
            "password": password_hash,
            **flags,
        },
    )
    return user


def unit_names() -> list[tuple[str, str]]:
    """(name, kind) of the 200-odd units a province's suggestions go to."""
    names = [(n, _kind(n)) for n in PROVINCIAL_UNITS]
    for suffix in CITY_UNITS:
        names += [(f"{city}{suffix}", _kind(suffix)) for city in CITIES]
    return names


def _kind(name: str) -> str:
    if name.endswith("法院"):
        return HandlingUnit.Kind.COURT
    if name.endswith("检察院"):
        return HandlingUnit.Kind.PROCURATORATE
    if name.endswith("公司"):
        return HandlingUnit.Kind.ENTERPRISE
    return HandlingUnit.Kind.GOVERNMENT


def unit_count(total: int) -> int:
    return min(200, max(10, total // 50))


def deputy_count(total: int) -> int:
    return max(50, total // 20)


class Setup:
    """Creates, once, the accounts, units and deputies the suggestions need."""

    def __init__(self, writer: Writer, rng: random.Random, today: datetime.date):
        self.writer = writer
        self.rng = rng
        self.today = today
        self.password_hash = make_password(PASSWORD)
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def run(self, total: int) -> Cast:
        leaders = [
            _user(f"bench-leader{n:02d}", self.password_hash, f"副省长{n:02d}")
            for n in range(1, 21)
        ]
        office = Group.objects.get_or_create(name=permissions.COMMITTEE_OFFICE)[0]
        permissions.grant_group_permissions()
        staff = []
        for username in OFFICE:
            user = _user(username, self.password_hash, "常委会工作人员", is_staff=True)
            user.groups.add(office)
            staff.append(user)
        seed = _user(SEED_USER, "!", "基准数据", is_active=False)
        units = self._units(total, leaders)
        bench_unit = self._bench_unit(leaders[0])
        deputies, bench_deputy, term = self._deputies(total)
        fresh = (
            not Assignment.objects.filter(unit_id=bench_unit.id).exists()
            and not Suggestion.objects.filter(lead_deputy_id=bench_deputy[0]).exists()
        )
        return Cast(seed.pk, staff[0].pk, units, bench_unit, deputies, bench_deputy, term, fresh)

    def _units(self, total: int, leaders: list) -> list[Unit]:
        wanted = unit_names()[: unit_count(total)]
        existing = set(
            HandlingUnit.objects.filter(name__in=[n for n, _k in wanted]).values_list(
                "name", flat=True
            )
        )
        for index, (name, kind) in enumerate(wanted):
            if name in existing:
                continue
            unit = HandlingUnit.objects.create(
                name=name, kind=kind, leader=leaders[index % len(leaders)]
            )
            for role, is_head in (("clerk", False), ("head", True)):
                user = _user(f"bench-unit{index + 1:03d}-{role}", self.password_hash, name)
                UnitMembership.objects.create(unit=unit, user=user, is_head=is_head)
        return self._load_units([n for n, _k in wanted])

    def _load_units(self, names: list[str]) -> list[Unit]:
        found = {}
        for unit_id, leader_id, user_id, is_head in UnitMembership.objects.filter(
            unit__name__in=names
        ).values_list("unit_id", "unit__leader_id", "user_id", "is_head"):
            found.setdefault(unit_id, {"leader": leader_id})["head" if is_head else "clerk"] = (
                user_id
            )
        return [
            Unit(str(pk), str(f["clerk"]), str(f["head"]), str(f["leader"]))
            for pk, f in sorted(found.items())
        ]

    def _bench_unit(self, leader) -> Unit:
        unit = HandlingUnit.objects.get_or_create(
            name=BENCH_UNIT, defaults={"short_name": "基准单位", "leader": leader}
        )[0]
        clerk = _user(CLERK, self.password_hash, "基准单位经办人")
        head = _user(HEAD, self.password_hash, "基准单位主要负责人")
        UnitMembership.objects.get_or_create(unit=unit, user=clerk, defaults={"is_head": False})
        UnitMembership.objects.get_or_create(unit=unit, user=head, defaults={"is_head": True})
        return Unit(str(unit.pk), str(clerk.pk), str(head.pk), str(unit.leader_id))

    def _deputies(self, total: int):
        term_years = Counter(term for term, _session in sessions())
        current_term = sessions()[0][0]
        user = _user(DEPUTY, self.password_hash, "基准代表")
        bench = Deputy.objects.get_or_create(
            user=user,
            defaults={
                "name": "基准代表",
                "level": Deputy.Level.PROVINCIAL,
                "delegation": f"{CITIES[0]}代表团",
                "term": current_term,
            },
        )[0]
        seeded = Deputy.objects.filter(user__username__startswith=DEPUTY_PREFIX)
        have = seeded.count()
        wanted = deputy_count(total)
        if wanted > have:
            taken = set(
                Deputy.objects.filter(term__in=term_years).values_list("name", "delegation", "term")
            )
            self._add_deputies(have, wanted - have, term_years, taken)
        deputies: dict[int, list] = {}
        for pk, user_id, term in seeded.values_list("pk", "user_id", "term").order_by("pk"):
            deputies.setdefault(term, []).append((pk, user_id))
        return deputies, (bench.pk, user.pk), bench.term

    def _add_deputies(self, first: int, count: int, term_years: Counter, taken: set) -> None:
        rng, users, deputies = self.rng, Ids(User), Ids(Deputy)
        joined = datetime.datetime.combine(self.today, datetime.time(9), tzinfo=self.tz)
        joined = joined.isoformat(sep=" ")
        user_rows, deputy_rows = [], []
        terms = [t for t, n in allocate(count, term_years).items() for _ in range(n)]
        rng.shuffle(terms)
        for offset, term in enumerate(terms):
            index = first + offset + 1
            city = rng.choice(CITIES)
            delegation = f"{city}代表团"
            while True:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                if rng.random() < 0.7:
                    name += rng.choice(GIVEN)
                if (name, delegation, term) not in taken:
                    taken.add((name, delegation, term))
                    break
            username = f"{DEPUTY_PREFIX}{index:06d}"
            user_id = str(users.take())
            user_rows.append(
                (user_id, self.password_hash, NULL, "f", username, name, "",
                 f"{username}@bench.example.cn", "f", "t", joined)
            )  # fmt: skip
            position = rng.choice(POSITIONS).format(city=city, district=rng.choice(DISTRICTS))
            deputy_rows.append(
                (str(deputies.take()), user_id, name, rng.choice("MF"), rng.choice(ETHNICITIES),
                 rng.choice(PARTIES), Deputy.Level.PROVINCIAL, delegation, str(term), position,
                 f"13{rng.randrange(10**9):09d}", NULL)
            )  # fmt: skip
        with transaction.atomic():
            self.writer.write(User, user_rows)
            self.writer.write(Deputy, deputy_rows)
            users.sync()
            deputies.sync()


# The suggestions.


@dataclass
class Round:
    """One handling round: its reply, sign-offs and what ended it, as day offsets."""

    start: int  # the day the round's deadline runs from (assignment or redo order)
    due: int  # the deadline, approximate (exact dates are computed from the start)
    reply: int | None = None
    classification: str = "A"
    commitments: list[int] = field(default_factory=list)
    signoffs: list[int] = field(default_factory=list)
    ratings: tuple[str, str] = ("", "")
    redo: int | None = None  # the day a redo was ordered (ending this round)
    grounds: str = ""


def _cumulative(weights) -> tuple[list[float], float]:
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative, total


class Generator:
    """Builds the rows of the suggestions, as strings for COPY.

    Days are proleptic ordinals (``date.toordinal()``) while a suggestion is planned;
    each date is turned into text once, through a cache, as are the month additions.
    """

    CO_COUNTS = (0, 1, 2, 3), *_cumulative((30, 35, 25, 10))
    CO_UNITS = (0, 1, 2), *_cumulative((62, 28, 10))
    CLASSES = "ABCD", *_cumulative((45, 35, 12, 8))
    COMMITMENTS = (1, 2), *_cumulative((70, 30))
    HANDLED_SIGNOFFS = (0, 1, 2), *_cumulative((50, 30, 20))
    OUTCOMES = tuple(RevisitOutcome.Outcome.values), *_cumulative((75, 18, 7))
    METHODS = tuple(Communication.Method.values)
    TIMES = [f" {h:02d}:{m:02d}:00" for h in range(8, 18) for m in range(60)]

    def __init__(self, cast: Cast, rng: random.Random, today: datetime.date, numbers: dict):
        self.cast = cast
        self.rng = rng
        self.random = rng.random
        self.today = today.toordinal()
        self.numbers = numbers
        self.sessions = sessions()
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.iso_cache: dict = {}
        self.offset_cache: dict = {}
        self.months_cache: dict = {}
        self.ids = {model: Ids(model) for model in CHUNK_MODELS}
        self.rows: dict = {model: [] for model in CHUNK_MODELS}
        self.seed_id = str(cast.seed)
        self.staff_id = str(cast.staff)
        self.redo_months = settings.NPC["REDO_MONTHS"]
        self.co_months = settings.NPC["CO_OPINION_MONTHS"]
        self.max_months = settings.NPC["MAX_EXTENSION_MONTHS"]

    # Helpers.

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def pick(self, table):
        items, cumulative, total = table
        return items[bisect.bisect(cumulative, self.random() * total)]

    def choice(self, items):
        return items[int(self.random() * len(items))]

    def iso(self, day: int) -> str:
        text = self.iso_cache.get(day)
        if text is None:
            text = self.iso_cache[day] = datetime.date.fromordinal(day).isoformat()
        return text

    def stamp(self, day: int) -> str:
        """A moment in office hours of the day, with the zone's offset then."""
        offset = self.offset_cache.get(day)
        if offset is None:
            noon = datetime.datetime.combine(
                datetime.date.fromordinal(day), datetime.time(12), tzinfo=self.tz
            )
            offset = self.offset_cache[day] = noon.isoformat()[-6:]
        return self.iso(day) + self.TIMES[int(self.random() * len(self.TIMES))] + offset

    def plus_months(self, day: int, months: int) -> int:
        key = (day, months)
        found = self.months_cache.get(key)
        if found is None:
            shifted = datetime.date.fromordinal(day) + relativedelta(months=months)
            found = self.months_cache[key] = shifted.toordinal()
        return found

    def take(self, model) -> str:
        return next(self.ids[model].text)

    def chunk(self) -> list[tuple]:
        """The rows built since the last call, per model, parents first."""
        found = [(model, self.rows[model]) for model in CHUNK_MODELS if self.rows[model]]
        self.rows = {model: [] for model in CHUNK_MODELS}
        return found

    def sync(self) -> None:
        for ids in self.ids.values():
            ids.sync()

    def number(self, k: int) -> str:
        key = self.sessions[k]
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return str(self.numbers[key])

    # One suggestion.

    def suggestion(self, k: int, state: str, bench_role: str = "", bench_deputy=False) -> None:
        term, session = self.sessions[k]
        if bench_deputy:
            lead_id, lead_user = self.cast.bench_deputy
            pool = self.cast.deputies[self.cast.bench_deputy_term]
        else:
            pool = self.cast.deputies[term]
            lead_id, lead_user = self.choice(pool)
        category, topic, problem, action = self.choice(TOPICS)
        city = self.choice(CITIES)
        place = city + self.choice(DISTRICTS) if self.random() < 0.6 else city
        pk = self.take(Suggestion)
        if state in WITH_ASSIGNMENTS:
            raised, number, round_, complex_ = self._handling(
                pk, k, state, bench_role, str(lead_user), topic, action
            )
        else:
            raised, number = self._unassigned(k, state)
            round_, complex_ = "0", "f"
        self.rows[Suggestion].append(
            (pk, str(term), str(session), number, f"关于{place}{topic}的建议",
             f"{place}{problem}，群众反映强烈。建议{action}，切实解决群众急难愁盼问题。",
             category, f"{city}代表团", str(lead_id), self.iso(raised), state, round_, complex_,
             NULL, self.stamp(raised), self.seed_id)
        )  # fmt: skip
        co_count = self.pick(self.CO_COUNTS)
        if co_count:
            through = Suggestion.co_deputies.through
            for deputy_id, _user_id in self.rng.sample(pool, min(co_count + 1, len(pool))):
                if deputy_id != lead_id and co_count:
                    co_count -= 1
                    self.rows[through].append((self.take(through), pk, str(deputy_id)))

    def _window(self, k: int) -> tuple[int, int]:
        """Days before today the cohort was raised in: the last year for the current one."""
        return 365 * k, 365 * k + 364

    def _unassigned(self, k: int, state: str) -> tuple[int, str]:
        today = self.today
        if state == S.PROPOSED:
            return today - self.between(0, 20), ""
        if state == S.REVIEWED:
            return today - self.between(3, 40), self.number(k)
        low, high = self._window(k)
        raised = today - self.between(max(low, 5), high)
        if state == S.WITHDRAWN and self.random() < 0.5:
            return raised, self.number(k)  # withdrawn after review: it had its number
        return raised, ""

    def _plan(self, k: int, state: str, min_co: int = 0) -> tuple[dict, list[Round]]:
        """Day offsets (assignment = day 0) of everything that happened, and the anchor."""
        between, random_ = self.between, self.random
        stage = STAGE[state]
        co = max(min_co, self.pick(self.CO_UNITS))
        p = {"complex": random_() < 0.1, "co": co, "raised": -between(8, 30)}
        lead_start = 0
        if random_() < 0.04:
            asked = between(1, 8)
            lead_start = asked + between(0, 2)
            p["reassign"] = (asked, lead_start)
        p["lead_start"] = lead_start
        months = 182 if p["complex"] else 91
        first = Round(start=lead_start, due=lead_start + months)
        if not p["complex"] and random_() < (0.06 if k == 0 else 0.03):
            asked = lead_start + between(20, 60)
            first.due = min(lead_start + 182, first.due + between(20, 60))
            p["extension"] = (asked, asked + between(1, 5))
        rounds = [first]
        redo = random_() < (0.08 if state == S.ASSIGNED else 0.05)
        if redo:
            self._reply(first, dissatisfied=True)
            signed = first.signoffs[-1] if first.signoffs else first.reply
            first.redo = signed + between(2, 10)
            rounds.append(Round(start=first.redo, due=first.redo + 30))
        last = rounds[-1]
        if stage >= 1:
            self._reply(last)
            wanted = 3 if stage >= 2 else self.pick(self.HANDLED_SIGNOFFS)
            last.signoffs = last.signoffs[:wanted]
        if "extension" in p and first.reply is not None and p["extension"][1] >= first.reply:
            del p["extension"]  # replied before it would have been asked
            first.due = lead_start + months
        # Communications: before the reply of each round, after the last one once signed.
        p["communications"] = communications = []
        for number, r in enumerate(rounds, 1):
            end = r.reply if r.reply is not None else r.start + 60
            before = r.start + between(2, max(2, min(20, end - r.start - 1)))
            communications.append((number, Communication.Stage.BEFORE, before))
            if r.reply is not None and random_() < 0.3 and r.reply - before > 2:
                during = between(before + 1, r.reply - 1)
                communications.append((number, Communication.Stage.DURING, during))
        if stage >= 2:
            communications.append(
                (len(rounds), Communication.Stage.AFTER, last.reply + between(1, 10))
            )
        # A reply needs every co-unit's opinion; while handling, some are still owed.
        replied = first.reply is not None
        first_reply = first.reply if replied else lead_start + 60
        p["opinions"] = [
            min(between(5, 28), first_reply - 1) if replied or random_() < 0.85 else None
            for _ in range(co)
        ]
        if stage >= 3:
            c = last.commitments
            base = max([*c, last.signoffs[-1]])
            p["revisit"] = base + (between(0, 30) if c else between(20, 120))
        if random_() < 0.005:
            p["key"] = lead_start + between(0, 20)
        # The event the current session's state is placed by, and the range it falls in.
        if k == 0:
            if state == S.ASSIGNED:
                p["anchor"] = (first.redo, (1, 40)) if redo else (lead_start, (2, 100))
            elif state == S.HANDLED:
                p["anchor"] = (last.reply, (1, 60))
            elif state == S.SIGNED:
                p["anchor"] = (last.signoffs[-1], (1, 250))
            else:
                p["anchor"] = (p["revisit"], (1, 250))
        return p, rounds

    def _reply(self, r: Round, dissatisfied: bool = False) -> None:
        """Fill a round's reply, commitments and sign-offs (all three; callers cut)."""
        between, random_ = self.between, self.random
        length = r.due - r.start
        if random_() < 0.85:
            r.reply = r.start + between(min(20, length // 3), length - 2)
        else:
            r.reply = r.due + between(1, 45)
        r.classification = self.choice("BCD") if dissatisfied else self.pick(self.CLASSES)
        if r.classification in "BC":
            r.commitments = [r.reply + between(30, 400) for _ in range(self.pick(self.COMMITMENTS))]
        deputy = r.reply + between(2, 25)
        head = deputy + between(1, 6)
        r.signoffs = [deputy, head, head + between(1, 6)]
        rating = (
            SignOff.Rating.SATISFIED if random_() < 0.72 else SignOff.Rating.BASICALLY_SATISFIED
        )
        r.ratings = (rating, rating if random_() < 0.8 else SignOff.Rating.SATISFIED)
        if dissatisfied:
            if random_() < 0.3:
                r.grounds = Redo.Grounds.NONCONFORMING
                r.signoffs = []
            else:
                r.grounds = Redo.Grounds.DISSATISFIED
                r.ratings = (SignOff.Rating.BASICALLY_SATISFIED, SignOff.Rating.DISSATISFIED)
                r.signoffs = r.signoffs[: self.choice((1, 1, 3))]
        elif random_() < 0.04:
            r.ratings = (r.ratings[0], SignOff.Rating.DISSATISFIED)

    def _handling(self, pk, k, state, bench_role, lead_user, topic, action):
        """Write the assignments and every record of the handling; return the suggestion's
        raised day, number, round and complex flag."""
        between, random_, rows, take = self.between, self.random, self.rows, self.take
        iso, stamp, today = self.iso, self.stamp, self.today
        p, rounds = self._plan(k, state, min_co=1 if bench_role == "co" else 0)
        # Place the timeline: the current session by its state's anchor, a past one in
        # its year; nothing may have happened after yesterday.
        if "anchor" in p:
            offset, (near, far) = p["anchor"]
            day0 = today - between(near, far) - offset
        else:
            low, high = self._window(k)
            day0 = today - between(low, high) - p["raised"]
            done = [o for r in rounds for o in (r.reply, r.redo, *r.signoffs) if o is not None]
            latest = day0 + max([*done, p.get("revisit", 0)])
            if latest >= today:
                day0 -= latest - today + 1
        raised = day0 + p["raised"]
        number = self.number(k)
        units = self.cast.units
        lead, *cos = self.rng.sample(units, 1 + p["co"])
        if bench_role == "lead":
            lead = self.cast.bench_unit
        elif bench_role == "co":
            cos = [self.cast.bench_unit, *cos[1:]] if cos else [self.cast.bench_unit]
        staff = self.staff_id
        assigned_on = day0
        # The lead unit's assignment (after a reassignment, the second unit's).
        lead_start = day0 + p["lead_start"]
        if "reassign" in p:
            first_lead = self.choice([u for u in units if u is not lead] or units)
            asked, decided = p["reassign"]
            old = take(Assignment)
            due = iso(self.plus_months(assigned_on, 3))
            rows[Assignment].append(
                (old, pk, first_lead.id, Assignment.Role.LEAD, iso(assigned_on), due, due,
                 _basis("statutory", iso(assigned_on), 3), iso(day0 + decided),
                 Assignment.CloseReason.REASSIGNED, stamp(assigned_on))
            )  # fmt: skip
            rows[ReassignmentRequest].append(
                (take(ReassignmentRequest), REASSIGN_REASON, first_lead.clerk,
                 stamp(day0 + asked), "approved", staff, stamp(day0 + decided), old)
            )  # fmt: skip
        months = 6 if p["complex"] else 3
        statutory = self.plus_months(lead_start, months)
        basis = _basis("complex" if p["complex"] else "statutory", iso(lead_start), months)
        due, complex_ = statutory, p["complex"]
        first = rounds[0]
        extension = p.get("extension")
        if extension and day0 + extension[0] > today:
            extension = None  # not asked yet
        pending = (
            extension
            and state == S.ASSIGNED
            and (day0 + extension[1] > today or (k == 0 and random_() < 0.2))
        )
        if extension and not pending:
            until = min(day0 + first.due, self.plus_months(lead_start, self.max_months))
            if until > statutory:
                basis = (
                    f'{{"rule": "extension", "from": "{iso(day0 + extension[1])}", '
                    f'"previous": "{iso(statutory)}"}}'
                )
                due, complex_ = until, True
        round_dues = [due]
        if len(rounds) > 1:
            ordered = day0 + first.redo
            due = self.plus_months(ordered, self.redo_months)
            basis = _basis("redo", iso(ordered), self.redo_months)
            round_dues.append(due)
        lead_id = take(Assignment)
        rows[Assignment].append(
            (lead_id, pk, lead.id, Assignment.Role.LEAD, iso(lead_start), iso(due),
             iso(statutory), basis, NULL, "", stamp(lead_start))
        )  # fmt: skip
        if extension:
            asked, decided = extension
            until = max(day0 + first.due, statutory + 1)
            rows[ExtensionRequest].append(
                (take(ExtensionRequest), EXTENSION_REASON, lead.clerk, stamp(day0 + asked),
                 "pending" if pending else "approved", NULL if pending else staff,
                 NULL if pending else stamp(day0 + decided), lead_id, iso(until))
            )  # fmt: skip
        if cos:
            co_due = iso(self.plus_months(assigned_on, self.co_months))
            co_basis = _basis("co_opinion", iso(assigned_on), self.co_months)
            for unit, opinion in zip(cos, p["opinions"], strict=False):
                co_id = take(Assignment)
                rows[Assignment].append(
                    (co_id, pk, unit.id, Assignment.Role.CO, iso(assigned_on), co_due, co_due,
                     co_basis, NULL, "", stamp(assigned_on))
                )  # fmt: skip
                if opinion is not None and day0 + opinion <= today:
                    rows[CoOpinion].append(
                        (take(CoOpinion), co_id, self.choice(CO_OPINIONS), unit.clerk,
                         stamp(day0 + opinion))
                    )  # fmt: skip
        for round_, stage, offset in p["communications"]:
            if day0 + offset <= today:
                rows[Communication].append(
                    (take(Communication), lead_id, str(round_), stage, self.choice(self.METHODS),
                     iso(day0 + offset), self.choice(COMMUNICATION_NOTES), lead.clerk,
                     stamp(day0 + offset))
                )  # fmt: skip
        reply_id = None
        commitments = []
        signers = (
            (SignOff.Level.DEPUTY, lead_user),
            (SignOff.Level.UNIT_HEAD, lead.head),
            (SignOff.Level.LEADER, lead.leader),
        )
        for number_, (r, round_due) in enumerate(zip(rounds, round_dues, strict=True), 1):
            if r.reply is None:
                break
            replied = day0 + r.reply
            reply_id = take(Reply)
            rows[Reply].append(
                (reply_id, pk, lead_id, str(number_), r.classification,
                 REPLY_TEXT[r.classification].format(topic=topic, action=action), DOCUMENT,
                 iso(round_due), "t" if replied <= round_due else "f", lead.clerk,
                 stamp(replied))
            )  # fmt: skip
            commitments = []
            for offset in r.commitments:
                commitment_id = take(Commitment)
                commitments.append(commitment_id)
                rows[Commitment].append(
                    (commitment_id, reply_id, f"{action}，按期完成。", iso(day0 + offset))
                )
            for (level, user), offset in zip(signers, r.signoffs, strict=False):
                if day0 + offset >= today:
                    break
                work, result = r.ratings if level == SignOff.Level.DEPUTY else ("", "")
                rows[SignOff].append(
                    (take(SignOff), pk, reply_id, str(number_), level, user,
                     stamp(day0 + offset), DEPUTY_OPINIONS[result] if work else "同意。",
                     work, result)
                )  # fmt: skip
            if r.redo is not None:
                rows[Redo].append(
                    (take(Redo), pk, lead.id, str(number_ + 1), r.grounds,
                     REDO_REASON[r.grounds], iso(round_dues[number_]), staff,
                     stamp(day0 + r.redo))
                )  # fmt: skip
        if state == S.REVISITED:
            revisit_id = take(Revisit)
            rows[Revisit].append(
                (revisit_id, pk, reply_id, REVISIT_NOTES, staff, stamp(day0 + p["revisit"]))
            )
            for commitment_id in commitments:
                rows[RevisitOutcome].append(
                    (take(RevisitOutcome), revisit_id, commitment_id, self.pick(self.OUTCOMES))
                )
        if "key" in p and day0 + p["key"] < today:
            chosen = day0 + p["key"]
            rows[KeySuggestion].append(
                (take(KeySuggestion), pk, iso(chosen)[:4], lead.leader,
                 self.choice(COMMITTEES), iso(chosen))
            )  # fmt: skip
        return raised, number, str(len(rounds)), "t" if complex_ else "f"


def _basis(rule: str, start: str, months: int) -> str:
    """How a deadline was computed (``Assignment.due_basis``), as JSON."""
    return f'{{"rule": "{rule}", "from": "{start}", "months": {months}}}'


# The whole run.


def _numbers() -> dict:
    """The highest number used so far in each session the data set covers."""
    found = {}
    for term, session in sessions():
        last = (
            NumberSequence.objects.filter(term=term, session=session)
            .values_list("last", flat=True)
            .first()
        ) or 0
        highest = (
            Suggestion.objects.filter(term=term, session=session, number__regex=r"^[0-9]+$")
            .annotate(length=Length("number"))
            .order_by("-length", "-number")
            .values_list("number", flat=True)
            .first()
        )
        found[(term, session)] = max(last, int(highest or 0))
    return found


def _save_numbers(numbers: dict) -> None:
    for (term, session), last in numbers.items():
        sequence, _created = NumberSequence.objects.get_or_create(term=term, session=session)
        if last > sequence.last:
            sequence.last = last
            sequence.save(update_fields=["last"])


def _document() -> None:
    """The one reply document every seeded reply points to, so its download works."""
    if not default_storage.exists(DOCUMENT):
        default_storage.save(DOCUMENT, ContentFile(PDF))


def _bench_picks(specs: list[int], cast: Cast) -> tuple[dict, set]:
    """Which of the first chunk's suggestions are the bench unit's and the bench deputy's."""
    decoded = [decode(code) for code in specs]
    handled = [(i, (k, s)) for i, (k, s) in enumerate(decoded) if s in WITH_ASSIGNMENTS]
    current = [(i, s) for i, (k, s) in handled if k == 0]
    picked = spread_pick(current, min(100, len(current)))
    taken = set(picked)
    past = [(i, k) for i, (k, _s) in handled if k > 0 and i not in taken]
    picked += spread_pick(past, BENCH_UNIT_ASSIGNMENTS - len(picked))
    if len(picked) < BENCH_UNIT_ASSIGNMENTS:
        raise TooFew(MIN_FIRST_RUN)
    unit_roles = {i: ("co" if n % 5 == 4 else "lead") for n, i in enumerate(picked)}
    term = cast.bench_deputy_term
    own_term = [(i, (k, s)) for i, (k, s) in enumerate(decoded) if sessions()[k][0] == term]
    # Spread over the states, in the current session and the earlier ones of the term.
    ordered = [(i, (k > 0, s)) for i, (k, s) in own_term]
    deputy = set(spread_pick(ordered, BENCH_DEPUTY_SUGGESTIONS))
    if len(deputy) < BENCH_DEPUTY_SUGGESTIONS:
        raise TooFew(MIN_FIRST_RUN)
    return unit_roles, deputy


def existing_count() -> int:
    return Suggestion.objects.filter(created_by__username=SEED_USER).count()


def seed(*, total: int, seed: int = 1, chunk: int = CHUNK) -> tuple[list, float]:
    """Add suggestions until the data set holds ``total``; return (table, rows, s) lines."""
    check_columns()
    started = time.perf_counter()
    today = timezone.localdate()
    writer = Writer()
    have = existing_count()
    if have == 0 and 0 < total < MIN_FIRST_RUN:
        raise TooFew(MIN_FIRST_RUN)
    small = [HandlingUnit, UnitMembership, NumberSequence]
    counts = {model: model.objects.count() for model in small}
    if total > have:
        rng = random.Random(f"{seed}-{have}-{total}")
        setup_started = time.perf_counter()
        users_before = User.objects.count()
        with transaction.atomic():
            cast = Setup(writer, rng, today).run(total)
        users = User._meta.db_table
        writer.rows[users] = User.objects.count() - users_before
        writer.seconds[users] = (
            time.perf_counter() - setup_started - writer.seconds[Deputy._meta.db_table]
        )
        _document()
        specs = batch_specs(have, total, rng)
        picks = _bench_picks(specs[:chunk], cast) if cast.fresh else ({}, set())
        numbers = _numbers()
        generator = Generator(cast, rng, today, numbers)
        pipeline = CopyPipeline(writer) if connection.vendor == "postgresql" else None
        try:
            for start in range(0, len(specs), chunk):
                for i, code in enumerate(specs[start : start + chunk], start):
                    k, state = decode(code)
                    generator.suggestion(k, state, picks[0].get(i, ""), i in picks[1])
                if pipeline:
                    pipeline.put(generator.chunk())
                else:
                    with transaction.atomic():
                        for model, rows in generator.chunk():
                            writer.write(model, rows)
        finally:
            if pipeline:
                pipeline.close()
        with transaction.atomic():
            generator.sync()
            _save_numbers(numbers)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner takes the new rows for a few (as autovacuum
            # would put right later) and the reminder queries below crawl.
            with connection.cursor() as cursor:
                for model in [User, Deputy, *CHUNK_MODELS]:
                    if writer.rows[model._meta.db_table]:
                        cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        history_started = time.perf_counter()
        writer.rows[Reminder._meta.db_table] += reminder_history(today)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'ANALYZE "{Reminder._meta.db_table}"')
        writer.seconds[Reminder._meta.db_table] += time.perf_counter() - history_started
    for model in small:
        writer.rows[model._meta.db_table] = model.objects.count() - counts[model]
    lines = [
        (
            model._meta.db_table,
            writer.rows[model._meta.db_table],
            writer.seconds[model._meta.db_table],
        )
        for model in [User, Deputy, *small, *CHUNK_MODELS, Reminder]
    ]
    return lines, time.perf_counter() - started


def reminder_history(today: datetime.date) -> int:
    """Write as sent the reminders due yesterday: the sweep ran every day until then."""
    yesterday = today - datetime.timedelta(days=1)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    sent = datetime.datetime.combine(yesterday, datetime.time(8), tzinfo=tz)
    rows = [
        (recipient, due.kind, due.suggestion_id, due.assignment_id, due.target, due.due_on,
         due.days, HISTORY_SWEEP, sent, sent)
        for due in reminders.due_reminders(yesterday)
        for recipient in sorted(due.recipient_ids)
    ]  # fmt: skip
    before = Reminder.objects.filter(sweep=HISTORY_SWEEP).count()
    columns = [c for c in COLUMNS[Reminder] if c != "id"]
    names = ", ".join(
        connection.ops.quote_name(Reminder._meta.get_field(c).column) for c in columns
    )
    table = Reminder._meta.db_table
    # Yesterday's sweep key may equal one a sweep of today wrote already: keep that one.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TABLE IF EXISTS bench_reminder")  # a run in one transaction
            cursor.execute(f'CREATE TEMPORARY TABLE bench_reminder (LIKE "{table}") ON COMMIT DROP')
            cursor.execute("ALTER TABLE bench_reminder DROP COLUMN id")
            with cursor.cursor.copy(f"COPY bench_reminder ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f'INSERT INTO "{table}" ({names}) SELECT {names} FROM bench_reminder '
                "ON CONFLICT DO NOTHING"
            )
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            fields = [Reminder._meta.get_field(c) for c in columns]
            cursor.executemany(
                f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({placeholders})',
                [
                    [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]
                    for row in rows
                ],
            )
    return Reminder.objects.filter(sweep=HISTORY_SWEEP).count() - before
