"""Builds the demo city of ``demo.city`` in the database, made through the services.

Every state change goes through ``suggestions.services`` with the right actor, so each
one leaves its transition record. Only the assignment dates are moved back afterwards,
to show overdue, due-soon and late cases; nothing append-only is ever touched.
"""

import datetime
import random

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.utils import timezone

from deputies.models import Deputy
from stations.models import LiaisonStation
from suggestions import deadlines, permissions, services
from suggestions.models import (
    Assignment,
    Communication,
    HandlingUnit,
    Suggestion,
    UnitMembership,
)

from . import assessment, duty
from . import key as key_suggestions
from . import stations as station_data
from .city import (
    COMMUNICATION_METHODS,
    DELEGATIONS,
    DEMO_DEPUTY,
    DEPUTIES,
    LEADERS,
    LEVEL,
    PDF,
    SESSION,
    STATIONS,
    SUGGESTIONS,
    TERM,
    UNITS,
    Item,
)
from .merging import Merging
from .signing import Signing


def _self_name(unit: HandlingUnit) -> str:
    """How a unit names itself in a letter: 我局, 我委, 我院."""
    if unit.name.endswith("法院"):
        return "我院"
    if unit.name.endswith("委员会"):
        return "我委"
    return "我局"


# The marker: the staff account, the demo units and the demo deputy's account.


def already_seeded() -> bool:
    return (
        get_user_model().objects.filter(username="staff").exists()
        and HandlingUnit.objects.filter(name__in=[u[1] for u in UNITS]).count() == len(UNITS)
        and Deputy.objects.filter(
            user__username="deputy", name=DEPUTIES[DEMO_DEPUTY][0], term=TERM
        ).exists()
    )


def demo_usernames() -> list[str]:
    names = ["admin", "staff", "reviewer", "deputy", station_data.KEEPER[0]]
    names += [username for username, _name, _title in LEADERS]
    for n in range(1, len(UNITS) + 1):
        suffix = "" if n == 1 else f"{n:02d}"
        names += [f"clerk{suffix}", f"head{suffix}"]
    names += [
        f"deputy{i + 1:02d}"
        for i in range(len(DEPUTIES))
        if i != DEMO_DEPUTY and not signs_on_paper(i)
    ]
    return names


def signs_on_paper(index: int) -> bool:
    """Every sixth deputy has no account: the units collect their signatures on paper."""
    return index != DEMO_DEPUTY and index % 6 == 5


class Builder(Signing, Merging):
    """Makes the accounts, stations, deputies and units, then walks each suggestion of
    ``SUGGESTIONS`` through the services; run inside one transaction (the command's)."""

    session = SESSION  # last year's suggestions are walked in the one before

    # Building.

    def build(self, password: str) -> None:
        self.today = timezone.localdate()
        self.rng = random.Random(163)
        # One hash for every account: hashing is the slow part, and they share the password.
        self.password_hash = make_password(password)
        self._accounts()
        self._stations_and_deputies()
        self._units()
        for index, item in enumerate(SUGGESTIONS):
            self._walk(index, item)
        key_suggestions.build(self)

        self._merged_groups()
        assessment.build(self)
        station_data.build(self)
        duty.build(self)

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
                },
            )[0]
            if station in stations:
                stations[station].deputies.add(deputy)
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
            session=self.session,
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
        if plan not in ("fresh", "returned_fresh"):  # the newest wait for their 承办人
            lead = s.lead_assignment()
            services.assignment_name_handler(
                assignment=lead, by=self.head_of[lead.unit_id], handler=self.clerk_of[lead.unit_id]
            )

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
        if not signs_on_paper(self.deputies.index(s.lead_deputy)):
            self._deputy_user(s.lead_deputy)
        return services.reply_submit(
            assignment=lead,
            by=self.clerk_of[unit.pk],
            classification=grade,
            text=text,
            document=ContentFile(PDF, name="答复函.pdf"),
            commitments=commitments,
        )

    def _reply_and_sign(self, s: Suggestion, item: Item, plan: str) -> None:
        self._prepare(s, item)
        revisited = plan == "revisited"
        self._reply(s, item, item.grade, commitments_due=self.today if revisited else None)
        if plan in ("handled", "handled_late"):
            return
        if plan == "handled_deputy":
            self._sign(s, item.rating, levels=1, verify=False)
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
