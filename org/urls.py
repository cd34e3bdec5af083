from django.urls import path

from org import views

app_name = "org"
urlpatterns = [
    path("keys/", views.keys, name="keys"),
    path("keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
    path("users/<int:pk>/2fa/reset", views.user_second_factor_reset, name="user_second_factor_reset"),
]
