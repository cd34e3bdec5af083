from django.urls import path

from identity import ttp_views, views

app_name = "identity"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("callback/", views.callback, name="callback"),
    path("logout/", views.logout, name="logout"),
    path("ttp/verify", ttp_views.verify, name="ttp_verify"),
    path("ttp/jwks.json", ttp_views.jwks, name="ttp_jwks"),
]
