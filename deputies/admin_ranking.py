"""The year's ranking in the admin (``admin:deputies_ranking``,
/admin/deputies/dutyrecord/ranking/):
every deputy's total, rank overall and within the delegation, filtered by delegation, level
and group (the overall ranks kept), and "who falls short" (``?short=1``: only the deputies
with a contact rule unmet, naming the rules); 100 rows a page. Its xlsx export
(``admin:deputies_ranking_export``) has the same rows for the same filters.

The page is no model's own: ``ranking_urls`` hangs it under the duty records'
(``DutyRecordAdmin.get_urls``). Staff only, as every admin view
(others are sent to the login page); a staff user without the duty records' view
permission is refused.

Queries: the ranking's three, the groups for the selector with the chosen group's members
(one query), the shortfalls' records (the ranking's rows give the deputies); with the
request's user and permissions (the session is read through the cache), at most eight
whatever the number of deputies.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, IntegerField, Value
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .forms import RankingFilterForm
from .models import Deputy, DeputyGroup, DutyRecord
from .ranking_export import ranking_xlsx_response

PER_PAGE = 100
YEARS_SHOWN = 6


@dataclass
class RankingTable:
    year: int
    form: RankingFilterForm
    rows: list  # (RankRow, [labels of the rules unmet])
    short: bool
    filters: dict  # the valid filters, as query parameters
    group: DeputyGroup | None


def rule_labels(codes: list[str]) -> list[str]:
    """The contact rules' names for the codes ``selectors.shortfalls`` gives."""
    labels = []
    for code in codes:
        if code.startswith("contact_q"):
            labels.append(
                _("Constituents met in quarter %(quarter)s") % {"quarter": code[len("contact_q") :]}
            )
        elif code == "suggestion":
            labels.append(_("At least one suggestion this year"))
        elif code == "report":
            labels.append(_("A report to voters this year"))
        else:
            labels.append(code)
    return labels


def _groups_and_members(asked) -> tuple[list[DeputyGroup], list[int]]:
    """The groups for the selector, and the members of the group ``asked`` names, in one
    query (the groups' rows, then the chosen group's memberships)."""
    chosen = int(asked) if (asked or "").isdigit() else 0
    groups_rows = DeputyGroup.objects.order_by().values_list(
        "pk", "name", Value(None, output_field=IntegerField())
    )
    memberships = (
        DeputyGroup.members.through.objects.order_by()
        .filter(deputygroup_id=chosen)
        .values_list("deputygroup_id", Value("", output_field=CharField()), "deputy_id")
    )
    groups, members = {}, []
    for pk, name, member in groups_rows.union(memberships, all=True):
        if member is None:
            groups[pk] = DeputyGroup(pk=pk, name=name)
        else:
            members.append(member)
    return sorted(groups.values(), key=lambda g: g.name), members


def _may_see(request) -> None:
    if not request.user.has_perm("deputies.view_dutyrecord"):
        raise PermissionDenied


def ranking_table(request, *, with_shortfalls: bool = False) -> RankingTable:
    """The ranking's rows for the request's year and filters; the rules unmet with each
    row when listing who falls short (or when ``with_shortfalls``)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= today.year:
        raise Http404
    rows = selectors.ranking(year=year)
    groups, members = _groups_and_members(request.GET.get("group"))
    years = list(range(today.year, max(today.year - YEARS_SHOWN, 1999), -1))
    form = RankingFilterForm(
        {**request.GET.dict(), "year": year},
        years=years if year in years else [*years, year],
        delegations=sorted({row.delegation for row in rows}),
        groups=groups,
    )
    form.is_valid()
    data = form.cleaned_data  # a value not among the choices is left out: no filter
    group = next((g for g in groups if g.pk == data.get("group")), None)
    rows = selectors.filter_ranking(
        rows,
        delegation=data.get("delegation") or "",
        level=data.get("level") or "",
        group=group,
        member_ids=members if group is not None else None,
    )
    short = bool(data.get("short"))
    unmet: dict[int, list[str]] = {}
    if short or with_shortfalls:
        # A past year's four quarters count; of this year's, those begun.
        unmet = selectors.shortfalls(
            year=year, today=today, deputy_ids=[row.deputy_id for row in rows]
        )
    if short:
        rows = [row for row in rows if row.deputy_id in unmet]
    filters = {
        name: value
        for name, value in (
            ("year", year),
            ("delegation", data.get("delegation")),
            ("level", data.get("level")),
            ("group", group.pk if group else None),
            ("short", 1 if short else None),
        )
        if value
    }
    return RankingTable(
        year=year,
        form=form,
        rows=[(row, rule_labels(unmet.get(row.deputy_id, []))) for row in rows],
        short=short,
        filters=filters,
        group=group,
    )


@require_GET
def ranking_view(request, site):
    """The ranking's page: the filters, the rows of this page, the export button."""
    _may_see(request)
    table = ranking_table(request)
    page = Paginator(table.rows, PER_PAGE).get_page(request.GET.get("page"))
    levels = dict(Deputy.Level.choices)
    context = {
        **site.each_context(request),
        "title": _("Duty ranking %(year)s") % {"year": table.year},
        "opts": DutyRecord._meta,
        "table": table,
        "page": page,
        "rows": [(row, levels.get(row.level, row.level), owed) for row, owed in page],
        "query": urlencode(table.filters),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/deputies/ranking.html", context)


@require_GET
def ranking_export_view(request, site):
    """The page's rows for the same filters as an xlsx sheet, all pages."""
    _may_see(request)
    table = ranking_table(request, with_shortfalls=True)
    return ranking_xlsx_response(table)


def ranking_urls(site) -> list:
    return [
        path(
            "ranking/",
            site.admin_view(lambda request: ranking_view(request, site)),
            name="deputies_ranking",
        ),
        path(
            "ranking/export/",
            site.admin_view(lambda request: ranking_export_view(request, site)),
            name="deputies_ranking_export",
        ),
    ]
