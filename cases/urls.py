from django.urls import path, register_converter

from cases import reports, results_views, views


class ReferenceConverter:
    """A case reference as typed or printed (RBT-2026-004217-K); the selector normalises case."""

    regex = r"[A-Za-z]{2,4}-[0-9]{4}-[0-9]{1,8}-[A-Za-z]"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReferenceConverter, "ref")

app_name = "cases"
urlpatterns = [
    path("", views.my_cases, name="my_cases"),
    path("queue/", views.queue, name="queue"),
    path("new/", views.intake, name="intake"),
    path("new/suggestions/", views.suggestions, name="suggestions"),
    path("reads/", reports.reads, name="reads"),
    path("reads/<int:officer_id>/", reports.officer_reads, name="officer_reads"),
    path("judicial/", reports.judicial, name="judicial"),
    path("<ref:reference>/", views.detail, name="detail"),
    path("<ref:reference>/registered/", views.registered, name="registered"),
    path("<ref:reference>/receipt.pdf", views.receipt, name="receipt"),
    path("<ref:reference>/reveal/", views.reveal, name="reveal"),
    path("<ref:reference>/transition/", views.transition, name="transition"),
    path("<ref:reference>/note/", views.add_note, name="note"),
    path("<ref:reference>/assign/", views.assign, name="assign"),
    path("<ref:reference>/attach/", views.attach, name="attach"),
    path("<ref:reference>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<ref:reference>/results/", results_views.result_add, name="result_add"),
    path("<ref:reference>/results/<int:pk>/validate/", results_views.result_validate, name="result_validate"),
    path("<ref:reference>/results/<int:pk>/withdraw/", results_views.result_withdraw, name="result_withdraw"),
    path("<ref:reference>/instructions/<int:pk>/execute/", views.execute_instruction, name="execute_instruction"),
]
