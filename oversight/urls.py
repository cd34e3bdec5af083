from django.urls import path, register_converter

from cases.urls import ReferenceConverter as CaseReferenceConverter
from oversight import officer_views, report_views, views


class ReferenceConverter:
    regex = r"[A-Za-z]{3}-[0-9]{4}-[0-9]{1,8}-[A-Za-z]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "gref")
register_converter(CaseReferenceConverter, "cref")

app_name = "oversight"
urlpatterns = [
    path("reports/", report_views.report_list, name="reports"),
    path("reports/<int:year>/", report_views.report_detail, name="report"),
    path("reports/<int:year>/freeze/", report_views.report_freeze, name="report_freeze"),
    path("reports/<int:year>/report-<str:lang>.pdf", report_views.report_download, name="report_pdf"),
    path("officers/", officer_views.officer_complaint_list, name="officer_complaints"),
    path("officers/<int:officer_id>/", officer_views.officer_record, name="officer_record"),
    path("officers/complaints/<cref:reference>/", officer_views.officer_complaint, name="officer_complaint"),
    path(
        "officers/complaints/<cref:reference>/conclude/",
        officer_views.officer_complaint_conclude,
        name="officer_complaint_conclude",
    ),
    path("", views.grievance_list, name="list"),
    path("new/", views.grievance_new, name="new"),
    path("<gref:reference>/", views.grievance_detail, name="detail"),
    path("<gref:reference>/act/", views.grievance_act, name="act"),
    path("<gref:reference>/link/", views.grievance_link, name="link"),
    path("<gref:reference>/follow-up/", views.grievance_follow_up, name="follow_up"),
    path("<gref:reference>/reveal/", views.grievance_reveal, name="reveal"),
    path("<gref:reference>/letter.pdf", views.grievance_letter, name="letter"),
]
