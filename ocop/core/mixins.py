"""Base view mixins: permission checks that answer 404 to signed-in users who may not see."""

import rules
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404


class PermissionOr404Mixin(LoginRequiredMixin):
    """Anonymous users go to the login page; signed-in users without the permission get 404.

    `permission_required` is checked against `get_permission_object()` (None for pages).
    `rule_required` names a django-rules rule tested on the user alone, for a page that needs a
    role and a jurisdiction: unlike a permission, a superuser without them does not pass.
    """

    permission_required: str = ""
    rule_required: str = ""

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.rule_required and not rules.test_rule(self.rule_required, request.user):
            raise Http404
        if self.permission_required and not request.user.has_perm(
            self.permission_required, self.get_permission_object()
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ObjectPermissionMixin(PermissionOr404Mixin):
    """Load the view's object from the URL and check `permission_required` on it.

    The one way a view gets its object: `get_queryset()` (or `queryset`, with the joins the page
    needs) filtered by the URL's `pk_url_kwarg`; a missing object and one the user may not see
    both answer 404. The object is `self.object`, and also `self.<object_name>` when set, so
    views and their templates keep speaking of `self.session`, `self.council`, `dossier`.
    """

    queryset = None
    pk_url_kwarg = "pk"
    object_name = ""

    def get_queryset(self):
        if self.queryset is None:
            raise NotImplementedError(f"{type(self).__name__} needs a queryset")
        return self.queryset.all()

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.get_permission_object()
        return super().dispatch(request, *args, **kwargs)

    def get_permission_object(self):
        if getattr(self, "object", None) is None:
            self.object = self.get_object()
            if self.object_name:
                setattr(self, self.object_name, self.object)
        return self.object

    def get_context_data(self, **kwargs):
        if self.object_name:
            kwargs.setdefault(self.object_name, self.object)
        return super().get_context_data(**kwargs)
