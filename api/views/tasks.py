"""The handling units' and the leaders' endpoints: the task list (``/tasks/``'s tabs and
filters, its rows in its order), a task's page with the actions open now, each action of
the task pages (``Page.TASKS`` in the action table), a paper record's scan, and the
opinions referred to the user's units (masked as on ``/tasks/opinions/``) with their
answer. Read through the pages' selectors and scoping querysets: another unit's
assignment or opinion is a 404; a user with no unit or leadership a 403."""

import json

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, renderers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from stations import selectors as station_selectors
from stations.models import Opinion, OpinionStep
from suggestions import selectors
from suggestions.actions import Page
from suggestions.views.documents import serve

from ..actions import action_urls, action_view, available
from ..kept import KeptListMixin
from ..pagination import KeysetCursor
from ..roles import IsTaskUser
from ..serializers.tasks import (
    OpinionDetailOut,
    OpinionRowOut,
    TabsOut,
    TaskDetailOut,
    TaskKeyOut,
    TaskRowOut,
    task_detail_body,
    task_row_data,
)

TAGS = ["tasks"]


class TaskCursor(KeysetCursor):
    """The task list's order (``task_rows``: the nearest deadline first)."""

    ordering = ("due_on", "id")


def _scope(units) -> dict:
    return {
        "unit_ids": units.ids,
        "head_unit_ids": units.head_ids,
        "leader_unit_ids": units.leader_ids,
    }


def _tabs(units) -> dict:
    return selectors.task_tabs(signs=units.signs)


def _year(value) -> int | None:
    """The page's ``year``: a number a date can have, else no filter."""
    try:
        year = int(value or 0) or None
    except ValueError:
        return None
    return year if year is not None and 1 <= year <= 9999 else None


class TaskListView(KeptListMixin, generics.ListAPIView):
    """The task list: the same tabs, filters, rows and order as ``/tasks/``."""

    permission_classes = [IsTaskUser]
    serializer_class = TaskRowOut
    pagination_class = TaskCursor

    def get_queryset(self):
        request = self.request
        units = request.task_units
        scope = {"user": request.user, **_scope(units)}
        tabs = _tabs(units)
        tab = request.query_params.get("tab")
        if tab is None:
            # As the page: a signer lands on their queue while something waits for them.
            waiting = units.signs and selectors.task_rows(tab=selectors.SIGN_TAB, **scope).exists()
            tab = selectors.SIGN_TAB if waiting else "todo"
        elif tab not in tabs:
            message = _("No such tab: %(tab)s.") % {"tab": tab}
            raise ValidationError({"tab": [ErrorDetail(message, code="invalid_tab")]})
        return selectors.task_rows(
            tab=tab,
            year=_year(request.query_params.get("year")),
            search=request.query_params.get("q", ""),
            **scope,
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        selectors.attach_current_signoffs(a.suggestion for a in page)
        return page

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        today = timezone.localdate()
        return self.get_paginated_response([task_row_data(row, today=today) for row in page])

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "tab",
                str,
                enum=[selectors.SIGN_TAB, *selectors.TASK_TABS],
                description="The page's tabs (`tasks/tabs/` lists the user's; `sign` only "
                "for heads and leaders). Without it, the page's default: `sign` while "
                "something waits for the user's signature, else `todo`. A tab the user "
                "does not have: 400 `invalid_tab`.",
            ),
            OpenApiParameter(
                "year", int, description="The year of assignment (`tasks/tabs/` lists them)."
            ),
            OpenApiParameter("q", str, description="Part of the number or the title."),
        ],
    )
    def get(self, request, *args, **kwargs):
        """The user's assignments as ``/tasks/`` lists them, nearest deadline first."""
        return super().get(request, *args, **kwargs)


class TaskTabsView(APIView):
    permission_classes = [IsTaskUser]

    @extend_schema(responses={200: TabsOut}, tags=TAGS)
    def get(self, request):
        """The user's tabs, the count waiting for their signature (the tab's badge), the
        tab the page opens on, and the years of the year filter."""
        units = request.task_units
        scope = {"user": request.user, **_scope(units)}
        waiting = selectors.task_rows(tab=selectors.SIGN_TAB, **scope).count() if units.signs else 0
        tabs = [
            {
                "key": key,
                "label": str(label),
                "count": waiting if key == selectors.SIGN_TAB else None,
            }
            for key, label in _tabs(units).items()
        ]
        body = {
            "tabs": tabs,
            "default": selectors.SIGN_TAB if waiting else "todo",
            "waiting_for_signature": waiting,
            "years": selectors.task_years(user=request.user, unit_ids=units.ids),
        }
        return Response(TabsOut(body).data)


# A task's page and its actions.


def get_assignment(request, pk):
    """The assignment as the task page finds it: another unit's is a 404."""
    return get_object_or_404(selectors.assignments_visible_to(user=request.user), pk=pk)


def detail_response(request, assignment) -> Response:
    detail = selectors.task_detail(assignment=assignment, user=request.user)
    pk = assignment.pk
    open_now = available(
        request, Page.TASKS, assignment, url=lambda name: reverse(f"api:task-{name}", args=[pk])
    )
    return Response(TaskDetailOut(task_detail_body(detail, open_now)).data)


class TaskDetailView(APIView):
    permission_classes = [IsTaskUser]

    @extend_schema(responses={200: TaskDetailOut}, tags=TAGS)
    def get(self, request, pk: int):
        """A task as its page shows it, with the actions open to the user now."""
        return detail_response(request, get_assignment(request, pk))


def _task_actions() -> list:
    return action_urls(
        Page.TASKS,
        route="tasks/<int:pk>/{name}/",
        url_name=lambda name: f"task-{name}",
        get_target=get_assignment,
        done=detail_response,
        response=TaskDetailOut,
        tags=TAGS,
        permission_classes=[IsTaskUser],
    )


# A key suggestion's inspection visit, by its leading leader (the page's ``tasks:key``).


def get_key(request, pk):
    return get_object_or_404(selectors.key_suggestions_led_by(user=request.user), pk=pk)


def key_response(request, key) -> Response:
    key.visits_shown = list(key.inspections.order_by("happened_on", "pk"))
    return Response(TaskKeyOut(key).data)


KeyInspectionView = action_view(
    Page.KEY,
    "inspection",
    get_target=get_key,
    done=key_response,
    response=TaskKeyOut,
    tags=TAGS,
    permission_classes=[IsTaskUser],
)


# The paper handling record's scan.


class BinaryRenderer(renderers.BaseRenderer):
    """A file's bytes; an error (a dict) as JSON."""

    media_type = "application/octet-stream"
    format = "bin"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


# What ``serve`` answers: the scan's own type (PDF, JPEG, PNG: ``documents.validate_scan``),
# or octet-stream when nginx sends the file (X-Accel-Redirect).
SCAN_TYPES = {
    (200, media): OpenApiTypes.BINARY
    for media in ("application/pdf", "image/jpeg", "image/png", "application/octet-stream")
}


class AnyAccept(BaseContentNegotiation):
    """A file whatever the client accepts (an error still comes as problem+json)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ScanView(APIView):
    renderer_classes = [BinaryRenderer]
    content_negotiation_class = AnyAccept

    @extend_schema(responses=SCAN_TYPES, tags=TAGS)
    def get(self, request, submission_id: int):
        """A paper handling record's scan: the committee office, and the members and the
        leader of the unit that uploaded it (as the page's link); anyone else a 404."""
        submission = get_object_or_404(
            selectors.paper_submissions_visible_to(user=request.user), pk=submission_id
        )
        suggestion = submission.assignment.suggestion
        return serve(submission.scan, f"{suggestion.number or suggestion.pk}-paper-{submission.pk}")


# The opinions referred to the user's units.


class UnitContact(station_selectors.Contact):
    """``Contact`` for the opinions referred to a unit. An opinion never forwarded to a
    deputy cannot be shown by the deputy's rule (``sees_contact``: the deputy it was
    forwarded to), so its rule is not asked and the user's deputy not read: a query less
    a page, the same answer."""

    def sees(self, opinion) -> bool:
        if opinion.deputy_id is None and not self.staff:
            return opinion.station_id in self.kept
        return super().sees(opinion)


class OpinionCursor(KeysetCursor):
    """The page's order: those waiting for an answer first, then the latest moved."""

    ordering = ("waits", "-moved_at", "-id")


class OpinionListView(generics.ListAPIView):
    permission_classes = [IsTaskUser]
    serializer_class = OpinionRowOut
    pagination_class = OpinionCursor

    def get_queryset(self):
        return station_selectors.referred_rows(user=self.request.user)

    def get_serializer_context(self):
        contact = UnitContact(self.request.user)
        return {**super().get_serializer_context(), "contact": contact}

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The opinions referred to the user's units, as ``/tasks/opinions/`` lists them:
        those waiting for an answer first; the constituent's name and phone masked."""
        return super().get(request, *args, **kwargs)


def get_opinion(request, pk) -> Opinion:
    return get_object_or_404(
        station_selectors.referred_rows(user=request.user).select_related("deputy", "suggestion"),
        pk=pk,
    )


def _answer_open(request, opinion) -> list[dict]:
    """The answer, when open to the user now: the one action of an opinion these
    endpoints take (``get_opinion`` finds only those referred to the user's units)."""
    url = reverse("api:task-opinion-answer", args=[opinion.pk])
    open_now = available(request, Page.OPINION, opinion, url=lambda name: url)
    return [a for a in open_now if a["name"] == "answer"]


def opinion_response(request, opinion) -> Response:
    steps = OpinionStep.objects.filter(opinion=opinion).select_related("deputy", "unit", "by")
    opinion.steps_shown = list(steps.order_by("at", "pk"))
    opinion.actions_open = _answer_open(request, opinion)
    context = {"request": request, "contact": UnitContact(request.user)}
    return Response(OpinionDetailOut(opinion, context=context).data)


class OpinionDetailView(APIView):
    permission_classes = [IsTaskUser]

    @extend_schema(responses={200: OpinionDetailOut}, tags=TAGS)
    def get(self, request, pk: int):
        """An opinion referred to one of the user's units, with its path and the answer
        action while it waits for one."""
        return opinion_response(request, get_opinion(request, pk))


OpinionAnswerView = action_view(
    Page.OPINION,
    "answer",
    get_target=get_opinion,
    done=opinion_response,
    response=OpinionDetailOut,
    tags=TAGS,
    permission_classes=[IsTaskUser],
)


urlpatterns = [
    path("tasks/", TaskListView.as_view(), name="tasks"),
    path("tasks/tabs/", TaskTabsView.as_view(), name="task-tabs"),
    path("tasks/opinions/", OpinionListView.as_view(), name="task-opinions"),
    path("tasks/opinions/<int:pk>/", OpinionDetailView.as_view(), name="task-opinion"),
    path(
        "tasks/opinions/<int:pk>/answer/",
        OpinionAnswerView.as_view(),
        name="task-opinion-answer",
    ),
    path("tasks/<int:pk>/", TaskDetailView.as_view(), name="task"),
    *_task_actions(),
    path(
        "tasks/key/<int:pk>/inspection/",
        KeyInspectionView.as_view(),
        name="task-key-inspection",
    ),
    path("documents/scans/<int:submission_id>/", ScanView.as_view(), name="scan"),
]
