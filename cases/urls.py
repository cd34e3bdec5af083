from django.urls import path

from cases import views

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my_cases"),
]
