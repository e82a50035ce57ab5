"""The deputy's pages say who has signed the handling record and who signs next."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import pgettext

from suggestions import services
from suggestions.models import SignOff
from tests import flows


def word(level: str) -> str:
    return pgettext("sign-off level", level)


def item(page: str, suggestion) -> str:
    start = page.index(f'id="suggestion-{suggestion.pk}"')
    return page[start : page.index("</li>\n", page.index('class="signatures"', start))]


def test_status_list_shows_the_signatures_of_a_replied_suggestion(client, cast):
    """A replied suggestion's item reads 代表 ✔ 满意/不满意 · 主要领导 … · 分管领导."""
    replied = flows.handled(cast)
    flows.deputy_signs(cast, replied, result=SignOff.Rating.DISSATISFIED)
    assigned = flows.assigned(cast, title="办理中的建议")
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:list")).content.decode()
    line = item(page, replied)
    rated = f"{SignOff.Rating.SATISFIED.label}/{SignOff.Rating.DISSATISFIED.label}"
    assert '<li class="signed dissatisfied" data-level="deputy"' in line
    assert f"{word('Deputy')} ✔ {rated}</li>" in line
    assert f">{word('Head')} …</li>" in line
    start = page.index(f'id="suggestion-{assigned.pk}"')
    assert 'class="signatures"' not in page[start : page.index("</li>\n", start)]


def test_status_page_shows_the_signatures_to_a_co_signer(client, cast):
    """The co-signing deputy reads the same line on the suggestion's page."""
    suggestion = flows.awaiting_leader(cast)
    client.force_login(cast.co_deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    card = page[page.index('id="suggestion"') : page.index("</article>")]
    assert f">{word('Head')} ✔</li>" in card
    assert f">{word('Leader')} …</li>" in card


def test_status_page_before_any_signature_shows_the_deputy_next(client, cast):
    """Just replied: the deputy signs next, the others later."""
    suggestion = flows.handled(cast)
    client.force_login(cast.deputy.user)
    page = client.get(reverse("status:detail", args=[suggestion.pk])).content.decode()
    assert 'data-state="next" title="' in page
    assert f">{word('Deputy')} …</li>" in page
    assert page.count('data-state="later"') == 2


@pytest.mark.parametrize("role", ["deputy", "co_deputy"])
def test_status_list_query_count_with_signatures_does_not_grow(client, cast, role):
    """With sign-offs on every row the list still reads at most 6 queries, the same at 1
    and at 12 replied suggestions."""

    def add(n):
        for _i in range(n):
            suggestion = flows.handled(cast, co=False)
            flows.deputy_signs(cast, suggestion)
            services.signoff_record(suggestion=suggestion, by=cast.head, level="unit_head")

    client.force_login(flows.person(cast, role))
    add(1)
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("status:list")).content.decode()
    add(11)
    with CaptureQueriesContext(connection) as twelve:
        page = client.get(reverse("status:list")).content.decode()
    assert first.count('class="signatures"') == 1
    assert page.count('class="signatures"') == 12
    assert len(one) == len(twelve) <= 6
