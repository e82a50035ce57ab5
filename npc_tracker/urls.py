from django.contrib import admin
from django.urls import include, path

from suggestions.urls import status_urls, tasks_urls
from suggestions.views.home import home

from . import views

# Uploaded documents are never served as static media: each is served by a view that
# checks the user may see its suggestion (see the task and status pages).
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The password reset pages before Django's own: off without e-mail, throttled with it.
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password_reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("tasks/", include(tasks_urls)),
    path("my/duty/", include("deputies.urls")),
    path("my/", include(status_urls)),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    # The stations' pages: /stations/, and the opinions under /my/opinions/ and /tasks/opinions/.
    path("", include("stations.urls")),
    path("", home, name="home"),
]

# Under /api/ a problem (application/problem+json) as the API's views answer, else the pages.
handler400 = views.bad_request
handler404 = views.page_not_found
handler500 = views.server_error
