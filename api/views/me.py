"""The caller (``me``: roles, units, deputy, stations) and the enums a client shows."""

from django.urls import path
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies.selectors import deputy_of
from suggestions import permissions, selectors

from ..enums import ENUMS, EnumOut, choices


class UnitOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    relations = serializers.ListField(
        child=serializers.ChoiceField(choices=["member", "head", "leader"])
    )


class RefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MeOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    language = serializers.CharField()
    roles = serializers.ListField(
        child=serializers.ChoiceField(
            choices=["staff", "deputy", "unit_member", "unit_head", "leader", "keeper"]
        ),
        help_text="What the user's pages and endpoints are: one user may have several.",
    )
    deputy = RefOut(allow_null=True)
    units = UnitOut(many=True)
    stations = RefOut(many=True)


class MeView(APIView):
    @extend_schema(responses={200: MeOut}, tags=["me"])
    def get(self, request):
        """The signed-in user: roles, units (and what the user is to each), deputy, stations."""
        user = request.user
        units = selectors.task_units(user)
        names = dict(
            permissions.units.units(user, "sees").order_by("name").values_list("pk", "name")
        )
        member_ids = set(permissions.units.unit_ids(user, "member"))
        unit_rows = []
        for pk, name in names.items():
            relations = [
                relation
                for relation, ids in (
                    ("member", member_ids),
                    ("head", units.head_ids),
                    ("leader", units.leader_ids),
                )
                if pk in ids
            ]
            unit_rows.append({"id": pk, "name": name, "relations": relations})
        deputy = deputy_of(user)
        stations = list(user.kept_stations.order_by("name").values("id", "name"))
        roles = []
        if permissions.is_committee_staff(user):
            roles.append("staff")
        if deputy is not None:
            roles.append("deputy")
        if any("member" in u["relations"] for u in unit_rows):
            roles.append("unit_member")
        if units.head_ids:
            roles.append("unit_head")
        if units.leader_ids:
            roles.append("leader")
        if stations:
            roles.append("keeper")
        body = {
            "id": user.pk,
            "username": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "language": get_language(),
            "roles": roles,
            "deputy": {"id": deputy.pk, "name": deputy.name} if deputy else None,
            "units": unit_rows,
            "stations": stations,
        }
        return Response(MeOut(body).data)


class EnumsView(APIView):
    @extend_schema(responses={200: EnumOut(many=True)}, tags=["me"])
    def get(self, request):
        """Every enum the API's fields use, each value with its label in the request's
        language (Accept-Language: zh-Hans by default, en)."""
        return Response(
            EnumOut([{"name": n, "values": choices(c)} for n, c in ENUMS.items()], many=True).data
        )


urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("enums/", EnumsView.as_view(), name="enums"),
]
