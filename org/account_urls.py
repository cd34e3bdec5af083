from django.urls import path

from org import account_views as views

app_name = "account"
urlpatterns = [
    path("", views.account, name="home"),
    path("2fa/enrol/", views.enrol, name="enrol"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("2fa/recovery-codes/new/", views.recovery_codes_new, name="recovery_codes_new"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
]
