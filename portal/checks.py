from django.conf import settings
from django.core.checks import Error, register


@register()
def front_end_packages_installed(app_configs, **kwargs):
    """The portal serves Bootstrap, htmx and ECharts itself; without them pages lose their look."""
    missing = [
        str(path)
        for prefix, path in (
            entry for entry in settings.STATICFILES_DIRS if isinstance(entry, tuple)
        )
        if not path.is_dir()
    ]
    if missing:
        return [
            Error(
                "front-end packages are not installed: " + ", ".join(missing),
                hint="run `npm ci` (or `make run`, which does it)",
                id="portal.E001",
            )
        ]
    return []
