"""The ingestion pages of the media watch, under /watch/ (the event pages are media-desk's)."""

from django.urls import path

from media import views_sources

app_name = "media_sources"
urlpatterns = [
    path("sources/", views_sources.sources, name="sources"),
    path("sources/<int:pk>/edit/", views_sources.source_edit, name="source_edit"),
    path("paste/", views_sources.paste, name="paste"),
    path("paste/done/", views_sources.pasted, name="pasted"),
    path("import/", views_sources.import_posts, name="import"),
]
