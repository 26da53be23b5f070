from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt

from cluetrain.api import views
from cluetrain.api.api import api
from cluetrain.api.errors import error_body


@csrf_exempt  # it changes nothing; and a token client sends no CSRF token
def api_not_found(request: HttpRequest) -> JsonResponse:
    # A path no operation matches still answers in the API's error format.
    return JsonResponse(error_body("not_found", "No such API endpoint."), status=404)


urlpatterns = [
    path("api/", api.urls),
    re_path(r"^api/", api_not_found),
    path("settings/tokens/", views.tokens, name="api_tokens"),
    path("settings/tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
]
