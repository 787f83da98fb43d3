from django.urls import path

from shikhon.people import views, views_clusters, views_import, views_school, views_tokens

app_name = "people"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("sign-in/password/", views.sign_in_password, name="sign_in_password"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.password_set, name="password_set"),
]
urlpatterns += [
    path("register/", views.register, name="register"),
    path("join/", views.join, name="join"),
    path("approvals/", views.approvals, name="approvals"),
    path("invite/", views.invite, name="invite"),
]
urlpatterns += [path("schools/import/", views_import.import_schools, name="import_schools")]
urlpatterns += [
    path("profile/tokens/", views_tokens.tokens, name="tokens"),
    path("profile/tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token_revoke"),
]
urlpatterns += [path("roles/", views.roles_page, name="roles")]
urlpatterns += [path("places/school/<str:eiin>/teachers/", views_school.school_teachers, name="school_teachers")]
urlpatterns += [
    path("clusters/", views_clusters.clusters, name="clusters"),
    path("clusters/<str:upazila_pk>/new/", views_clusters.cluster_edit, name="cluster_new"),
    path("clusters/<str:upazila_pk>/<str:pk>/", views_clusters.cluster_edit, name="cluster_edit"),
]
