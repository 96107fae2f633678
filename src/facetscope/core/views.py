from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from facetscope.organisations.models import Organisation
from facetscope.organisations.selectors import memberships_for_user


def home(request):
    """Signed in: the organisations you belong to (straight into the only one).

    Signed out: what Facetscope is, and the way in.
    """
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    memberships = list(memberships_for_user(user=request.user))
    wanted = request.GET.get("org")
    if wanted is not None:
        if any(m.organisation.slug == wanted for m in memberships):
            return redirect("organisations:detail", slug=wanted)
        return render(request, "core/home.html", {"memberships": memberships})
    if len(memberships) == 1:
        return redirect("organisations:detail", slug=memberships[0].organisation.slug)
    return render(request, "core/home.html", {"memberships": memberships})


def patterns(request):
    """Every UI component on one page, for designers, developers and a11y checks."""
    return render(request, "core/patterns.html")


def ping(request):
    """Liveness: the process answers (no database); /healthz also checks the database."""
    return HttpResponse("pong", content_type="text/plain")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "organisations": Organisation.objects.count()})
