"""The admin in Chinese: the third-party apps' names and records, Django's titles without
stray spaces, the audit log's columns."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.urls import reverse

from suggestions.models import Suggestion
from tests import factories, flows

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_staff=True, is_superuser=True)


def test_admin_index_names_the_lockout_and_audit_apps_in_chinese(client, superuser):
    """The index lists 审计日志 and 登录锁定 with their records, not AUDIT LOG or AXES."""
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    for words in ("审计日志", "登录锁定", "登录失败记录", "登录失败明细", "登录日志", "模型名称"):
        assert words in page
    for english in ("Audit log", "Axes", "Access attempts", "Access failures", "Access logs"):
        assert english not in page


def test_changelist_title_reads_without_stray_spaces(client, cast):
    """Django's 'Select %s to change' reads 选择要修改的建议, not 选择 建议 来修改."""
    flows.proposed(cast)
    client.force_login(cast.staff)
    page = client.get(reverse("admin:suggestions_suggestion_changelist")).content.decode()
    assert "<h1>选择要修改的建议</h1>" in page
    assert "选择 建议 来修改" not in page
    assert "增加建议" in page and "增加 建议" not in page


def test_lockout_records_read_in_chinese(client, superuser):
    """The access attempts' list has Chinese headers and says how many attempts are left."""
    AccessAttempt.objects.create(
        username="clerk", ip_address="10.0.0.1", user_agent="x", failures_since_start=3
    )
    client.force_login(superuser)
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "<h1>选择要修改的登录失败记录</h1>" in page
    for words in ("尝试时间", "IP 地址", "失败次数", "还可尝试 2 次"):
        assert words in page
    for english in ("Attempt Time", "IP Address", "Failed Logins", "Attempt Remaining"):
        assert english not in page


def test_audit_log_names_the_changed_fields_in_chinese(client, cast):
    """A log entry's row says 修改 and names the changed fields by their verbose names."""
    suggestion = flows.reviewed(cast)
    client.force_login(cast.staff)
    page = client.get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    entry = LogEntry.objects.get_for_object(Suggestion.objects.get(pk=suggestion.pk)).filter(
        action=LogEntry.Action.UPDATE
    )[0]
    assert set(entry.changes_dict) == {"number", "state"}
    assert "2 处变更：编号、状态" in page or "2 处变更：状态、编号" in page
    assert "changes:" not in page
