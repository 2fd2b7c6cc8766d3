"""Base view mixins: permission checks that answer 404 to signed-in users who may not see."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404


class PermissionOr404Mixin(LoginRequiredMixin):
    """Anonymous users go to the login page; signed-in users without the permission get 404.

    `permission_required` is checked against `get_permission_object()` (None for pages).
    """

    permission_required: str = ""

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission_required and not request.user.has_perm(
            self.permission_required, self.get_permission_object()
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
