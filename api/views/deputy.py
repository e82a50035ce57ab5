"""The deputies' endpoints: their suggestions as the status pages show them (``/my/``), the
sign-off, a reply's signed document (for anyone who may see it), the duty year
(``/my/duty/``) and the opinions forwarded to them (``/my/opinions/``).

Every read goes through the pages' selectors and scopes (``suggestions_visible_to_deputy``,
``replies_visible_to``, ``duty_year``, ``forwarded_rows``): another deputy's suggestion,
reply or opinion is a 404, and a user who is not a deputy gets a 403 on ``my/*``. The
two writes are the action table's (``Page.STATUS`` "signoff", ``Page.OPINION``
"to_suggestion")."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from deputies import selectors as deputy_selectors
from stations import selectors as station_selectors
from stations.models import Opinion, OpinionStep
from suggestions import availability, selectors
from suggestions.actions import Page
from suggestions.models import Assignment, Suggestion
from suggestions.views.documents import serve

from ..actions import action_view, available
from ..kept import KeptListMixin
from ..pagination import Cursor
from ..roles import IsDeputy
from ..serializers import deputy as out
from ..serializers import deputy_year as year_out

TAGS = ["deputy"]
DEPUTY = [IsAuthenticated, IsDeputy]


class SuggestionCursor(Cursor):
    ordering = ("-raised_on", "-pk")  # status_rows' order


class OpinionCursor(Cursor):
    ordering = ("waits", "-moved_at", "-pk")  # forwarded_rows' order: waiting first


def _units_of(rows) -> dict[int, list]:
    """The open assignments of a page of rows, by suggestion (one query)."""
    found: dict[int, list] = {}
    assignments = (
        Assignment.objects.filter(suggestion_id__in=[r.pk for r in rows], closed_on__isnull=True)
        .select_related("unit")
        .order_by("role", "unit__name", "pk")
    )
    for a in assignments:
        found.setdefault(a.suggestion_id, []).append(a)
    return found


class MySuggestionList(KeptListMixin, generics.ListAPIView):
    """The deputy's suggestions as ``/my/`` lists them, newest first: the ones they led or
    co-signed, and the main suggestions theirs were merged into."""

    permission_classes = DEPUTY
    serializer_class = out.MySuggestionRowOut
    pagination_class = SuggestionCursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Suggestion.objects.none()
        filters = out.MySuggestionFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        values = filters.validated_data
        rows = selectors.status_rows(user=self.request.user)
        if values.get("state"):
            rows = rows.filter(state=values["state"])
        if values.get("year"):
            rows = rows.filter(raised_on__year=values["year"])
        search = (values.get("q") or "").strip()
        if search:
            rows = rows.filter(Q(title__icontains=search) | Q(number__icontains=search))
        return rows

    @extend_schema(parameters=[out.MySuggestionFilter], tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The deputy's suggestions, with where each stands, its units and deadline, what
        waits (their sign-off) and the signatures; filters: state, year, q."""
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        selectors.attach_current_signoffs(page)
        units = _units_of(page)
        today = timezone.localdate()
        deputy = request.deputy
        data = [
            out.row_data(
                row,
                status=selectors.status_of(row, deputy=deputy, today=today),
                deputy=deputy,
                units=units.get(row.pk, []),
                steps=selectors.signoff_steps(row),
            )
            for row in page
        ]
        # Plain values already (``row_data``): MySuggestionRowOut documents them.
        return self.get_paginated_response(data)


def _my_suggestion(request, pk: int) -> Suggestion:
    return get_object_or_404(selectors.suggestions_visible_to_deputy(user=request.user), pk=pk)


def suggestion_body(request, suggestion: Suggestion) -> dict:
    """What ``status:detail`` shows of ``suggestion``; a merged one is answered and signed
    on its main suggestion (``detail.handling``), as on the page."""
    detail = selectors.status_detail(suggestion=suggestion, user=request.user)
    handling = detail.handling
    signoff_url = request.build_absolute_uri(
        reverse("api:my-suggestion-signoff", args=[suggestion.pk])
    )
    actions = available(request, Page.STATUS, handling, url=lambda name: signoff_url)
    signs_on_paper = (
        not actions
        and handling.state == Suggestion.State.HANDLED
        and availability.signs_on_paper(request.user, handling)
    )
    data = out.detail_data(
        detail,
        document_url=lambda reply_id: request.build_absolute_uri(
            reverse("api:reply-document", args=[reply_id])
        ),
        key=selectors.key_of(handling),
        signs_on_paper=signs_on_paper,
        actions=actions,
        steps=selectors.signoff_steps(handling),
    )
    return out.MySuggestionOut(data).data


class MySuggestionDetail(APIView):
    permission_classes = DEPUTY

    @extend_schema(responses={200: out.MySuggestionOut}, tags=TAGS)
    def get(self, request, pk: int):
        """One of the deputy's suggestions as its status page shows it: text, progress,
        units and deadlines, replies (with their documents), ratings, contacts, revisits,
        the timeline, and the sign-off when it is open to them."""
        return Response(suggestion_body(request, _my_suggestion(request, pk)))


def _signoff_target(request, pk: int) -> Suggestion:
    # A lead deputy of a merged group signs the main suggestion's record (并案).
    return _my_suggestion(request, pk).main


def _signoff_done(request, suggestion) -> Response:
    pk = request.parser_context["kwargs"]["pk"]
    return Response(suggestion_body(request, _my_suggestion(request, pk)))


SignOffView = action_view(
    Page.STATUS,
    "signoff",
    get_target=_signoff_target,
    done=_signoff_done,
    response=out.MySuggestionOut,
    tags=TAGS,
    permission_classes=DEPUTY,
)


# A reply's signed document.

# Its media type by its extension (suggestions.documents.EXTENSIONS), named here rather
# than guessed from the host's mime.types (which knows .docx on one machine, not on
# another); an OFD file, and any file nginx sends (X-Accel-Redirect), as octet-stream.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
OTHER_DOCUMENT = "application/octet-stream"


class ReplyDocumentView(APIView):
    def perform_content_negotiation(self, request, force=False):
        # A client asking for the file (Accept: application/octet-stream) gets it, and an
        # error as a problem in JSON, rather than a 406.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        responses={
            (200, media): OpenApiResponse(
                OpenApiTypes.BINARY, description="The signed document, as an attachment."
            )
            for media in sorted({*DOCUMENT_TYPES.values(), OTHER_DOCUMENT})
        },
        tags=["documents"],
    )
    def get(self, request, reply_id: int):
        """A reply's signed document, for anyone who may see its suggestion (its deputies,
        the units that had it, the office); anyone else gets a 404."""
        reply = get_object_or_404(
            selectors.replies_visible_to(user=request.user).select_related("suggestion"),
            pk=reply_id,
        )
        suggestion = reply.suggestion
        response = serve(reply.document, f"{suggestion.number or suggestion.pk}-{reply.round}")
        if "X-Accel-Redirect" not in response:
            extension = reply.document.name.rsplit(".", 1)[-1].lower()
            response["Content-Type"] = DOCUMENT_TYPES.get(extension, OTHER_DOCUMENT)
        return response


# The duty year.


class MyDutyView(APIView):
    permission_classes = DEPUTY

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                int,
                description="The year (2000 to this year; this year by default).",
            )
        ],
        responses={200: year_out.DutyOut},
        tags=TAGS,
    )
    def get(self, request):
        """The deputy's duty year as ``/my/duty/`` shows it: the records and their points,
        points by kind, the total, the ranks, and the contact rules met or still owed."""
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year", today.year))
        except ValueError:
            raise Http404 from None
        if not 2000 <= year <= today.year:
            raise Http404  # as the page: no such year to show
        duty = deputy_selectors.duty_year(deputy=request.deputy, year=year, today=today)
        years = range(today.year, max(today.year - 5, 1999), -1)
        return Response(year_out.DutyOut(year_out.duty_data(duty, years)).data)


# The opinions forwarded to the deputy.


class MyOpinionList(generics.ListAPIView):
    """The opinions forwarded to the deputy, as ``/my/opinions/``: those still waiting on
    them first."""

    permission_classes = DEPUTY
    serializer_class = year_out.MyOpinionRowOut
    pagination_class = OpinionCursor

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Opinion.objects.none()
        return station_selectors.forwarded_rows(user=self.request.user)

    @extend_schema(tags=TAGS)
    def get(self, request, *args, **kwargs):
        """The opinions forwarded to the deputy, with the constituent's name and phone as
        their page shows them, the keeper's notes and the suggestion made of each."""
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        contact = station_selectors.Contact(request.user)
        data = [year_out.opinion_row_data(o, *contact.shown(o)) for o in page]
        return self.get_paginated_response(year_out.MyOpinionRowOut(data, many=True).data)


def _my_opinion(request, pk: int) -> Opinion:
    return get_object_or_404(
        station_selectors.opinions_forwarded_to(user=request.user).select_related(
            "station", "deputy", "unit", "suggestion"
        ),
        pk=pk,
    )


# The opinion actions this module serves (the keepers' and units' are the stations').
OPINION_ACTIONS = {"to_suggestion": "api:my-opinion-to_suggestion"}


def opinion_body(request, opinion: Opinion) -> dict:
    name, phone = station_selectors.Contact(request.user).shown(opinion)
    steps = list(
        OpinionStep.objects.filter(opinion=opinion)
        .select_related("deputy", "unit", "by")
        .order_by("at", "pk")
    )
    actions = [
        a
        for a in available(
            request,
            Page.OPINION,
            opinion,
            url=lambda name: request.build_absolute_uri(
                reverse(OPINION_ACTIONS.get(name, "api:my-opinion"), args=[opinion.pk])
            ),
        )
        if a["name"] in OPINION_ACTIONS
    ]
    data = year_out.opinion_data(opinion, name, phone, steps=steps, actions=actions)
    return year_out.MyOpinionOut(data).data


class MyOpinionDetail(APIView):
    permission_classes = DEPUTY

    @extend_schema(responses={200: year_out.MyOpinionOut}, tags=TAGS)
    def get(self, request, pk: int):
        """One opinion forwarded to the deputy: the matter, the constituent, where it
        went, the suggestion made of it, and what the deputy can do now."""
        return Response(opinion_body(request, _my_opinion(request, pk)))


ToSuggestionView = action_view(
    Page.OPINION,
    "to_suggestion",
    get_target=_my_opinion,
    done=lambda request, opinion: Response(opinion_body(request, opinion)),
    response=year_out.MyOpinionOut,
    tags=TAGS,
    permission_classes=DEPUTY,
)


urlpatterns = [
    path("my/suggestions/", MySuggestionList.as_view(), name="my-suggestions"),
    path("my/suggestions/<int:pk>/", MySuggestionDetail.as_view(), name="my-suggestion"),
    path("my/suggestions/<int:pk>/signoff/", SignOffView.as_view(), name="my-suggestion-signoff"),
    path(
        "documents/replies/<int:reply_id>/",
        ReplyDocumentView.as_view(),
        name="reply-document",
    ),
    path("my/duty/", MyDutyView.as_view(), name="my-duty"),
    path("my/opinions/", MyOpinionList.as_view(), name="my-opinions"),
    path("my/opinions/<int:pk>/", MyOpinionDetail.as_view(), name="my-opinion"),
    path(
        "my/opinions/<int:pk>/to_suggestion/",
        ToSuggestionView.as_view(),
        name="my-opinion-to_suggestion",
    ),
]
