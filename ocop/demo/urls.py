from django.urls import path

from ocop.demo.views import OutboxView

app_name = "demo"

urlpatterns = [
    path("outbox/", OutboxView.as_view(), name="outbox"),
]
