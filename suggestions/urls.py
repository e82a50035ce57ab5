"""The pages' URLs: the task pages (``tasks:*``, /tasks/) and the status pages (``status:*``,
/my/). The project's ``urls`` mounts each with its namespace."""

from django.urls import path

from .views import documents, key, notifications, record, status, tasks

tasks_urls = (
    [
        path("", tasks.TaskListView.as_view(), name="list"),
        path("<int:pk>/", tasks.TaskDetailView.as_view(), name="detail"),
        path("<int:pk>/do/<slug:action>/", tasks.TaskActionView.as_view(), name="action"),
        path("<int:pk>/record/", record.TaskRecordView.as_view(), name="record"),
        path("paper/<int:submission_id>/", documents.ScanView.as_view(), name="scan"),
        path("documents/<int:reply_id>/", documents.DocumentView.as_view(), name="document"),
        # The key suggestions the user leads (领办), and their visits' files.
        path("key/", key.KeyListView.as_view(), name="key_list"),
        path("key/<int:pk>/", key.KeyDetailView.as_view(), name="key"),
        path("key/<int:pk>/do/<slug:action>/", key.KeyActionView.as_view(), name="key_action"),
        path(
            "inspection-files/<int:file_id>/",
            key.InspectionFileView.as_view(),
            name="inspection_file",
        ),
        path(
            "notifications/",
            notifications.NotificationListView.as_view(),
            name="notifications",
        ),
    ],
    "tasks",
)

status_urls = (
    [
        path("", status.StatusListView.as_view(), name="list"),
        path("<int:pk>/", status.StatusDetailView.as_view(), name="detail"),
        path("<int:pk>/sign/", status.SignOffView.as_view(), name="signoff"),
    ],
    "status",
)
