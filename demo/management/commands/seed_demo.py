"""Fill the database with a believable demo city, made through the services.

清河市 (an imaginary city): 40 city deputies of the 16th congress in four delegations,
12 handling units with their clerks, heads and supervising vice-mayors, three liaison
stations, and 80 suggestions of the third session spread over every state of the loop.
Every state change goes through ``suggestions.services`` with the right actor, so each
one leaves its transition record. Only the assignment dates are moved back afterwards,
to show overdue, due-soon and late cases; nothing append-only is ever touched.

Run twice, it changes nothing the second time and prints the same accounts.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import Deputy
from stations.models import LiaisonStation
from suggestions import deadlines, permissions, services
from suggestions.models import (
    Assignment,
    Communication,
    HandlingUnit,
    RevisitOutcome,
    SignOff,
    Suggestion,
    UnitMembership,
)

DEFAULT_PASSWORD = "demo12345"
TERM, SESSION = 16, 3
LEVEL = Deputy.Level.CITY
DEMO_DEPUTY = 0  # index in DEPUTIES of the deputy behind the ``deputy`` account

DELEGATIONS = ["新兴区代表团", "桃源区代表团", "河东区代表团", "青山县代表团"]

# key, name, kind, level, address, contact
STATIONS = [
    (
        "home",
        "新兴区人大代表之家",
        LiaisonStation.Kind.HOME,
        LiaisonStation.Level.COUNTY,
        "清河市新兴区人民路88号",
        "新兴区人大常委会代表工作室 0464-8221536",
    ),
    (
        "station",
        "桃源区桃山街道人大代表工作站",
        LiaisonStation.Kind.STATION,
        LiaisonStation.Level.TOWNSHIP,
        "清河市桃源区桃山街道幸福路17号",
        "桃山街道人大工委 0464-8305172",
    ),
    (
        "room",
        "青山县太平镇太平村人大代表联络室",
        LiaisonStation.Kind.ROOM,
        LiaisonStation.Level.VILLAGE,
        "青山县太平镇太平村村委会二楼",
        "太平村村委会 0464-7612208",
    ),
]

M, F = Deputy.Gender.MALE, Deputy.Gender.FEMALE
# name, gender, ethnicity, party, delegation index, position, station key
DEPUTIES = [
    ("王丽华", F, "汉族", "中共党员", 0, "新兴区向阳街道红旗社区党委书记、居委会主任", "home"),
    ("赵振东", M, "汉族", "中共党员", 0, "清河煤业集团有限公司董事长", None),
    ("刘淑芬", F, "满族", "民盟盟员", 0, "清河市第一中学校长", "home"),
    ("孙志强", M, "汉族", "中共党员", 0, "新兴区人民医院院长", None),
    ("陈晓梅", F, "汉族", "群众", 0, "新兴区晓梅便民超市经营者", None),
    ("金美玉", F, "朝鲜族", "中共党员", 0, "新兴区北山街道民族社区党委书记", "home"),
    ("周海涛", M, "汉族", "九三学社社员", 0, "清河新材料科技有限公司总工程师", None),
    ("马秀兰", F, "回族", "中共党员", 0, "新兴区新华街道社区卫生服务中心主任", "home"),
    ("郑国庆", M, "汉族", "中共党员", 0, "清河市公共交通集团第三车队队长", None),
    ("杨春燕", F, "汉族", "民建会员", 0, "清河市惠民养老服务中心总经理", "home"),
    ("李建军", M, "汉族", "中共党员", 1, "桃源区长兴乡兴旺村党支部书记", None),
    ("张玉珍", F, "汉族", "中共党员", 1, "桃源区实验小学校长", "station"),
    ("高明远", M, "汉族", "民建会员", 1, "清河市鑫达建筑工程有限公司董事长", None),
    ("吴桂英", F, "满族", "中共党员", 1, "桃源区桃山街道幸福社区党委书记", "station"),
    ("何立新", M, "汉族", "农工党党员", 1, "清河市中医医院副院长", None),
    ("罗红梅", F, "汉族", "群众", 1, "桃源区红梅家庭农场负责人", None),
    ("朴成哲", M, "朝鲜族", "中共党员", 1, "桃源区万宝乡民乐村党支部书记", None),
    ("许文博", M, "汉族", "无党派人士", 1, "清河职业技术学院教授", None),
    ("韩雪", F, "汉族", "中共党员", 1, "清河市热力有限公司客户服务中心主任", "station"),
    ("邓志刚", M, "汉族", "中共党员", 1, "桃源区公安分局桃山派出所所长", None),
    ("曹永福", M, "汉族", "中共党员", 2, "河东区河东街道党工委书记", None),
    ("袁晓燕", F, "汉族", "民盟盟员", 2, "河东区第二中学教师", None),
    ("冯德胜", M, "汉族", "中共党员", 2, "清河市德胜农机专业合作社理事长", None),
    ("蒋丽娜", F, "汉族", "群众", 2, "河东区丽娜美发店店主", None),
    ("沈卫国", M, "回族", "中共党员", 2, "清河市清真食品有限公司总经理", None),
    ("彭雪梅", F, "汉族", "中共党员", 2, "河东区人民医院护士长", None),
    ("白宝山", M, "满族", "中共党员", 2, "河东区红星乡红星村党支部书记", None),
    ("崔英子", F, "朝鲜族", "民进会员", 2, "河东区朝鲜族中学副校长", None),
    ("宋建华", M, "汉族", "中共党员", 2, "清河水务集团有限公司总经理", None),
    ("唐秀珍", F, "汉族", "中共党员", 2, "河东区东风街道东风社区居委会主任", None),
    ("薛长林", M, "汉族", "中共党员", 3, "青山县青山镇党委书记", None),
    ("梁淑琴", F, "汉族", "中共党员", 3, "青山县第一中学校长", None),
    ("范志勇", M, "汉族", "中共党员", 3, "青山县兴农种植专业合作社理事长", None),
    ("邵丽君", F, "满族", "群众", 3, "青山县丽君肉牛养殖场场长", None),
    ("孔令华", M, "汉族", "致公党党员", 3, "青山县人民医院外科主任", None),
    ("田玉兰", F, "汉族", "中共党员", 3, "青山县太平镇太平村党支部书记、村委会主任", "room"),
    ("石磊", M, "汉族", "中共党员", 3, "青山县汽车客运站站长", None),
    ("廖春华", F, "汉族", "中共党员", 3, "青山县社会福利中心院长", "room"),
    ("方振华", M, "汉族", "民革党员", 3, "清河方华律师事务所主任", None),
    ("金光日", M, "朝鲜族", "中共党员", 3, "青山县红光朝鲜族村党支部书记", "room"),
]

# username, name, title: the vice-mayors who supervise the units (分管副市长)
LEADERS = [
    ("leader", "刘振华", "副市长"),
    ("leader02", "陈晓红", "副市长"),
    ("leader03", "张德顺", "副市长"),
    ("leader04", "李国栋", "副市长、市公安局局长"),
    ("leader05", "王淑贤", "副市长"),
]

G, COURT = HandlingUnit.Kind.GOVERNMENT, HandlingUnit.Kind.COURT
# key, name, short name, kind, leader username, clerk's name, head's name, category
UNITS = [
    ("jt", "市交通运输局", "交通局", G, "leader", "孙立伟", "马国强", "交通运输"),
    ("jy", "市教育局", "教育局", G, "leader02", "李婷", "周文斌", "教育"),
    ("zj", "市住房和城乡建设局", "住建局", G, "leader", "王鹏", "赵立华", "城乡建设"),
    ("wj", "市卫生健康委员会", "卫健委", G, "leader02", "刘敏", "韩志远", "医疗卫生"),
    ("zr", "市自然资源和规划局", "自然资源局", G, "leader", "张晨", "钱永刚", "城乡建设"),
    ("st", "市生态环境局", "生态环境局", G, "leader03", "陈静", "吕海波", "生态环境"),
    ("ny", "市农业农村局", "农业农村局", G, "leader03", "杨帆", "冯春雷", "农业农村"),
    ("rs", "市人力资源和社会保障局", "人社局", G, "leader05", "黄丽", "郭建新", "劳动就业"),
    ("mz", "市民政局", "民政局", G, "leader05", "徐蕾", "邱长海", "民政和养老服务"),
    ("ga", "市公安局", "公安局", G, "leader04", "吴昊", "董振宇", "公共安全"),
    ("cg", "市城市管理综合执法局", "城管局", G, "leader", "朱琳", "侯德明", "城市管理"),
    ("fy", "市中级人民法院", "中院", COURT, "leader04", "林悦", "谢正义", "法治建设"),
]


@dataclass(frozen=True)
class Item:
    """One demo suggestion and the path it takes through the loop.

    ``plan`` names the path (see ``Command._walk``); ``grade`` is the reply's class;
    ``measure`` the action the reply is about; ``reason`` the text of a return,
    rejection, withdrawal, redo, reassignment or extension.
    """

    plan: str
    lead: int
    unit: str
    title: str
    content: str
    measure: str = ""
    co: tuple[str, ...] = ()
    grade: str = "A"
    rating: str = "satisfied"
    outcome: str = RevisitOutcome.Outcome.KEPT
    reason: str = ""
    to_unit: str = ""


I = Item  # noqa: E741 - the table below reads better short

# fmt: off
SUGGESTIONS = [
    I("soon", 8, "jt", "关于优化中心城区公交线路和站点设置的建议",
      "中心城区部分公交线路重复绕行、发车间隔过长，近年新建的锦绣家园、湖滨花园等小区周边没有公交站点，"
      "居民出行只能步行一公里以上。建议对全市公交线网进行整体优化，增开通往新建小区和产业园区的线路，"
      "缩短早晚高峰发车间隔。",
      "优化调整中心城区公交线网，开通通往新建小区和产业园区的公交线路", co=("ga",)),
    I("signed", 2, "jt", "关于在市第一中学路口增设红绿灯的建议",
      "市第一中学门前的学府路与建设街交叉口车流量大，上下学时段学生横穿马路，接送车辆乱停乱放，"
      "多次发生剐蹭事故，存在较大安全隐患。建议在该路口增设红绿灯和人行横道，"
      "上下学时段安排交警和志愿者疏导交通。",
      "在市第一中学路口增设红绿灯和人行横道，上下学时段安排警力疏导", co=("ga",)),
    I("revisited", 1, "zj", "关于合理规划城市停车位的建议",
      "老城区建成年代早，停车位严重不足，车辆占用人行道和消防通道停放的现象突出。"
      "建议结合老旧小区改造，利用边角空地建设立体停车场，在次干道合理施划夜间限时停车泊位，"
      "并推动机关单位停车场夜间向周边居民开放。",
      "在老城区新建两处立体停车场，在次干道施划夜间限时停车泊位", co=("ga", "zr"), grade="B"),
    I("overdue", 4, "cg", "关于解决百姓出门办事停车难问题的建议",
      "市政务服务中心、市人民医院周边停车位紧张，群众办事、就医时只能绕行寻找车位，"
      "违停罚单多、意见大。建议在公共服务场所周边增设临时停车泊位，推行错时共享停车，"
      "并通过手机小程序公布空余车位信息。",
      "在政务服务中心和市人民医院周边增设临时停车泊位，推行错时共享停车", co=("ga",)),
    I("fresh", 36, "jt", "关于开通青山县至市区城际公交的建议",
      "青山县至市区目前只有两班客运班车，票价高、班次少，群众到市里就医、办事很不方便。"
      "建议开通青山县至市区的城际公交，实行公交化运营，增加班次并降低票价。",
      "开通青山县至市区的城际公交线路"),
    I("revisited", 35, "jt", "关于太平村至县道连接路硬化的建议",
      "太平镇太平村至县道的连接路全长3.2公里，仍为砂石路面，雨季泥泞、冬季结冰，"
      "村民出行和农产品外运十分困难，校车也无法进村。建议将该路段纳入农村公路建设计划，尽快完成硬化。",
      "将太平村至县道连接路纳入农村公路建设计划并完成硬化", co=("ny",)),
    I("signed_late", 30, "jt", "关于加快青山镇农村公路危桥改造的建议",
      "青山镇境内有三座建于上世纪七十年代的农村公路桥梁，经检测已列为危桥，"
      "目前只能限载通行，农机和运粮车辆需绕行十余公里。建议加快危桥改造进度，争取年内完工。",
      "完成青山镇三座农村公路危桥的改造", co=("ny",), grade="B"),
    I("overdue", 16, "jt", "关于民乐村通屯道路拓宽改造的建议",
      "民乐村通往三个自然屯的道路路面宽仅3.5米，会车困难，路两侧排水沟年久失修。"
      "建议对通屯道路进行拓宽改造，同步修复排水设施。",
      "对民乐村通屯道路进行拓宽改造并修复排水设施"),
    I("handled", 13, "jt", "关于在幸福社区周边增设公交候车亭的建议",
      "幸福社区周边三个公交站点只有站牌，没有候车亭，老年人冬季候车受冻、夏季暴晒。"
      "建议在上述站点增设候车亭和座椅，并设置电子站牌。",
      "在幸福社区周边公交站点增设候车亭、座椅和电子站牌", grade="B"),
    I("signed", 19, "ga", "关于加强电动自行车交通违法治理的建议",
      "城区电动自行车数量快速增长，闯红灯、逆行、不戴头盔等违法行为多发，"
      "涉及电动自行车的交通事故逐年上升。建议开展专项整治，在重点路口设置非机动车等候区，加强宣传教育。",
      "开展电动自行车交通违法专项整治，在重点路口设置非机动车等候区"),
    I("reviewed", 23, "st", "关于整治城区夜间噪声扰民的建议",
      "河东区部分临街商铺夜间使用高音喇叭招揽顾客，烧烤摊点经营至凌晨，周边居民休息受到严重影响。"
      "建议加强夜间噪声执法，建立噪声投诉快速处置机制。",
      co=("ga",)),
    I("signed", 11, "jy", "关于解决城区小学课后延时服务师资不足的建议",
      "城区小学全面开展课后延时服务后，教师工作时间明显延长，部分学校师资紧张，"
      "服务内容以看管为主。建议统筹调配教师，引入少年宫、体育俱乐部等社会力量参与课后服务。",
      "统筹调配教师并引入社会力量，丰富城区小学课后延时服务内容"),
    I("revisited", 31, "jy", "关于改善青山县第一中学学生宿舍条件的建议",
      "青山县第一中学学生宿舍楼建于1998年，屋面漏雨、暖气不热，部分宿舍住12人，"
      "卫生间和洗浴设施不足。建议对宿舍楼进行维修改造，改善寄宿学生生活条件。",
      "对青山县第一中学学生宿舍楼进行维修改造", co=("zj",), grade="B",
      outcome=RevisitOutcome.Outcome.NOT_KEPT),
    I("fresh", 21, "jy", "关于在河东新区规划建设公办幼儿园的建议",
      "河东新区入住居民已超过两万人，但区内没有一所公办幼儿园，"
      "适龄幼儿只能到老城区或民办园就读，接送不便、费用较高。建议在新区规划建设一所公办幼儿园。",
      "在河东新区规划建设一所公办幼儿园", co=("zr",)),
    I("handled_late", 27, "jy", "关于加强朝鲜族中学双语教师队伍建设的建议",
      "朝鲜族中学双语教师年龄老化，近五年没有补充新教师，部分学科只能由其他学科教师兼任。"
      "建议增加双语教师编制，定向招聘和培养双语教师。",
      "增加朝鲜族中学双语教师编制并定向招聘", co=("rs",), grade="C"),
    I("soon", 29, "ga", "关于加强校园周边交通安全和治安秩序的建议",
      "东风街道辖区三所学校周边路段狭窄，上下学时段车辆拥堵，流动摊贩聚集，"
      "存在交通和治安隐患。建议设立护学岗，加强校园周边巡逻，规范接送车辆停放。",
      "在东风街道辖区学校周边设立护学岗并加强巡逻", co=("jy",)),
    I("signed", 17, "jy", "关于推进职业教育与本地产业融合发展的建议",
      "清河职业技术学院专业设置与本地新材料、煤化工产业需求结合不够，毕业生本地就业率不高。"
      "建议推动学校与产业园区企业共建实训基地，开设订单班。",
      "推动清河职业技术学院与产业园区企业共建实训基地、开设订单班", co=("rs",), grade="B",
      rating="basic"),
    I("proposed", 31, "jy", "关于为乡村学校增配校车的建议",
      "青山县部分乡镇学校撤并后，学生上学路程远，现有校车数量不足，"
      "一些学生搭乘无资质车辆上学。建议为乡村学校增配校车并给予运营补贴。"),
    I("signed", 7, "wj", "关于加强社区卫生服务中心全科医生配备的建议",
      "新兴区多数社区卫生服务中心只有一两名全科医生，难以满足家庭医生签约服务需要。"
      "建议通过定向招聘、县乡轮岗等方式，为社区卫生服务中心补充全科医生。",
      "通过定向招聘和县乡轮岗，为社区卫生服务中心补充全科医生"),
    I("revisited", 3, "wj", "关于推进医疗机构检查检验结果互认的建议",
      "患者在不同医院就诊时经常被要求重复检查，既增加了负担，也浪费了医疗资源。"
      "建议在全市二级以上医疗机构推行检查检验结果互认，建设影像云平台。",
      "在全市二级以上医疗机构推行检查检验结果互认"),
    I("overdue", 34, "wj", "关于提升青山县人民医院急诊急救能力的建议",
      "青山县人民医院急诊科只有两台救护车，没有负压救护车，胸痛、卒中患者转诊到市里往往错过最佳救治时间。"
      "建议为县医院配备负压救护车，支持建设胸痛中心和卒中中心。",
      "为青山县人民医院配备负压救护车并建设胸痛中心"),
    I("handled_head", 14, "wj", "关于推动中医药服务进社区的建议",
      "社区居民对针灸、推拿、中药调理等中医药服务需求旺盛，但多数社区卫生服务中心没有中医馆。"
      "建议在社区卫生服务中心设立中医馆，由市中医医院派驻医师坐诊。",
      "在10个社区卫生服务中心设立中医馆"),
    I("signed", 25, "wj", "关于提高基层医护人员待遇的建议",
      "基层医疗机构医护人员工资待遇偏低、晋升渠道窄，近三年河东区基层医疗机构流失医护人员40余名。"
      "建议提高基层医护人员绩效工资水平，在职称评聘上给予倾斜。",
      "落实基层医护人员绩效工资和职称评聘倾斜政策", co=("rs",), grade="C",
      rating="dissatisfied"),
    I("rejected", 24, "rs", "关于为本公司解决流动资金贷款的建议",
      "本公司因扩大生产急需流动资金500万元，向多家银行申请贷款未获批准，请政府协调解决。",
      reason="所提事项属于企业个体经营诉求，不属于代表建议范围，已转交有关部门作为来信办理。"),
    I("revisited", 9, "mz", "关于加快社区居家养老服务中心建设的建议",
      "全市60岁以上老年人口占比已超过25%，但社区居家养老服务设施覆盖率不足四成，"
      "失能半失能老人照护压力大。建议加快社区居家养老服务中心建设，提供助餐、助浴、日间照料服务。",
      "在中心城区新建8个社区居家养老服务中心", co=("wj",), grade="B"),
    I("signed", 20, "mz", "关于为高龄独居老人安装紧急呼叫设备的建议",
      "河东街道有80岁以上独居老人300余名，发生意外时无法及时求助的情况时有发生。"
      "建议为高龄独居老人免费安装紧急呼叫设备，与社区和医疗机构联网。",
      "为全市80岁以上独居老人免费安装紧急呼叫设备"),
    I("fresh", 37, "mz", "关于推进医养结合型养老机构建设的建议",
      "县社会福利中心入住老人中失能半失能老人占六成，日常医疗需求大，"
      "但机构内没有医务室。建议推进养老机构与医疗机构签约合作，建设医养结合型养老机构。",
      "推进县社会福利中心与县人民医院开展医养结合合作", co=("wj",)),
    I("handled_deputy", 5, "mz", "关于在民族社区开设老年食堂的建议",
      "北山街道民族社区少数民族老年人较多，饮食习惯特殊，独居老人吃饭难问题突出。"
      "建议在社区开设老年助餐食堂，兼顾少数民族饮食习惯。",
      "在北山街道民族社区开设老年助餐食堂", grade="B"),
    I("handled", DEMO_DEPUTY, "mz", "关于在红旗社区建设老年人日间照料中心的建议",
      "红旗社区是老旧小区集中的社区，60岁以上老人1800余人，子女白天上班，老人无人照看。"
      "建议利用社区闲置用房建设老年人日间照料中心，提供午休、康复和文体活动服务。",
      "在红旗社区建设老年人日间照料中心", grade="B"),
    I("signed", 26, "mz", "关于规范农村殡葬服务管理的建议",
      "部分农村地区丧事大操大办、乱埋乱葬现象仍然存在，公益性公墓建设滞后。"
      "建议加快农村公益性公墓建设，规范殡葬服务收费。",
      "加快农村公益性公墓建设并公示殡葬服务收费标准", rating="basic"),
    I("withdrawn", 9, "mz", "关于建设市级养老服务指导中心的建议",
      "建议建设市级养老服务指导中心，统筹指导全市养老服务机构建设和运营。",
      reason="代表申请撤回：该事项已列入今年市政府民生实事项目。"),
    I("reassigned", 18, "cg", "关于加快老旧小区供热管网改造的建议",
      "桃山街道多个老旧小区供热管网铺设于上世纪九十年代，跑冒滴漏严重，"
      "每年供热期都有居民室温不达标。建议加快老旧供热管网改造，提高供热质量。",
      "完成桃山街道老旧小区供热管网改造",
      reason="老旧小区供热管网改造属于住房和城乡建设部门职责，我局不具备办理条件，申请改由市住房和城乡建设局主办。",
      to_unit="zj"),
    I("signed", 20, "zj", "关于解决河东街道部分小区冬季供热温度不达标的建议",
      "去年供暖期河东街道有五个小区室温长期低于18摄氏度，居民多次投诉未得到根本解决。"
      "建议对换热站进行改造，加强室温监测，落实供热不达标退费制度。",
      "对河东街道供热不达标小区的换热站进行改造并加强室温监测"),
    I("revisited_redo", 23, "zj", "关于解决东风街道高层住宅二次供水水压不足的建议",
      "东风街道多栋高层住宅二次供水设施老化，高峰时段七层以上住户水压不足，"
      "夏季经常停水。建议对二次供水设施进行改造，并移交供水企业统一管理。",
      "对东风街道高层住宅二次供水设施进行改造并移交供水企业统一管理", grade="D"),
    I("extended", 12, "zj", "关于加快推进老旧小区改造的建议",
      "桃山街道有12个2000年以前建成的老旧小区，外墙保温缺失、管网老化、道路破损，"
      "居民改造意愿强烈。建议加快改造进度，统筹实施管网、保温、道路和加装电梯。",
      "完成桃山街道12个老旧小区改造", co=("zr",),
      reason="该建议涉及管网、外墙保温等多项工程，需与供热、供水企业协调施工，且需履行资金审批程序，申请延期办理。"),
    I("redo_nonconforming", 22, "zj", "关于实施农村饮水安全巩固提升工程的建议",
      "红星村供水管网建于2008年，管道锈蚀、漏损严重，水质浑浊，冬季经常冻管断水。"
      "建议实施农村饮水安全巩固提升工程，改造供水管网，建设净水设施。",
      "对红星村供水管网进行改造并建设净水设施", co=("ny",), grade="D",
      reason="答复未针对代表所提红星村饮水问题提出具体措施和完成时限，答复文件不规范，责成限时重办。"),
    I("overdue", 28, "zj", "关于推进城区雨污分流改造的建议",
      "城区部分区域仍为雨污合流管网，汛期污水溢流进入河道，影响水环境质量。"
      "建议制定雨污分流改造计划，分年度推进实施。",
      "推进城区雨污分流管网改造", co=("st",)),
    I("handled", 6, "zj", "关于支持老旧住宅加装电梯的建议",
      "老旧多层住宅没有电梯，高层住户中老年人上下楼困难。建议出台既有住宅加装电梯实施办法，"
      "简化审批程序，给予财政补贴。",
      "出台既有住宅加装电梯实施办法并给予补贴"),
    I("signed", 13, "zr", "关于解决幸福社区回迁房不动产权证办理问题的建议",
      "幸福社区棚改回迁房入住已满五年，因开发企业手续不全，400余户居民至今未办理不动产权证，"
      "子女入学、房屋交易受到影响。建议协调解决办证问题。",
      "为幸福社区回迁户办理不动产权证书", co=("zj",), grade="B"),
    I("proposed", 4, "zj", "关于加强物业服务企业监管的建议",
      "部分小区物业服务企业服务质量差、收费不透明，业主投诉多。"
      "建议建立物业服务企业信用评价和退出机制，加强日常监管。"),
    I("reviewed", 12, "st", "关于加强建筑工地扬尘治理的建议",
      "春秋季节城区建筑工地扬尘污染明显，渣土车沿路抛洒。"
      "建议落实工地围挡、洒水、车辆冲洗等措施，加强渣土车运输管理。",
      co=("zj",)),
    I("signed", 1, "zr", "关于在新兴区建设城市口袋公园的建议",
      "新兴区人口密集，居民身边的休闲绿地少。建议利用拆违后的闲置地块和边角地，"
      "建设一批口袋公园，增加健身和休闲设施。",
      "在新兴区利用闲置地块建设5处口袋公园", co=("cg",)),
    I("soon", 32, "zr", "关于加快农村宅基地确权登记颁证的建议",
      "青山县部分村宅基地确权登记工作进展缓慢，农户无法办理抵押贷款和房屋流转。"
      "建议加快宅基地确权登记颁证进度。",
      "完成青山县农村宅基地确权登记颁证", co=("ny",)),
    I("reviewed", 38, "zr", "关于优化工业项目用地审批流程的建议",
      "工业项目从供地到开工审批环节多、时间长，影响项目落地。"
      "建议推行“标准地”出让，实行拿地即开工。"),
    I("revisited", 24, "st", "关于整治河东区东湖黑臭水体的建议",
      "河东区东湖周边生活污水直排，夏季水体发黑发臭，周边居民反映强烈。"
      "建议截流周边排污口，实施清淤和生态修复。",
      "截流东湖周边排污口并实施清淤和生态修复", co=("zj",)),
    I("signed", 5, "st", "关于加强冬季燃煤散烧污染治理的建议",
      "北山街道城中村冬季家家户户烧煤取暖，供暖期空气质量明显下降。"
      "建议推进清洁取暖改造，逐步取缔燃煤散烧。",
      "推进北山街道城中村清洁取暖改造，逐步取缔燃煤散烧", grade="B", rating="basic"),
    I("overdue", 33, "st", "关于治理农村畜禽养殖污染的建议",
      "青山县部分养殖场粪污处理设施不完善，雨季粪污外溢，影响周边农田和水源。"
      "建议指导养殖场建设粪污处理设施，推进粪污资源化利用。",
      "指导规模养殖场建设粪污处理设施，推进粪污资源化利用", co=("ny",)),
    I("fresh", 21, "cg", "关于在中心城区推行生活垃圾分类的建议",
      "城区生活垃圾产生量逐年增加，垃圾填埋场即将饱和。"
      "建议在中心城区选择部分小区和公共机构开展生活垃圾分类试点。",
      "在中心城区开展生活垃圾分类试点", co=("st",)),
    I("handled", 30, "st", "关于加强采煤沉陷区生态修复治理的建议",
      "青山镇采煤沉陷区面积大，地表塌陷积水，耕地损毁，部分房屋出现裂缝。"
      "建议争取国家和省级资金，实施沉陷区综合治理和生态修复。",
      "实施青山镇采煤沉陷区生态修复工程", co=("zr",), grade="B"),
    I("rejected", 15, "st", "关于撤销某化工企业排污许可证的建议",
      "桃源区某化工企业存在违法排污行为，建议立即撤销其排污许可证。",
      reason="所提事项属于对具体企业的行政执法诉求，不宜作为代表建议办理，已转市生态环境局依法核查处理。"),
    I("signed", 22, "ny", "关于加大农机购置补贴兑付力度的建议",
      "部分农民购置农机后补贴资金兑付周期长，有的超过一年，影响农民购机积极性。"
      "建议简化补贴办理程序，及时足额兑付农机购置补贴。",
      "简化办理程序，及时足额兑付农机购置补贴"),
    I("revisited", 15, "ny", "关于扶持家庭农场发展壮大的建议",
      "全市家庭农场普遍规模小、融资难、技术弱。建议对示范家庭农场给予贷款贴息，"
      "开展经营管理和种养技术培训。",
      "为示范家庭农场提供贷款贴息和技术培训", co=("rs",), grade="B", rating="basic",
      outcome=RevisitOutcome.Outcome.PARTLY_KEPT),
    I("soon", 10, "ny", "关于加强高标准农田建设后期管护的建议",
      "长兴乡已建成的高标准农田部分灌溉设施损坏后无人维修，管护责任不明确。"
      "建议建立高标准农田管护机制，落实管护主体和经费。",
      "建立高标准农田管护机制，落实管护主体和经费"),
    I("handled_late", 33, "ny", "关于支持肉牛养殖产业发展的建议",
      "青山县肉牛养殖户多为散养，良种化程度低，防疫服务跟不上。"
      "建议实施肉牛良种补贴，加强基层动物防疫服务。",
      "为肉牛养殖户提供良种补贴和防疫服务", grade="B"),
    I("signed", 39, "ny", "关于在红光村建设水稻烘干仓储设施的建议",
      "红光村水稻种植面积3000余亩，每年秋收时因缺少烘干设施，稻谷晾晒难、损失大。"
      "建议支持建设水稻烘干仓储设施。",
      "在红光村建设水稻烘干仓储设施", co=("zr",), grade="B"),
    I("fresh", 32, "ny", "关于支持发展林下经济的建议",
      "青山县林地资源丰富，发展林下种植养殖潜力大，但缺少政策扶持和技术指导。"
      "建议出台林下经济扶持政策。",
      "出台林下经济扶持政策并开展技术指导", co=("zr",)),
    I("redo_open", DEMO_DEPUTY, "cg", "关于规范红旗社区周边早市摊点经营秩序的建议",
      "红旗社区周边早市摊点占道经营，每天早上堵塞道路，垃圾遍地，居民出行和休息受到影响。"
      "建议规划建设便民市场，引导摊点入市经营，加强日常管理。",
      "规范红旗社区周边早市摊点经营秩序，规划建设便民市场", grade="D"),
    I("withdrawn_reviewed", 10, "ny", "关于在兴旺村建设农产品交易市场的建议",
      "兴旺村周边蔬菜种植户多，缺少交易场所，建议建设农产品交易市场。",
      reason="代表申请撤回：兴旺村已通过村集体自筹资金建成交易市场。"),
    I("reviewed", 23, "rs", "关于优化灵活就业人员社会保险服务的建议",
      "个体经营者、网约车司机等灵活就业人员参保手续繁琐，缴费渠道少，断缴现象多。"
      "建议开通线上参保缴费渠道，加强政策宣传。"),
    I("revisited", 17, "rs", "关于做好高校毕业生留清就业服务的建议",
      "本地高校毕业生留清就业比例逐年下降，人才外流明显。"
      "建议举办专场招聘会，发放就业补贴和租房补贴，吸引毕业生留清就业创业。",
      "组织高校毕业生专场招聘会并发放就业补贴和租房补贴", co=("jy",)),
    I("overdue", 1, "rs", "关于帮助煤矿转岗职工再就业的建议",
      "随着煤矿去产能，集团有1200余名职工需要转岗分流，部分职工年龄偏大、技能单一，再就业困难。"
      "建议开展免费技能培训，开发公益性岗位。",
      "为煤矿转岗职工开展免费技能培训并开发公益性岗位"),
    I("soon", 12, "rs", "关于保障农民工工资按时足额支付的建议",
      "部分建设项目存在拖欠农民工工资现象，春节前讨薪问题集中。"
      "建议落实工资专用账户和保证金制度，开展根治欠薪专项行动。",
      "落实农民工工资专用账户制度，开展根治欠薪专项行动", co=("zj",)),
    I("signed", 4, "rs", "关于加大创业担保贷款支持力度的建议",
      "个体工商户和小微企业创业担保贷款额度低、手续多、放款慢。"
      "建议提高贷款额度，简化办理手续。",
      "提高创业担保贷款额度并简化办理手续", grade="B", rating="basic"),
    I("handled", 36, "rs", "关于提高城乡居民基础养老金标准的建议",
      "城乡居民基础养老金标准偏低，农村老人生活保障水平不高。建议逐步提高基础养老金标准。",
      "提高城乡居民基础养老金标准", grade="C"),
    I("proposed", 39, "rs", "关于开展少数民族特色技能培训的建议",
      "朝鲜族村群众有制作泡菜、打糕等传统手艺，建议开展特色技能培训，带动群众增收。"),
    I("revisited", DEMO_DEPUTY, "ga", "关于在老旧小区安装智能安防监控的建议",
      "红旗社区所在老旧小区没有封闭管理，没有监控设施，入室盗窃、电动车被盗时有发生。"
      "建议在老旧小区安装智能安防监控系统，接入公安视频网。",
      "在红旗社区等20个老旧小区安装智能安防监控系统", co=("zj",)),
    I("handled_head", 11, "ga", "关于加强中小学校园安全防范的建议",
      "部分中小学校安保人员年龄大、装备差，一键报警装置未与公安联网。"
      "建议配齐专职保安，实现校园一键报警与公安联网。",
      "为中小学配齐专职保安并实现一键报警与公安联网", co=("jy",), grade="B"),
    I("fresh", 38, "ga", "关于推行户籍业务跨省通办的建议",
      "在外务工人员办理户籍证明、迁移等业务需要往返奔波。建议推行户籍业务“跨省通办”和网上办理。",
      "推行户籍业务“跨省通办”和网上办理"),
    I("proposed", 19, "ga", "关于加强电信网络诈骗防范宣传的建议",
      "电信网络诈骗案件中老年人和学生受骗比例较高，建议进社区、进校园开展常态化防范宣传。"),
    I("signed", DEMO_DEPUTY, "cg", "关于在中心城区增设公共厕所的建议",
      "中心城区公共厕所数量少、分布不均，部分公厕设施陈旧、管理不善。"
      "建议新建和改造一批公共厕所，推动沿街单位厕所对外开放。",
      "在中心城区新建和改造12座公共厕所，推动沿街单位厕所对外开放"),
    I("signed", 8, "cg", "关于加强冬季道路除雪保障的建议",
      "去年冬季几场大雪后，部分次干道和公交线路积雪清理不及时，公交停运、事故增多。"
      "建议增加除雪机械，实行主次干道除雪责任制。",
      "增加除雪机械并实行主次干道除雪责任制", co=("jt",), grade="B"),
    I("handled", 29, "cg", "关于整治城区违规户外广告牌的建议",
      "部分临街户外广告牌设置不规范，年久失修，大风天气存在坠落隐患。建议开展户外广告专项整治。",
      "开展户外广告牌专项整治，拆除违规和存在隐患的广告牌"),
    I("reviewed", 6, "cg", "关于增加城区绿地和林荫道的建议",
      "城区主干道绿化覆盖率低，夏季缺少遮阴，建议增植行道树，建设林荫道。",
      co=("zr",)),
    I("rejected", 34, "wj", "关于解决本人子女工作安置问题的建议",
      "本人子女大学毕业两年尚未就业，请有关部门帮助安排工作。",
      reason="所提事项为个人诉求，不属于代表建议范围，已转交有关部门作为来信处理。"),
    I("signed", 38, "fy", "关于加强诉前调解工作的建议",
      "民商事案件数量持续增长，审判压力大，部分纠纷完全可以通过调解化解。"
      "建议在各区县设立诉前调解工作室，引入人民调解员驻院调解。",
      "在各区县设立诉前调解工作室，引入人民调解员驻院调解"),
    I("handled_deputy", 24, "fy", "关于加大涉企案件执行力度的建议",
      "部分涉企胜诉案件执行周期长，企业资金回笼困难。建议开展涉企案件集中执行专项行动。",
      "开展涉企案件集中执行专项行动", grade="B", rating="basic"),
    I("fresh", 35, "fy", "关于推进巡回审判进乡村的建议",
      "偏远乡村群众到法院诉讼路途远、成本高。建议推行巡回审判，在乡镇设立巡回审判点。",
      "在乡镇设立巡回审判点，推行巡回审判"),
    I("returned", 13, "cg", "关于改造幸福社区老旧楼道照明的建议",
      "幸福社区老旧楼道照明损坏严重，建议改造。",
      reason="建议内容过于简略，请补充涉及的楼栋数量、存在的具体问题和改造建议后重新提交。"),
    I("returned_fresh", DEMO_DEPUTY, "cg", "关于在红旗社区周边增设便民菜市场的建议",
      "红旗社区周边1.5公里内没有正规菜市场，居民买菜需乘车前往，早市摊点占道经营问题也因此难以根治。"
      "建议利用社区北侧闲置厂房改建便民菜市场。",
      "利用红旗社区北侧闲置厂房改建便民菜市场",
      reason="请补充菜市场选址的具体位置和周边居民人数后重新提交。"),
    I("withdrawn", 18, "zr", "关于在桃源区建设体育公园的建议",
      "桃源区缺少大型体育健身场地，建议建设一处体育公园。",
      reason="代表申请撤回：拟与其他代表联名完善后重新提出。"),
]
# fmt: on

PDF = "%PDF-1.4\n% 清河市人民政府部门答复函（演示）\n%%EOF\n".encode()

COMMUNICATION_METHODS = [
    Communication.Method.VISIT,
    Communication.Method.PHONE,
    Communication.Method.MEETING,
    Communication.Method.SITE,
    Communication.Method.ONLINE,
]

RATINGS = {
    "satisfied": (SignOff.Rating.SATISFIED, SignOff.Rating.SATISFIED),
    "basic": (SignOff.Rating.SATISFIED, SignOff.Rating.BASICALLY_SATISFIED),
    "dissatisfied": (SignOff.Rating.BASICALLY_SATISFIED, SignOff.Rating.DISSATISFIED),
}

DEPUTY_OPINIONS = {
    "satisfied": "承办单位办前主动上门沟通，办理认真，结果满意。",
    "basic": "办理态度认真，沟通及时，但落实进度偏慢，希望加快推进。",
    "dissatisfied": "答复只讲困难和政策，没有提出具体措施和完成时限，群众反映的问题没有得到解决。",
}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _self_name(unit: HandlingUnit) -> str:
    """How a unit names itself in a letter: 我局, 我委, 我院."""
    if unit.name.endswith("法院"):
        return "我院"
    if unit.name.endswith("委员会"):
        return "我委"
    return "我局"


class Command(BaseCommand):
    help = (
        "Create the demo data set (清河市: deputies, units, stations, 80 suggestions in every "
        "state) and its accounts; does nothing when the demo data is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"The password of every demo account (default: {DEFAULT_PASSWORD}).",
        )

    def handle(self, *args, password, **options):
        if not password:
            raise CommandError(_("The password cannot be empty."))
        if self._already_seeded():
            self.stdout.write(_("The demo data is already there: nothing was changed."))
            staff = get_user_model().objects.get(username="staff")
            shown = password if staff.check_password(password) else None
        else:
            taken = sorted(
                get_user_model()
                .objects.filter(username__in=self._demo_usernames())
                .values_list("username", flat=True)
            )
            if taken:
                # Someone else's accounts: never reset their passwords behind their back.
                raise CommandError(
                    _(
                        "These accounts exist but the demo data does not: %(usernames)s. "
                        "Run seed_demo on a fresh database."
                    )
                    % {"usernames": ", ".join(taken)}
                )
            started = timezone.now()
            with transaction.atomic():
                self._build(password)
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(
                self.style.SUCCESS(
                    _("Demo data created in %(seconds).1f s.") % {"seconds": seconds}
                )
            )
            shown = password
        self._print_states()
        self._print_accounts(shown)

    # The marker: the staff account, the demo units and the demo deputy's account.

    def _already_seeded(self) -> bool:
        return (
            get_user_model().objects.filter(username="staff").exists()
            and HandlingUnit.objects.filter(name__in=[u[1] for u in UNITS]).count() == len(UNITS)
            and Deputy.objects.filter(
                user__username="deputy", name=DEPUTIES[DEMO_DEPUTY][0], term=TERM
            ).exists()
        )

    def _demo_usernames(self) -> list[str]:
        names = ["admin", "staff", "reviewer", "deputy"]
        names += [username for username, _name, _title in LEADERS]
        for n in range(1, len(UNITS) + 1):
            suffix = "" if n == 1 else f"{n:02d}"
            names += [f"clerk{suffix}", f"head{suffix}"]
        names += [f"deputy{i + 1:02d}" for i in range(len(DEPUTIES)) if i != DEMO_DEPUTY]
        return names

    # Building.

    def _build(self, password: str) -> None:
        self.today = timezone.localdate()
        self.rng = random.Random(163)
        # One hash for every account: hashing is the slow part, and they share the password.
        self.password_hash = make_password(password)
        self._accounts()
        self._stations_and_deputies()
        self._units()
        for index, item in enumerate(SUGGESTIONS):
            self._walk(index, item)

    def _user(self, username: str, name: str = "", **flags):
        user, _created = get_user_model().objects.update_or_create(
            username=username,
            defaults={
                "first_name": name,
                "email": f"{username}@example.cn",
                "password": self.password_hash,
                "is_active": True,
                "is_staff": flags.get("is_staff", False),
                "is_superuser": flags.get("is_superuser", False),
            },
        )
        return user

    def _accounts(self) -> None:
        office = Group.objects.get_or_create(name=permissions.COMMITTEE_OFFICE)[0]
        office.permissions.add(
            *Permission.objects.filter(
                content_type__app_label__in=["suggestions", "deputies", "stations"]
            )
        )
        reviewers = Group.objects.get_or_create(name=permissions.REVIEWERS)[0]
        reviewers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="suggestions",
                codename__in=["view_suggestion", "change_suggestion"],
            )
        )
        self._user("admin", "系统管理员", is_staff=True, is_superuser=True)
        self.staff = self._user("staff", "赵敏", is_staff=True)
        self.staff.groups.add(office)
        self.reviewer = self._user("reviewer", "孟凡宇", is_staff=True)
        self.reviewer.groups.add(reviewers)

    def _stations_and_deputies(self) -> None:
        stations = {}
        for key, name, kind, level, address, contact in STATIONS:
            stations[key] = LiaisonStation.objects.update_or_create(
                name=name,
                defaults={"kind": kind, "level": level, "address": address, "contact": contact},
            )[0]
        self.deputies = []
        for i, (name, gender, ethnicity, party, delegation, position, station) in enumerate(
            DEPUTIES
        ):
            deputy = Deputy.objects.update_or_create(
                name=name,
                delegation=DELEGATIONS[delegation],
                term=TERM,
                defaults={
                    "gender": gender,
                    "ethnicity": ethnicity,
                    "party": party,
                    "level": LEVEL,
                    "position": position,
                    "mobile": f"139{46410000 + i * 2713:08d}",
                    "station": stations.get(station),
                },
            )[0]
            self.deputies.append(deputy)
        self._deputy_user(self.deputies[DEMO_DEPUTY])

    def _deputy_user(self, deputy: Deputy):
        """The deputy's account, made when the deputy first has something to sign."""
        if deputy.user_id is None:
            index = self.deputies.index(deputy)
            username = "deputy" if index == DEMO_DEPUTY else f"deputy{index + 1:02d}"
            deputy.user = self._user(username, deputy.name)
            deputy.save(update_fields=["user"])
        return deputy.user

    def _units(self) -> None:
        leaders = {
            username: self._user(username, f"{name}（{title}）")
            for username, name, title in LEADERS
        }
        self.units, self.clerk_of, self.head_of, self.category_of = {}, {}, {}, {}
        self.category_of_unit = {}
        for n, (key, name, short, kind, leader, clerk, head, category) in enumerate(UNITS, 1):
            unit = HandlingUnit.objects.update_or_create(
                name=name,
                defaults={"short_name": short, "kind": kind, "leader": leaders[leader]},
            )[0]
            suffix = "" if n == 1 else f"{n:02d}"
            clerk_user = self._user(f"clerk{suffix}", f"{clerk}（{short}经办人）")
            head_user = self._user(f"head{suffix}", f"{head}（{short}主要负责人）")
            UnitMembership.objects.update_or_create(
                unit=unit, user=clerk_user, defaults={"is_head": False}
            )
            UnitMembership.objects.update_or_create(
                unit=unit, user=head_user, defaults={"is_head": True}
            )
            self.units[key] = unit
            self.clerk_of[unit.pk], self.head_of[unit.pk] = clerk_user, head_user
            self.category_of[key] = self.category_of_unit[unit.pk] = category

    # One suggestion's path.

    def _dates(self, plan: str) -> datetime.date | None:
        """When the suggestion was assigned, chosen so its deadline tells the plan's story."""
        days, rng, today = datetime.timedelta, self.rng, self.today
        three_months = relativedelta(months=3)
        if plan in ("fresh", "returned_fresh"):
            return today - days(rng.randint(4, 35))
        # Going back 3 months and forward again can lose up to 3 days at a month's end.
        if plan == "soon":  # due within 15 days
            return today + days(rng.randint(5, 13)) - three_months
        if plan == "extended":
            return today + days(rng.randint(8, 14)) - three_months
        if plan == "overdue":
            return today - days(rng.randint(100, 135))
        if plan in ("handled_late", "signed_late"):  # replied after the deadline
            return today - days(rng.randint(96, 110))
        if plan == "reassigned":  # still inside the reassignment window
            return today - days(2)
        if plan in ("proposed", "returned", "reviewed", "rejected", "withdrawn"):
            return None
        if plan == "withdrawn_reviewed":
            return None
        return today - days(rng.randint(25, 84))  # replied in time

    def _walk(self, index: int, item: Item) -> None:
        plan = item.plan
        assigned_on = self._dates(plan)
        if assigned_on is None:
            raised_on = self.today - datetime.timedelta(days=self.rng.randint(3, 40))
        else:
            raised_on = assigned_on - datetime.timedelta(days=self.rng.randint(7, 25))
        lead = self.deputies[item.lead]
        same_delegation = [
            d for d in self.deputies if d.delegation == lead.delegation and d != lead
        ]
        co_deputies = self.rng.sample(same_delegation, self.rng.choice([0, 1, 1, 2, 2, 3]))
        s = services.suggestion_create(
            by=self.staff,
            title=item.title,
            content=item.content,
            lead_deputy=lead,
            co_deputies=co_deputies,
            category=self.category_of[item.unit],
            raised_on=raised_on,
            term=TERM,
            session=SESSION,
        )
        if plan == "proposed":
            return
        if plan in ("returned", "returned_fresh"):
            services.suggestion_return_for_revision(
                suggestion=s, by=self.reviewer, reason=item.reason
            )
            if plan == "returned":
                return
        if plan == "rejected":
            services.suggestion_reject(suggestion=s, by=self.reviewer, reason=item.reason)
            return
        if plan == "withdrawn":
            services.suggestion_withdraw(suggestion=s, by=self.staff, reason=item.reason)
            return
        services.suggestion_approve(
            suggestion=s, by=self.reviewer, note="政治关、法律关、政策关审核通过。"
        )
        if plan == "reviewed":
            return
        if plan == "withdrawn_reviewed":
            services.suggestion_withdraw(suggestion=s, by=self.staff, reason=item.reason)
            return

        services.suggestion_assign(
            suggestion=s,
            by=self.staff,
            lead_unit=self.units[item.unit],
            co_units=[self.units[k] for k in item.co],
        )
        self._backdate(s, assigned_on)

        if plan in ("fresh", "returned_fresh", "soon", "overdue"):
            self._handling_started(s, item, index)
        elif plan == "reassigned":
            self._reassign(s, item)
        elif plan == "extended":
            self._extend(s, item)
        elif plan in ("redo_open", "redo_nonconforming", "revisited_redo"):
            self._redo(s, item)
        else:
            self._reply_and_sign(s, item, plan)

    def _backdate(self, s: Suggestion, assigned_on: datetime.date) -> None:
        """Move the new assignments back to ``assigned_on``; deadlines as the services set them."""
        for assignment in s.open_assignments():
            if assignment.role == Assignment.Role.LEAD:
                due_on, basis = deadlines.reply_due(assigned_on, complex=s.complex)
            else:
                due_on, basis = deadlines.co_opinion_due(assigned_on)
            Assignment.objects.filter(pk=assignment.pk).update(
                assigned_on=assigned_on, due_on=due_on, original_due_on=due_on, due_basis=basis
            )

    # Handling steps.

    def _communicate(self, s: Suggestion, item: Item, stage: str, on: datetime.date) -> None:
        lead = s.lead_assignment()
        deputy = s.lead_deputy
        short = lead.unit.short_name
        notes = {
            Communication.Stage.BEFORE: (
                f"{short}经办人与{deputy.name}代表沟通，了解建议提出的背景和群众的具体诉求，"
                "明确了办理重点和工作思路。"
            ),
            Communication.Stage.DURING: (
                f"邀请{deputy.name}代表到现场查看“{item.measure}”的推进情况，"
                "通报办理进展，听取代表意见。"
            ),
            Communication.Stage.AFTER: (
                f"{short}主要负责人向{deputy.name}代表当面反馈办理结果，"
                "宣传相关政策，听取代表对今后工作的意见。"
            ),
        }[stage]
        services.communication_record(
            assignment=lead,
            by=self.clerk_of[lead.unit_id],
            stage=stage,
            method=self.rng.choice(COMMUNICATION_METHODS),
            happened_on=min(on, self.today),
            notes=notes,
        )

    def _co_opinions(self, s: Suggestion, item: Item) -> None:
        lead_unit = s.lead_assignment().unit
        for co in s.open_assignments().filter(role=Assignment.Role.CO).select_related("unit"):
            services.co_opinion_submit(
                assignment=co,
                by=self.clerk_of[co.unit_id],
                text=(
                    f"同意{lead_unit.name}的办理意见。{_self_name(co.unit)}将在职责范围内"
                    f"积极配合做好“{item.measure}”相关工作。"
                ),
            )

    def _handling_started(self, s: Suggestion, item: Item, index: int) -> None:
        """An open assignment: a first contact with the deputy after a few days, if any."""
        lead = s.lead_assignment()
        if (self.today - lead.assigned_on).days > 6 and index % 3:
            self._communicate(
                s, item, Communication.Stage.BEFORE, lead.assigned_on + datetime.timedelta(days=5)
            )
        if item.plan == "overdue" and index % 2:
            self._co_opinions(s, item)

    def _prepare(self, s: Suggestion, item: Item) -> None:
        """What a reply needs first: the co-units' opinions and a contact with the deputy."""
        lead = s.lead_assignment()
        self._co_opinions(s, item)
        self._communicate(
            s, item, Communication.Stage.BEFORE, lead.assigned_on + datetime.timedelta(days=4)
        )
        if self.rng.random() < 0.5:
            middle = lead.assigned_on + (self.today - lead.assigned_on) / 2
            self._communicate(s, item, Communication.Stage.DURING, middle)

    def _reply(self, s: Suggestion, item: Item, grade: str, *, commitments_due=None):
        lead = s.lead_assignment()
        unit = lead.unit
        me = _self_name(unit)
        body = {
            "A": f"{me}已{item.measure}，您反映的问题已基本解决。",
            "B": (
                f"{me}已将“{item.measure}”列入今年工作计划，目前正在组织实施，"
                "将按承诺时限完成并及时向您反馈。"
            ),
            "C": (
                f"{me}认为“{item.measure}”十分必要，但受现行政策和财力限制，目前暂时无法全部解决。"
                f"{me}将积极向上级部门反映，争取政策和资金支持，条件成熟时予以解决。"
            ),
            "D": (
                f"您提出的“{item.measure}”对改进我们的工作很有参考价值，"
                f"{me}将留作参考，在今后工作中统筹考虑。"
            ),
        }[grade]
        text = (
            f"{s.lead_deputy.name}代表：\n"
            f"    您提出的《{s.title}》收悉。{me}高度重视，确定专人负责，"
            f"经认真研究并与您沟通，现答复如下：{body}\n"
            f"    感谢您对{self.category_of_unit[unit.pk]}工作的关心和支持。\n"
            f"{unit.name}\n"
        )
        commitments = []
        if grade in ("B", "C"):
            due = commitments_due or self.today + datetime.timedelta(days=self.rng.randint(30, 200))
            promise = item.measure
            if grade == "C":
                promise = f"积极争取上级政策和资金支持，推动{item.measure}"
            commitments = [(promise, due)]
        self._deputy_user(s.lead_deputy)
        return services.reply_submit(
            assignment=lead,
            by=self.clerk_of[unit.pk],
            classification=grade,
            text=text,
            document=ContentFile(PDF, name="答复函.pdf"),
            commitments=commitments,
        )

    def _sign(self, s: Suggestion, rating: str, *, levels: int = 3) -> None:
        unit = s.current_reply().assignment.unit
        work, result = RATINGS[rating]
        services.signoff_record(
            suggestion=s,
            by=s.lead_deputy.user,
            level=SignOff.Level.DEPUTY,
            work_rating=work,
            result_rating=result,
            opinion=DEPUTY_OPINIONS[rating],
        )
        if levels >= 2:
            services.signoff_record(
                suggestion=s,
                by=self.head_of[unit.pk],
                level=SignOff.Level.UNIT_HEAD,
                opinion="已审核，同意答复意见，请经办科室抓好承诺事项落实。",
            )
        if levels >= 3:
            services.signoff_record(
                suggestion=s, by=unit.leader, level=SignOff.Level.LEADER, opinion="同意。"
            )

    def _revisit(self, s: Suggestion, item: Item) -> None:
        outcomes = {c: item.outcome for c in s.current_reply().commitments.all()}
        notes = {
            RevisitOutcome.Outcome.KEPT: "承诺事项已全部落实，代表对落实情况表示认可。",
            RevisitOutcome.Outcome.PARTLY_KEPT: "承诺事项部分落实，已督促承办单位加快推进。",
            RevisitOutcome.Outcome.NOT_KEPT: "承诺事项未按期落实，已通报承办单位并纳入绩效考核。",
        }[item.outcome]
        services.revisit_record(
            suggestion=s,
            by=self.staff,
            outcomes=outcomes,
            notes=f"市人大常委会人事选举工作委员会会同{s.lead_deputy.name}代表开展“回头看”。{notes}",
        )

    def _reply_and_sign(self, s: Suggestion, item: Item, plan: str) -> None:
        self._prepare(s, item)
        revisited = plan == "revisited"
        self._reply(s, item, item.grade, commitments_due=self.today if revisited else None)
        if plan in ("handled", "handled_late"):
            return
        if plan == "handled_deputy":
            self._sign(s, item.rating, levels=1)
            return
        if plan == "handled_head":
            self._sign(s, item.rating, levels=2)
            return
        self._sign(s, item.rating)
        if item.rating != "dissatisfied":
            self._communicate(s, item, Communication.Stage.AFTER, self.today)
        if revisited:
            self._revisit(s, item)

    def _reassign(self, s: Suggestion, item: Item) -> None:
        lead = s.lead_assignment()
        request = services.reassignment_request(
            assignment=lead, by=self.clerk_of[lead.unit_id], reason=item.reason
        )
        services.reassignment_decide(
            request=request, by=self.staff, approve=True, lead_unit=self.units[item.to_unit]
        )

    def _extend(self, s: Suggestion, item: Item) -> None:
        self._co_opinions(s, item)
        lead = s.lead_assignment()
        self._communicate(
            s, item, Communication.Stage.BEFORE, lead.assigned_on + datetime.timedelta(days=6)
        )
        request = services.extension_request(
            assignment=lead,
            by=self.clerk_of[lead.unit_id],
            reason=item.reason,
            until=lead.assigned_on + relativedelta(months=5),
        )
        services.extension_decide(request=request, by=self.staff, approve=True)

    def _redo(self, s: Suggestion, item: Item) -> None:
        """A first reply that did not hold; the redo is ordered, and for one, done."""
        self._prepare(s, item)
        self._reply(s, item, item.grade)
        if item.plan == "redo_nonconforming":
            services.suggestion_order_redo(
                suggestion=s, by=self.staff, reason=item.reason, grounds="nonconforming"
            )
            return
        self._sign(s, "dissatisfied", levels=1)
        services.suggestion_order_redo(
            suggestion=s,
            by=self.staff,
            reason="代表对办理结果不满意，经审核答复缺乏具体措施，责成承办单位限时重办。",
        )
        self._communicate(s, item, Communication.Stage.BEFORE, self.today)
        if item.plan == "redo_open":
            return
        self._reply(s, item, "A")
        self._sign(s, "satisfied")
        self._communicate(s, item, Communication.Stage.AFTER, self.today)
        self._revisit(s, item)

    # Output.

    def _print_states(self) -> None:
        counts = dict(
            Suggestion.objects.filter(term=TERM, session=SESSION)
            .values_list("state")
            .annotate(n=Count("pk"))
        )
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Suggestions by state")))
        for state in Suggestion.State:
            self.stdout.write(f"  {_pad(str(state.label), 22)}{counts.get(state.value, 0):>4}")

    def _print_accounts(self, password: str | None) -> None:
        users = get_user_model().objects
        deputy = Deputy.objects.get(user__username="deputy")
        clerk_unit = HandlingUnit.objects.get(memberships__user__username="clerk")
        head_unit = HandlingUnit.objects.get(memberships__user__username="head")
        leader_units = "、".join(
            HandlingUnit.objects.filter(leader__username="leader").values_list(
                "short_name", flat=True
            )
        )
        leader = users.get(username="leader")
        rows = [
            (
                "admin",
                _("Superuser"),
                _("Everything, in the admin at /admin/"),
            ),
            (
                "staff",
                _("Committee staff (committee office)"),
                _("Every suggestion: review, assign, redo, revisit, in the admin at /admin/"),
            ),
            (
                "reviewer",
                _("Reviewer"),
                _("Proposed suggestions to approve, return or reject, in the admin"),
            ),
            (
                "clerk",
                _("Clerk of %(unit)s") % {"unit": clerk_unit.name},
                _("The unit's assignments at /tasks/: communications, replies, requests"),
            ),
            (
                "head",
                _("Head of %(unit)s") % {"unit": head_unit.name},
                _("As the clerk, plus the unit head's sign-off"),
            ),
            (
                "leader",
                _("Government leader %(name)s") % {"name": leader.first_name},
                _("The suggestions of %(units)s at /tasks/; the leader's sign-off")
                % {"units": leader_units},
            ),
            (
                "deputy",
                _("Deputy %(name)s (%(delegation)s)")
                % {"name": deputy.name, "delegation": deputy.delegation},
                _("Their own suggestions at /my/, with the timeline; their sign-off"),
            ),
        ]
        headings = (_("Username"), _("Role"), _("What they see"))
        widths = [max(_width(str(r[i])) for r in [headings, *rows]) + 2 for i in range(2)]
        self.stdout.write("")
        if password is None:
            title = _("Demo accounts (password: the one given when the data was created)")
        else:
            title = _("Demo accounts (password: %(password)s)") % {"password": password}
        self.stdout.write(self.style.MIGRATE_HEADING(title))
        self.stdout.write(
            "  " + _pad(headings[0], widths[0]) + _pad(headings[1], widths[1]) + headings[2]
        )
        for username, role, sees in rows:
            self.stdout.write("  " + _pad(username, widths[0]) + _pad(role, widths[1]) + sees)
        self.stdout.write(
            _(
                "The other units' clerks and heads are clerk02 to clerk%(last)s and head02 to "
                "head%(last)s, the other leaders leader02 to leader%(leaders)02d, and every "
                "deputy with something to sign has an account deputyNN; all share the password."
            )
            % {"last": f"{len(UNITS):02d}", "leaders": len(LEADERS)}
        )
