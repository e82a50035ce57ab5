"""The API's two lists kept until the data changes (api.kept): the same answer in fewer
queries, a write seen at once, a 304 for an unchanged ETag."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suggestions.models import Suggestion
from tests import flows
from tests.api.test_tasks import api

pytestmark = pytest.mark.django_db


def served(client, url, **headers):
    """The answer and its queries; on PostgreSQL another test database's transaction ending
    in between draws it anew once (npc_tracker.generation), so up to three tries."""
    for _attempt in range(3):
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(url, **headers)
        if len(queries) <= 2:
            break
        if "HTTP_IF_NONE_MATCH" in headers:
            headers["HTTP_IF_NONE_MATCH"] = answer.headers["ETag"]
    return answer, queries


def title(answer) -> str:
    row = answer.json()["results"][0]
    return row["suggestion"]["title"] if "suggestion" in row else row["title"]


@pytest.mark.parametrize("name", ["api:tasks", "api:my-suggestions"])
def test_a_kept_list_is_the_same_answer_and_follows_every_write(cast, name):
    suggestion = flows.assigned(cast, title="原来的标题")
    client = api(cast.clerk if name == "api:tasks" else cast.deputy.user)
    url = reverse(name)
    drawn = client.get(url)
    assert title(drawn) == "原来的标题"
    again, queries = served(client, url)
    # The token with its user and the generation; the permission's (units, deputy).
    assert len(queries) == 2
    assert again.content == drawn.content
    assert again.headers["ETag"] == drawn.headers["ETag"]
    not_modified, _queries = served(client, url, HTTP_IF_NONE_MATCH=again.headers["ETag"])
    assert not_modified.status_code == 304
    Suggestion.objects.filter(pk=suggestion.pk).update(title="新的标题")
    after = client.get(url)
    assert title(after) == "新的标题"
    assert after.headers["ETag"] != drawn.headers["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=drawn.headers["ETag"]).status_code == 200
