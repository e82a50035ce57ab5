"""The committee office's read-only endpoints: the suggestions' ledger (``ledger/``: the
admin changelist's filters, search and columns), one suggestion as the admin's page shows
it (``ledger/<pk>/``, with the office's actions open now; their POSTs are
``api.views.office``'s), the units' assessment of a year (``assessment/<year>/``) and the
dashboard's figures (``dashboard/``).

The ledger is the office's (``IsStaff``: anyone else a 403). The assessment and the
dashboard are read as their pages are (``reports.access``): the office every unit, a
government leader the units they supervise, anyone else a 403."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.access import viewer_of
from reports.assessment_words import RATE_LABELS, grounds_labels
from reports.selectors import closing_of
from reports.selectors import dashboard as boards
from reports.selectors.assessment_page import FIRST_YEAR, LAST_YEAR, assessment_rows
from reports.selectors.rows import RATES
from reports.views.dashboard import TREND_TITLES
from suggestions import selectors, wording
from suggestions.actions import Page
from suggestions.admin.followup import FOLLOW_UPS, FollowUpFilter
from suggestions.admin.similar import (
    RAISED_BEFORE,
    RAISED_BY_SEVERAL,
    RaisedBeforeFilter,
    RaisedBySeveralFilter,
    marks_of,
)
from suggestions.admin.suggestion import DeadlineFilter, KeySuggestionFilter, UnitFilter
from suggestions.models import SignOff, Suggestion

from .. import actions as api_actions
from ..roles import IsStaff
from ..serializers.staff import AssessmentOut, DashboardOut, LedgerDetail, LedgerRow
from .stations import query

TAGS = ["staff"]
RATINGS = dict(SignOff.Rating.choices)
YES_NO = [("yes", "yes"), ("no", "no")]


class LedgerFilters(serializers.Serializer):
    """The admin ledger's list filters, by the same names and values, and its search."""

    q = serializers.CharField(
        required=False, max_length=200, help_text="In the number, title, lead deputy, content."
    )
    state = serializers.ChoiceField(choices=Suggestion.State.choices, required=False)
    term = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    session = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    category = serializers.CharField(required=False, max_length=50)
    year = serializers.IntegerField(
        required=False, min_value=1, max_value=9999, help_text="Raised in the year."
    )
    month = serializers.IntegerField(
        required=False, min_value=1, max_value=12, help_text="Raised in the month (of any year)."
    )
    unit = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="An open assignment's unit."
    )
    deadline = serializers.ChoiceField(
        choices=[("overdue", "overdue"), ("week", "week")],
        required=False,
        help_text="Assigned and past the lead deadline (overdue) or due within 7 days (week).",
    )
    key = serializers.ChoiceField(choices=YES_NO, required=False, help_text="Key suggestions.")
    followup = serializers.ChoiceField(
        choices=[(k, k) for k in FOLLOW_UPS],
        required=False,
        help_text="Waiting for the office: redo_decision, paper (to verify), revisit_due.",
    )
    raised_before = serializers.ChoiceField(choices=YES_NO, required=False, help_text="多年提.")
    raised_by_several = serializers.ChoiceField(
        choices=YES_NO, required=False, help_text="多位代表提."
    )
    deputy = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="Led or co-signed by."
    )
    delegation = serializers.CharField(required=False, max_length=50)


# The admin's own list filters, applied by their ``queryset`` (the sidebar's choices they
# would read for the changelist are not wanted here).
ADMIN_FILTERS = [
    UnitFilter,
    DeadlineFilter,
    KeySuggestionFilter,
    FollowUpFilter,
    RaisedBeforeFilter,
    RaisedBySeveralFilter,
]


def _admin_filter(filter_class, value: str, request, queryset):
    chosen = filter_class.__new__(filter_class)
    chosen.used_parameters = {filter_class.parameter_name: value}
    return chosen.queryset(request, queryset)


def ledger_rows():
    """The admin's ledger queryset (``SuggestionAdmin.get_queryset``) and whether each
    suggestion is a key one."""
    return (
        selectors.suggestions_ledger()
        .select_related("similarity")
        .annotate(is_key=selectors.is_key())
    )


def filtered_ledger(request, filters: dict):
    rows = ledger_rows()
    for name, field in (("state", "state"), ("term", "term"), ("session", "session")):
        if name in filters:
            rows = rows.filter(**{field: filters[name]})
    if "category" in filters:
        rows = rows.filter(category=filters["category"])
    if "year" in filters:
        rows = rows.filter(raised_on__year=filters["year"])
    if "month" in filters:
        rows = rows.filter(raised_on__month=filters["month"])
    if "delegation" in filters:
        rows = rows.filter(delegation=filters["delegation"])
    if "deputy" in filters:
        co = Suggestion.co_deputies.through.objects.filter(
            suggestion=OuterRef("pk"), deputy=filters["deputy"]
        )
        rows = rows.filter(Q(lead_deputy=filters["deputy"]) | Exists(co))
    for filter_class in ADMIN_FILTERS:
        if filter_class.parameter_name in filters:
            value = str(filters[filter_class.parameter_name])
            rows = _admin_filter(filter_class, value, request, rows)
    if filters.get("q"):
        model_admin = admin.site.get_model_admin(Suggestion)
        rows, duplicates = model_admin.get_search_results(request, rows, filters["q"])
        if duplicates:
            rows = rows.distinct()
    return rows


def _rating(value):
    return value or None


def ledger_row(s: Suggestion) -> dict:
    """The changelist's columns of ``s`` (read from its annotations, no query)."""
    owing = s.due_on is not None and s.state == Suggestion.State.ASSIGNED
    work, result = _rating(s.work_rating), _rating(s.result_rating)
    marks = set(marks_of(s))
    deputy = s.lead_deputy
    return {
        "id": s.pk,
        "number": s.number,
        "term": s.term,
        "session": s.session,
        "title": s.title,
        "category": s.category,
        "raised_on": s.raised_on,
        "state": s.state,
        "state_label": s.get_state_display(),
        "lead_deputy": _deputy(deputy),
        "lead_unit": s.lead_unit_name,
        "due_on": s.due_on,
        "original_due_on": s.original_due_on,
        "days_left": wording.deadline_words(s.due_on) if owing else None,
        "overdue": owing and s.due_on < timezone.localdate(),
        "reply_class": s.reply_class or None,
        "reply_on_time": s.reply_on_time,
        "work_rating": work,
        "work_rating_label": RATINGS.get(work),
        "result_rating": result,
        "result_rating_label": RATINGS.get(result),
        "key": s.is_key,
        "raised_before": str(RAISED_BEFORE) in marks,
        "raised_by_several": str(RAISED_BY_SEVERAL) in marks,
        "merged_into": (
            {"id": s.merged_into_id, "number": s.main_number or "", "title": s.main_title}
            if s.merged_into_id
            else None
        ),
        "merged_count": s.merged_count,
    }


class Ledger(ListAPIView):
    permission_classes = [IsAuthenticated, IsStaff]
    serializer_class = LedgerRow

    def get_queryset(self):
        return filtered_ledger(self.request._request, query(self.request, LedgerFilters))

    def paginate_queryset(self, queryset):
        return [ledger_row(s) for s in super().paginate_queryset(queryset)]

    @extend_schema(parameters=[LedgerFilters], tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The suggestions' ledger, newest entered first, with the admin changelist's
        filters (the same names and values) and search."""
        return super().get(request, *args, **kwargs)


def _name(user) -> str | None:
    return (user.get_full_name() or user.get_username()) if user is not None else None


def _deputy(deputy) -> dict:
    return {"id": deputy.pk, "name": deputy.name, "delegation": deputy.delegation}


class LedgerDetailView(APIView):
    permission_classes = [IsAuthenticated, IsStaff]

    @extend_schema(responses={200: LedgerDetail}, tags=TAGS)
    def get(self, request, pk: int):
        """One suggestion as the admin's page shows it: its text and deputies, its
        assignments, replies and sign-offs, its timeline, and the office's actions open
        now (each a POST to its ``url``)."""
        s = get_object_or_404(ledger_rows().select_related("created_by"), pk=pk)
        replies = list(
            s.replies.select_related("assignment__unit", "submitted_by").order_by("round", "pk")
        )
        for reply in replies:
            reply.submitted_by_name = _name(reply.submitted_by)
        signoffs = list(
            s.signoffs.select_related("signer", "deputy").order_by("round", "signed_at", "pk")
        )
        detail = reverse("api:ledger-detail", args=[s.pk])
        body = {
            **ledger_row(s),
            "content": s.content,
            "delegation": s.delegation,
            "round": s.round,
            "complex": s.complex,
            "created_at": s.created_at,
            "co_deputies": [_deputy(d) for d in s.co_deputies.order_by("name", "pk")],
            "assignments": [
                {
                    "id": a.pk,
                    "unit": {"id": a.unit_id, "name": a.unit.name},
                    "role": a.role,
                    "role_label": a.get_role_display(),
                    "assigned_on": a.assigned_on,
                    "due_on": a.due_on,
                    "original_due_on": a.original_due_on,
                    "closed_on": a.closed_on,
                    "close_reason": a.close_reason or None,
                }
                for a in s.assignments.select_related("unit").order_by("pk")
            ],
            "timeline": selectors.suggestion_timeline(s, reminders=True, office=True),
            "replies": replies,
            "signoffs": [
                {
                    "id": o.pk,
                    "round": o.round,
                    "level": o.level,
                    "level_label": o.get_level_display(),
                    "signer": _name(o.signer),
                    "deputy": {"id": o.deputy_id, "name": o.deputy.name} if o.deputy else None,
                    "signed_on": o.signed_on,
                    "opinion": o.opinion,
                    "work_rating": _rating(o.work_rating),
                    "result_rating": _rating(o.result_rating),
                    "on_paper": o.paper_id is not None,
                }
                for o in signoffs
            ],
            "redo_eligible": selectors.is_redo_eligible(s),
            "awaiting_redo_decision": selectors.is_awaiting_redo_decision(s),
            "revisit_due_on": selectors.revisit_due_on(s),
            "actions": api_actions.available(
                request, Page.ADMIN, s, url=lambda name: f"{detail}{name}/"
            ),
        }
        return Response(LedgerDetail(body).data)


# The reports.


class IsReportReader(BasePermission):
    """The reports' readers (``reports.access.viewer_of``): the office, or a leader."""

    def has_permission(self, request, view):
        request.viewer = viewer_of(request.user)
        return request.viewer is not None


def _rate(name: str, rate) -> dict:
    return {
        "rate": name,
        "label": str(RATE_LABELS[name]),
        "numerator": rate.numerator,
        "denominator": rate.denominator,
        "percent": rate.percent,
    }


def _assessment_row(row, grounds: dict) -> dict:
    return {
        "unit": {"id": row.unit.pk, "name": row.unit.name},
        "rank": row.rank,
        "lead_count": row.lead_count,
        "co_count": row.co_count,
        "rates": [_rate(name, getattr(row, name)) for name in RATES],
        "redos": [
            {"grounds": code, "label": grounds.get(code, code), "count": n}
            for code, n in sorted(row.redo_count.items())
        ],
        "redo_total": row.redo_total,
        "reassigned_count": row.reassigned_count,
        "dissatisfied_count": row.dissatisfied_count,
        "not_kept_count": row.not_kept_count,
        "deductions": [
            {"kind": d.kind, "label": str(d.label), "count": d.count, "points": d.points}
            for d in row.deductions
        ],
        "manual": row.manual,
        "deducted": row.deducted,
        "score": row.score,
    }


def _average(rows, name: str) -> float | None:
    """The mean of the units' rates, units without cases left out (the page's chart)."""
    values = [getattr(r, name).percent for r in rows if getattr(r, name).percent is not None]
    return round(sum(values) / len(values), 1) if values else None


class AssessmentView(APIView):
    permission_classes = [IsAuthenticated, IsReportReader]

    @extend_schema(responses={200: AssessmentOut}, tags=TAGS)
    def get(self, request, year: int):
        """The units' assessment of the year as ``reports:assessment`` shows it: each rate
        as its pair and percentage, the deductions, the score and the rank among all
        units; frozen once the office closed the year. A leader: their units' rows."""
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404
        viewer = request.viewer
        closing = closing_of(year)
        every_row = assessment_rows(year, closing)
        grounds = grounds_labels()
        body = {
            "year": year,
            "closed": closing is not None,
            "closed_at": closing.at if closing else None,
            "closed_by": _name(closing.by) if closing else None,
            "rows": [_assessment_row(r, grounds) for r in viewer.only_theirs(every_row)],
            "averages": [
                {"rate": n, "label": str(RATE_LABELS[n]), "percent": _average(every_row, n)}
                for n in RATES
            ],
        }
        return Response(AssessmentOut(body).data)


class DashboardQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=2, max_value=9998, help_text="This year by default."
    )


def _counts(found: dict, key: str, labels: dict) -> list[dict]:
    return [{key: k, "label": str(labels[k]), "count": n} for k, n in found.items()]


def dashboard_body(board, scope: str) -> dict:
    states = dict(Suggestion.State.choices)
    return {
        "year": board.year,
        "today": board.today,
        "scope": scope,
        "total": board.total,
        "overdue": board.overdue,
        "due_soon": board.due_soon,
        "states": _counts(board.states, "state", states),
        "units": [
            {
                "unit": {"id": u.unit_id, "name": u.unit_name},
                "overdue": u.overdue,
                "due_soon": u.due_soon,
                "waiting": {str(level): n for level, n in u.waiting.items()},
            }
            for u in board.units
        ],
        "waiting": {str(level): n for level, n in board.waiting.items()},
        "satisfaction": {
            kind: _counts(board.satisfaction[kind], "rating", RATINGS)
            for kind in ("work", "result")
        },
        "key_stages": _counts(board.key_stages, "state", states),
        "trends": [
            {
                "measure": measure,
                "label": str(TREND_TITLES[measure]),
                "this_year": board.trends[measure][board.year],
                "previous_year": board.trends[measure][board.year - 1],
            }
            for measure in boards.MEASURES
        ],
        "redo_decision": board.redo_decision,
        "revisits_due": board.revisits_due,
    }


class DashboardView(APIView):
    permission_classes = [IsAuthenticated, IsReportReader]

    @extend_schema(parameters=[DashboardQuery], responses={200: DashboardOut}, tags=TAGS)
    def get(self, request):
        """The dashboard's figures as ``reports:dashboard`` counts them: the office's
        overview, or a leader's of their units (the year's suggestions by state, the units'
        overdue and due soon today, the signatures waiting, the deputies' ratings, the key
        suggestions, the monthly trends)."""
        year = query(request, DashboardQuery).get("year") or timezone.localdate().year
        viewer = request.viewer
        if viewer.is_staff:
            return Response(
                DashboardOut(dashboard_body(boards.dashboard(year=year), "office")).data
            )
        board, _items = boards.leader_dashboard(
            user=request.user, unit_ids=viewer.unit_ids, year=year
        )
        return Response(DashboardOut(dashboard_body(board, "leader")).data)


urlpatterns = [
    path("ledger/", Ledger.as_view(), name="ledger"),
    path("ledger/<int:pk>/", LedgerDetailView.as_view(), name="ledger-detail"),
    path("assessment/<int:year>/", AssessmentView.as_view(), name="assessment"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
