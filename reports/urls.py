from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("assessment/<int:year>/", views.assessment, name="assessment"),
    path("assessment/<int:year>/export/", views.assessment_export, name="assessment_export"),
    path(
        "assessment/<int:year>/<int:unit>/<slug:kind>/",
        views.assessment_cases,
        name="assessment_cases",
    ),
    path("handling-report/<int:year>/", views.handling_report, name="handling_report"),
    path(
        "handling-report/<int:year>/docx/",
        views.handling_report_docx,
        name="handling_report_docx",
    ),
    path("key/<int:year>/", views.key_board, name="key"),
]
