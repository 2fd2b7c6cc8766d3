from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("criteria/", views.CriteriaIndexView.as_view(), name="criteria_index"),
    path(
        "criteria/<slug:version>/<int:number>/",
        views.FormDetailView.as_view(),
        name="form_detail",
    ),
    path(
        "criteria/<slug:version>/<int:number>/correct/",
        views.FormCorrectView.as_view(),
        name="form_correct",
    ),
]
