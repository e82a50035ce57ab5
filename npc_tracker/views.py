from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A refused form (no or a stale CSRF token), said in the user's language."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
