from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("file/", views.file_complaint, name="file"),
    path("file/done/", views.filed, name="filed"),
    path("file/receipt.pdf", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("my/", views.my_complaints, name="my"),
    path("my/consents/", views.consents, name="consents"),
    path("my/consents/<str:code>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("my/<str:reference>/reopen/", views.reopen, name="reopen"),
    path("survey/<str:token>/", views.survey, name="survey"),
    path("outbox/", views.outbox, name="outbox"),
    path("lang/<str:code>/", views.set_language, name="language"),
]
