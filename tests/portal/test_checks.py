"""portal.checks: the system check that the front-end packages are installed."""

from django.conf import settings
from django.test import override_settings

from portal.checks import front_end_packages_installed


def test_no_error_when_the_front_end_packages_are_installed():
    assert front_end_packages_installed(None) == []
    for _prefix, path in (e for e in settings.STATICFILES_DIRS if isinstance(e, tuple)):
        assert path.is_dir(), path


def test_error_names_each_missing_package(tmp_path):
    present = tmp_path / "present"
    present.mkdir()
    dirs = [
        settings.BASE_DIR / "static",
        ("vendor/present", present),
        ("vendor/absent", tmp_path / "absent"),
        ("vendor/gone", tmp_path / "gone"),
    ]

    with override_settings(STATICFILES_DIRS=dirs):
        errors = front_end_packages_installed(None)

    assert [e.id for e in errors] == ["portal.E001"]
    assert str(tmp_path / "absent") in errors[0].msg
    assert str(tmp_path / "gone") in errors[0].msg
    assert str(present) not in errors[0].msg
    assert "npm ci" in errors[0].hint
