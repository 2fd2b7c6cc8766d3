from django.urls import path

from evaluations.history import views

urlpatterns = [
    path("results/import/", views.ResultImportView.as_view(), name="result_import"),
]
