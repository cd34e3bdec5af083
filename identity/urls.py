"""Addresses of the identity app: citizen sign-in and the trusted-third-party check under /identity/,
the local demo provider under /idp/ (404 unless AMANE_OIDC_LOCAL_IDP is on)."""

from django.urls import path

from identity import api, views

app_name = "identity"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("callback/", views.callback, name="callback"),
    path("logout/", views.logout, name="logout"),
    path("ttp/verify", api.verify, name="ttp_verify"),
    path("ttp/jwks.json", api.jwks, name="ttp_jwks"),
]

idp_urlpatterns = (
    [
        path(".well-known/openid-configuration", views.discovery, name="discovery"),
        path("jwks.json", views.jwks, name="jwks"),
        path("authorize", views.authorize, name="authorize"),
        path("token", views.token, name="token"),
    ],
    "idp",
)
