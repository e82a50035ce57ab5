from django.contrib import admin
from django.urls import include, path

from suggestions import views as suggestions_views

# Uploaded documents are never served as static media: each is served by a view that
# checks the user may see its suggestion (see the task and status pages).
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("tasks/", include("suggestions.urls")),
    path("my/", include("deputies.urls")),
    path("", suggestions_views.home, name="home"),
]
