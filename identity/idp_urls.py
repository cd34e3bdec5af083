"""The local demo identity provider, mounted at /idp/ (404 unless AMANE_OIDC_LOCAL_IDP is on)."""

from django.urls import path

from identity import idp

app_name = "idp"
urlpatterns = [
    path(".well-known/openid-configuration", idp.discovery, name="discovery"),
    path("jwks.json", idp.jwks, name="jwks"),
    path("authorize", idp.authorize, name="authorize"),
    path("token", idp.token, name="token"),
]
