"""``/api/v1/`` (the URL names are ``api:*``): the schema and its documentation, signing in,
and each role's endpoints, one module each under ``views/``."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import auth
from .views import deputy, me, notifications, office, staff, stations, tasks

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("auth/login/", auth.LoginView.as_view(), name="login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/devices/", auth.DeviceList.as_view(), name="devices"),
    path("auth/devices/<uuid:id>/", auth.DeviceDetail.as_view(), name="device"),
    path("", include(me.urlpatterns)),
    path("", include(notifications.urlpatterns)),
    path("", include(deputy.urlpatterns)),
    path("", include(tasks.urlpatterns)),
    path("", include(stations.urlpatterns)),
    path("", include(staff.urlpatterns)),
    path("", include(office.urlpatterns)),
]
