"""The deputy's duty page, mounted at /my/duty/ (``duty:mine``)."""

from django.urls import path

from . import views

app_name = "duty"

urlpatterns = [path("", views.DutyMineView.as_view(), name="mine")]
