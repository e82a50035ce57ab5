"""office endpoints (to come)."""

urlpatterns = []
