"""The ledger export's 并案 column, and merged-away suggestions out of the rates."""

from django.utils import translation

from suggestions import exports, services
from suggestions.models import Suggestion
from tests import factories, flows


def _column(rows) -> list[str]:
    index = next(i for i, (h, _w) in enumerate(exports.LEDGER_COLUMNS) if "并案" in str(h))
    return [row[index] for row in rows]


def test_the_ledger_export_has_a_merge_column(cast):
    """On a main suggestion the ones merged into it; on a merged one its main one."""
    main, other = flows.merged(cast)
    plain = flows.proposed(cast, title="另一件建议")
    queryset = Suggestion.objects.filter(pk__in=[main.pk, other.pk, plain.pk]).order_by("pk")
    with translation.override("zh-hans"):
        headers = exports.ledger_headers()
        rows = list(exports.ledger_rows(queryset))
    assert any("并案" in h for h in headers)
    main_cell, other_cell, plain_cell = _column(rows)
    assert other.title in main_cell  # 张伟's suggestion has no number yet: its title
    assert main.number in other_cell
    assert plain_cell == ""


def test_a_chunk_without_a_main_suggestion_costs_no_more_query(cast, django_assert_num_queries):
    """The 并案 column reads a fifth query only for a chunk holding a main suggestion."""
    for i in range(3):
        flows.proposed(cast, title=f"建议{i}")
    with django_assert_num_queries(1 + 4):
        list(exports.ledger_rows(Suggestion.objects.order_by("pk")))
    main = factories.SuggestionFactory(lead_deputy=cast.deputy)
    other = factories.SuggestionFactory(lead_deputy=cast.other_deputy)
    services.suggestion_merge(suggestions=[other], into=main, by=cast.staff, reason="同一事项。")
    with django_assert_num_queries(1 + 5):
        list(exports.ledger_rows(Suggestion.objects.order_by("pk")))


def test_merged_away_suggestions_stay_out_of_the_rates(cast):
    """Only the main suggestion of a group counts; the merged one is out, like withdrawn
    and not accepted ones (DESIGN: "stay out of every rate's denominator")."""
    main, other = flows.merged(cast)
    assert main.counts_in_rates
    assert not other.counts_in_rates
    services.suggestion_unmerge(suggestion=other, by=cast.staff, reason="误并。")
    other.refresh_from_db()
    assert other.counts_in_rates
