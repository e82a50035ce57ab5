"""Login, logout and password change; after login each role lands on its home."""

import pytest
from django.urls import reverse

from tests import factories, flows

PASSWORD = "pw-for-tests-1"


@pytest.mark.parametrize(
    ("role", "home"),
    [
        ("staff", "/admin/"),  # committee staff work in the admin
        ("reviewer", "/admin/"),  # reviewers too
        ("clerk", "/tasks/"),  # a unit's clerk: the task list
        ("head", "/tasks/"),  # a unit's head: the task list
        ("leader", "/reports/"),  # a supervising leader: their dashboard
        ("deputy", "/my/"),  # deputies: their status pages
    ],
)
def test_login_lands_each_role_on_its_home(client, cast, role, home):
    """Logging in goes to the home view, which sends each role to its own page."""
    user = flows.person(cast, role)
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


def test_login_page_is_chinese_and_refuses_a_wrong_password(client, db):
    """The login page speaks Chinese and a wrong password shows an error, no session."""
    page = client.get(reverse("login")).content.decode()
    assert 'lang="zh-hans"' in page
    assert "用户名" in page  # Django's own field label, translated
    response = client.post(reverse("login"), {"username": "nobody", "password": "x"})
    assert 'id="login-error"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(client, cast):
    """The header's logout form ends the session."""
    client.force_login(cast.clerk)
    page = client.get(reverse("tasks:list")).content.decode()
    assert f'action="{reverse("logout")}"' in page
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_changes_the_password(client, cast):
    """A user changes their password and can log in with the new one."""
    client.force_login(cast.clerk)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "新-Secret-2026!",
            "new_password2": "新-Secret-2026!",
        },
    )
    assert response.url == reverse("password_change_done")
    cast.clerk.refresh_from_db()
    assert cast.clerk.check_password("新-Secret-2026!")


def test_home_refuses_a_user_without_a_role(client, db):
    """A user who is neither staff, unit member, leader nor deputy gets a 403 at home."""
    client.force_login(factories.UserFactory(username="nobody"))
    assert client.get(reverse("home")).status_code == 403
