from django.urls import path

from analytics import views_blackspots as views

app_name = "blackspots"
urlpatterns = [
    path("", views.spot_map, name="map"),
    path("cell/<str:cell_id>/", views.cell, name="cell"),
    path("plan/", views.plan, name="plan"),
    path("plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("layer/", views.board_layer, name="layer"),
]
