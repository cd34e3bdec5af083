from django.conf import settings
from django.conf.urls.static import static
from django.contrib.auth import views as auth_views
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

from amane.api import api
from analytics.urls import open_data_patterns
from identity.urls import idp_urlpatterns
from media.urls import public_patterns as communique_patterns
from org import account_views

urlpatterns = [
    # Browsers and tools ask for /favicon.ico whatever the page links to.
    path("favicon.ico", RedirectView.as_view(url=static_url("favicon.ico"), permanent=True)),
    path("login/", account_views.StaffLoginView.as_view(), name="login"),
    path("login/verify/", account_views.login_verify, name="login_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("org.account_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("cases/", include("cases.urls")),
    path("oversight/", include("oversight.urls")),
    path("watch/", include("media.urls")),
    path("communiques/", include(communique_patterns)),
    path("watch/", include("media.urls_sources")),
    path("org/", include("org.urls")),
    path("emergency/", include("emergency.urls")),
    path("blackspots/", include("analytics.urls_blackspots")),
    path("open311/v2/", include("open311.urls")),
    path("identity/", include("identity.urls")),
    path("analytics/", include("analytics.urls")),
    path("review/", include("analytics.review.urls")),
    path("open-data/", include(open_data_patterns)),
    path("idp/", include(idp_urlpatterns)),
    # The citizen portal answers at the root: /, /file/, /track/, /my/, /survey/ ...
    path("", include("portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
