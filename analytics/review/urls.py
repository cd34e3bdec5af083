from django.urls import path

from analytics.review import communique_views, objective_views, views

app_name = "review"
urlpatterns = [
    path("", views.index, name="index"),
    path("communique/", communique_views.generate, name="communique"),
    path("communique/<int:pk>/approve/", communique_views.approve, name="communique_approve"),
    path("shortfalls/<int:year>/", views.shortfalls, name="shortfalls"),
    path("units/<int:unit_id>/<int:year>/", views.detail, name="detail"),
    path("units/<int:unit_id>/<int:year>/save/", views.save, name="save"),
    path("units/<int:unit_id>/<int:year>/freeze/", views.freeze, name="freeze"),
    path("units/<int:unit_id>/<int:year>/objectives/", objective_views.objectives, name="objectives"),
    path("units/<int:unit_id>/<int:year>/objectives/target/", objective_views.target_set, name="target_set"),
    path("units/<int:unit_id>/<int:year>/objectives/project/", objective_views.project_add, name="project_add"),
    path("objectives/<int:pk>/remove/", objective_views.objective_remove, name="objective_remove"),
    path("milestones/<int:pk>/done/", objective_views.milestone_done, name="milestone_done"),
]
