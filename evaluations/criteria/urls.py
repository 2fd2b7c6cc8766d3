"""Scoring forms: the index, one form, the administrator's correction."""

from django.urls import path

from evaluations.criteria import views as criteria

urlpatterns = [
    path("criteria/", criteria.CriteriaIndexView.as_view(), name="criteria_index"),
    path(
        "criteria/<slug:version>/<int:number>/",
        criteria.FormDetailView.as_view(),
        name="form_detail",
    ),
    path(
        "criteria/<slug:version>/<int:number>/correct/",
        criteria.FormCorrectView.as_view(),
        name="form_correct",
    ),
]
