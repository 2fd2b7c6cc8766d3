"""The routes of the URL configuration, found by walking the resolver."""

from django.urls import URLPattern, URLResolver, get_resolver

# Routes the matrix leaves out, each with its reason. Prefixes end with ":".
EXCLUDED_NAMESPACES = {
    # Django's admin has its own permission system (is_staff and model permissions): its
    # index answers a redirect to the admin's login for anyone not staff.
    "admin:",
}
EXCLUDED = {
    # django.contrib.auth's own views (account/): public forms, or pages for the signed-in
    # user about their own account; nothing of ours to scope.
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            # Unnamed patterns (favicon.ico, the admin's redirects) cannot be reversed.
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def all_routes() -> set[str]:
    return set(walk(get_resolver().url_patterns))


def excluded(name: str) -> bool:
    return name in EXCLUDED or any(name.startswith(p) for p in EXCLUDED_NAMESPACES)


def routes_to_check() -> set[str]:
    return {name for name in all_routes() if not excluded(name)}
