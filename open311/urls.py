from django.urls import path, re_path

from open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>xml|json)$"
# Clients join the discovery url and "/services.xml" themselves; one slash too many still finds the resource.
SLASH = r"^[/]?"

urlpatterns = [
    path("", views.root, name="root"),
    path("openapi.json", views.openapi, name="openapi"),
    re_path(SLASH + r"discovery" + FMT, views.discovery, name="discovery"),
    re_path(SLASH + r"services" + FMT, views.services, name="services"),
    re_path(
        SLASH + r"services/(?P<service_code>[-\w]{1,50})" + FMT, views.service_definition, name="service_definition"
    ),
    re_path(SLASH + r"requests" + FMT, views.requests, name="requests"),
    re_path(SLASH + r"requests/(?P<service_request_id>[-\w]{1,40})" + FMT, views.request_detail, name="request"),
    re_path(SLASH + r"tokens/(?P<token>[-\w]{1,64})" + FMT, views.token, name="token"),
    re_path(r"^.*$", views.unknown, name="unknown"),
]
