from django.urls import path, register_converter

from oversight import views


class ReferenceConverter:
    regex = r"[A-Za-z]{3}-[0-9]{4}-[0-9]{1,8}-[A-Za-z]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "gref")

app_name = "oversight"
urlpatterns = [
    path("", views.grievance_list, name="list"),
    path("new/", views.grievance_new, name="new"),
    path("<gref:reference>/", views.grievance_detail, name="detail"),
    path("<gref:reference>/act/", views.grievance_act, name="act"),
    path("<gref:reference>/link/", views.grievance_link, name="link"),
    path("<gref:reference>/follow-up/", views.grievance_follow_up, name="follow_up"),
    path("<gref:reference>/reveal/", views.grievance_reveal, name="reveal"),
    path("<gref:reference>/letter.pdf", views.grievance_letter, name="letter"),
]
