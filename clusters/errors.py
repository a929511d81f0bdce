"""Errors the services raise, shared by every app above this one."""

from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The object changed under us: another actor got there first. Maps to HTTP 409."""

    def __init__(self, message=None, *, current_state: str | None = None):
        self.message = message or _("该记录已被他人修改，请刷新后重试。")
        self.current_state = current_state
        super().__init__(str(self.message))
