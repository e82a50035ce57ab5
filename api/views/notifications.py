"""notifications endpoints (to come)."""

urlpatterns = []
