from django.urls import URLPattern, URLResolver, path

from shikhon.media import views

app_name = "media"
urlpatterns: list[URLPattern | URLResolver] = [
    # variant: low.mp4, standard.mp4, poster.jpg or captions.vtt (see views.VARIANTS)
    path("videos/<uuid:public_id>/<str:variant>", views.serve, name="file"),
]
