"""staff endpoints (to come)."""

urlpatterns = []
