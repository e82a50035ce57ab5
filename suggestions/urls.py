from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.TaskListView.as_view(), name="list"),
    path("<int:pk>/", views.TaskDetailView.as_view(), name="detail"),
    path("<int:pk>/do/<slug:action>/", views.TaskActionView.as_view(), name="action"),
    path("documents/<int:reply_id>/", views.DocumentView.as_view(), name="document"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
]
