from django.contrib import admin
from django.urls import include, path

from suggestions.urls import status_urls, tasks_urls
from suggestions.views.home import home

# Uploaded documents are never served as static media: each is served by a view that
# checks the user may see its suggestion (see the task and status pages).
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("tasks/", include(tasks_urls)),
    path("my/", include(status_urls)),
    path("", home, name="home"),
]
