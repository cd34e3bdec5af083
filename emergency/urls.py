from django.urls import path

from emergency import views

app_name = "emergency"
urlpatterns = [
    path("board/", views.board, name="board"),
    path("board/state/", views.board_state, name="board_state"),
    path("board/call/", views.board_call, name="board_call"),
    path("board/incidents/<int:pk>/dispatch/", views.board_dispatch, name="board_dispatch"),
    path("stream/", views.stream, name="stream"),
    path("patrol/", views.patrol, name="patrol"),
    path("patrol/report/", views.patrol_report, name="patrol_report"),
    path("patrol/status/", views.patrol_status, name="patrol_status"),
    path("panel/", views.panel, name="panel"),
]
