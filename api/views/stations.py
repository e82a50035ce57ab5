"""stations endpoints (to come)."""

urlpatterns = []
