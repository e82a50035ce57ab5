"""Factories for every model the tests build; one place, as Warehouse keeps them."""

import datetime

import factory
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile

from deputies.models import Deputy
from stations.models import LiaisonStation
from suggestions import permissions
from suggestions.models import HandlingUnit, Suggestion, UnitMembership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests-1")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        names = extracted if extracted is not None else [permissions.COMMITTEE_OFFICE]
        for name in names:
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class DeputyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deputy

    name = factory.Sequence(lambda n: f"代表{n}")
    gender = Deputy.Gender.FEMALE
    level = Deputy.Level.CITY
    delegation = "城关区代表团"
    term = 16
    user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"deputy{n}"))


class LiaisonStationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonStation

    name = factory.Sequence(lambda n: f"第{n}代表联络站")
    kind = LiaisonStation.Kind.STATION
    level = LiaisonStation.Level.TOWNSHIP


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"市第{n}局")
    leader = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"leader{n}"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitMembership

    unit = factory.SubFactory(HandlingUnitFactory)
    user = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"clerk{n}"))
    is_head = False


class SuggestionFactory(factory.django.DjangoModelFactory):
    """A proposed suggestion. Use the ``tests.flows`` helpers to move it along."""

    class Meta:
        model = Suggestion

    term = 16
    session = 3
    title = factory.Sequence(lambda n: f"关于改善第{n}号路段交通的建议")
    content = "该路段早晚高峰拥堵严重，建议优化信号灯配时并增设公交专用道。"
    category = "城乡建设"
    lead_deputy = factory.SubFactory(DeputyFactory)
    raised_on = datetime.date(2026, 3, 5)


def document(name: str = "reply.pdf") -> ContentFile:
    return ContentFile(b"%PDF-1.4\n% signed reply\n", name=name)
