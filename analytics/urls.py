from django.urls import path, register_converter

from analytics import opendata_views, views


class FormatConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

app_name = "analytics"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("units/<int:unit_id>/records/<slug:name>/", views.records, name="records"),
    path("units/<int:unit_id>/export/<slug:table>.<fmt:fmt>", views.export, name="export"),
    path("units/<int:unit_id>/report.pdf", views.report, name="report"),
]

open_data_patterns = (
    [
        path("", opendata_views.index, name="index"),
        path("monthly.<slug:fmt>", opendata_views.monthly, name="monthly"),
    ],
    "open_data",
)
