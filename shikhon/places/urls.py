from django.urls import path

from shikhon.places import views

app_name = "places"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("division/<int:pk>/", views.division, name="division"),
    path("district/<int:pk>/", views.district, name="district"),
    path("upazila/<int:pk>/", views.upazila, name="upazila"),
    path("school/<str:eiin>/", views.school, name="school"),
    path("search/", views.search, name="search"),
]
