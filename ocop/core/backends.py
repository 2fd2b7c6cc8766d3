"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for logins that come with an HTTP request.

    Every login form passes the request. `authenticate()` without one is code on the server
    (Django's test client `login()`, the shell): there is no address to throttle and no
    visitor to lock out, so this backend stands aside instead of raising as axes does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
