from django.contrib import admin
from django.urls import include, path

# Uploaded documents are never served as static media: each is served by a view that
# checks the user may see its suggestion (see the task and status pages).
urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
