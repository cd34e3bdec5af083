"""/watch/ (the communication cell's desk and the chiefs' requests for facts) and /communiques/
(public). `urlpatterns` is the desk (namespace "media"); `public_patterns` the public pages
(namespace "communiques"), both included by amane/urls.py."""

from django.urls import path

from media import communique_views, fact_views, views

app_name = "media"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/correct/", views.event_correct, name="event_correct"),
    path("events/<int:pk>/complaint/", views.event_complaint, name="event_complaint"),
    path("events/<int:pk>/intervention/", views.event_intervention, name="event_intervention"),
    path("events/<int:pk>/facts/", views.event_facts, name="event_facts"),
    path("events/<int:pk>/verify/", views.event_verify, name="event_verify"),
    path("verifications/<int:vpk>/conclude/", views.verification_conclude, name="verification_conclude"),
    path("verifications/<int:vpk>/rebuttal/", views.rebuttal_draft, name="rebuttal_draft"),
    path("communiques/", communique_views.drafts, name="communiques"),
    path("communiques/new/", communique_views.communique_new, name="communique_new"),
    path("communiques/<int:pk>/", communique_views.communique_edit, name="communique"),
    path("communiques/<int:pk>/publish/", communique_views.communique_publish, name="communique_publish"),
    path("facts/", fact_views.fact_list, name="facts"),
    path("facts/<int:pk>/answer/", fact_views.fact_answer, name="fact_answer"),
]

public_patterns = (
    [
        path("", communique_views.public_list, name="list"),
        path("feed/", communique_views.public_feed, name="feed"),
        path("<str:number>/", communique_views.public_detail, name="detail"),
        path("<str:number>/pdf/", communique_views.public_pdf, name="pdf"),
    ],
    "communiques",
)
