"""tasks endpoints (to come)."""

urlpatterns = []
