from django.urls import path

from emergency import views

app_name = "emergency"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("stream/", views.stream, name="stream"),
    path("patrol/", views.patrol, name="patrol"),
    path("patrol/report/", views.patrol_report, name="patrol_report"),
    path("patrol/status/", views.patrol_status, name="patrol_status"),
    path("panel/", views.panel, name="panel"),
]
