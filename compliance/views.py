from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agencies.models import Agency
from agencies.policy import primary_role


@require_GET
def home(request):
    """Routes each role to its work: the landing page lists what this user can open."""
    role = primary_role(request.user)
    context = {"role": role}
    if request.user.is_authenticated:
        context["my_agencies"] = (
            Agency.objects.visible_to(request.user).filter(memberships__user=request.user)
            if role == "liaison"
            else Agency.objects.none()
        )
    return render(request, "home.html", context)


@never_cache
@require_GET
def health(request):
    """Liveness for load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
