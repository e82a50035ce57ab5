"""deputy endpoints (to come)."""

urlpatterns = []
