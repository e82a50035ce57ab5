"""The stations' pages (``stations:*``), mounted at the site's root: the keepers' pages
under /stations/, a deputy's forwarded opinions under /my/opinions/, a unit's referred
opinions under /tasks/opinions/. Every object is fetched through ``selectors``, so
another station's, deputy's or unit's id is a 404."""

from django.urls import path

from .views import keeper, ledger, lists

app_name = "stations"

urlpatterns = [
    path("stations/", keeper.StationListView.as_view(), name="list"),
    path("stations/<int:pk>/", keeper.StationDetailView.as_view(), name="detail"),
    path(
        "stations/<int:pk>/do/<slug:action>/",
        keeper.StationActionView.as_view(),
        name="action",
    ),
    path(
        "stations/<int:pk>/ledger/<int:year>/",
        ledger.StationLedgerView.as_view(),
        name="ledger",
    ),
    path("stations/opinions/", keeper.OpinionListView.as_view(), name="opinions"),
    path("stations/opinions/<int:pk>/", keeper.OpinionDetailView.as_view(), name="opinion"),
    path(
        "stations/opinions/<int:pk>/do/<slug:action>/",
        keeper.OpinionActionView.as_view(),
        name="opinion_action",
    ),
    path("stations/files/<int:file_id>/", keeper.ActivityFileView.as_view(), name="activity_file"),
    path(
        "stations/checks/<int:check_id>/evidence/",
        keeper.EvidenceView.as_view(),
        name="evidence",
    ),
    path("my/opinions/", lists.ForwardedOpinionListView.as_view(), name="my_opinions"),
    path("tasks/opinions/", lists.ReferredOpinionListView.as_view(), name="unit_opinions"),
]
