from django.urls import path

from . import views

app_name = "status"

urlpatterns = [
    path("", views.StatusListView.as_view(), name="list"),
    path("<int:pk>/", views.StatusDetailView.as_view(), name="detail"),
    path("<int:pk>/sign/", views.SignOffView.as_view(), name="signoff"),
]
