import json
import sys
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sharing import page_cache


class LanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose otherwise.

    The language comes from the user's choice (the language cookie set by the switch in the
    page header), never from the browser's Accept-Language: the portal serves Hubei, so a
    visitor with an English browser still lands on the Chinese portal and can switch.
    """

    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()


def chosen_language(request) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


class AnonymousPageCacheMiddleware:
    """Answer a visitor's GET of a public list from the anonymous page cache
    (sharing/page_cache.py) before sessions, CSRF, authentication, two factors and messages.

    Only for a visitor without a session cookie (so nobody is signed in and no message waits
    in the session) and without a message cookie: everyone else goes through the whole stack,
    where the view's own decorator still serves them from the same cache when it may. The
    answer carries what the middleware below would have added to the same page: the
    visitor's own CSRF token and cookie, ``Content-Language`` and ``Vary: Accept-Language``,
    ``X-Frame-Options`` and ``Content-Length``; the middleware above (security headers, the
    content security policy) runs as for any answer. Put it right after WhiteNoise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._csrf = CsrfViewMiddleware(get_response)
        self._locale = LanguageMiddleware(get_response)
        self._frame = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and request.path in page_cache.html_paths()
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        ):
            request.get_host()  # an unknown host is refused (400) as CommonMiddleware would
            language = chosen_language(request)
            self._csrf.process_request(request)
            response = page_cache.cached_html(request, language=language)
            if response is not None:
                self._csrf.process_response(request, response)
                with translation.override(language):
                    self._locale.process_response(request, response)
                self._frame.process_response(request, response)
                response.headers["Content-Length"] = str(len(response.content))
                return response
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


# --- Input that no field may hold ------------------------------------------------------------

_NUL = "\x00"


def _decode_form_pairs(raw: bytes):
    """Yield (key, value) of an URL-encoded body or query string, decoded strictly as UTF-8;
    raises UnicodeDecodeError on bytes that are not UTF-8."""
    for pair in raw.split(b"&"):
        if not pair:
            continue
        key, _sep, value = pair.partition(b"=")
        yield (
            unquote_to_bytes(key.replace(b"+", b" ")).decode("utf-8"),
            unquote_to_bytes(value.replace(b"+", b" ")).decode("utf-8"),
        )


def _unstorable(text: str) -> bool:
    """PostgreSQL refuses NUL in text, and a lone surrogate cannot be encoded as UTF-8."""
    if _NUL in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_json_fields(value, path: str = "") -> list[str]:
    if isinstance(value, str):
        return [path or "non_field_errors"] if _unstorable(value) else []
    if isinstance(value, dict):
        bad = []
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if _unstorable(str(key)):
                bad.append(path or "non_field_errors")
            bad.extend(_bad_json_fields(item, name))
        return bad
    if isinstance(value, list):
        return [name for i, item in enumerate(value) for name in _bad_json_fields(item, path)]
    return []


class RejectUnstorableInputMiddleware:
    """Refuse, with 400 and the names of the fields concerned, input that no field can hold:
    bytes that are not UTF-8, NUL characters (PostgreSQL refuses them in text) and lone
    surrogates, in the path, the query string, a form or a JSON body.

    Checked here once for every page and API endpoint, so no view can turn such input into a
    server error or a half-done write. A JSON body that does not parse is left to the API,
    which answers 400 itself; a body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused by Django
    (400) when read here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self._problem(request)
        if problem is not None:
            return self._refuse(request, problem)
        return self.get_response(request)

    def _problem(self, request) -> dict[str, str] | None:
        not_text = _("不是有效的 UTF-8 文本。")
        nul = _("不能包含空字符（\\x00）或无效的 Unicode 字符。")
        if _unstorable(request.path):
            return {"path": nul}
        raw_query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
        bad = self._form_problem(raw_query, not_text, nul)
        if bad:
            return bad
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return None
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded":
            return self._form_problem(request.body, not_text, nul)
        if content_type == "multipart/form-data":
            # Parsed by Django (files stay out of memory limits); text fields were decoded
            # with replacement characters, so a replacement marks bytes that were not UTF-8.
            for key, values in request.POST.lists():
                for value in values:
                    if "\ufffd" in value:
                        return {key: not_text}
                    if _unstorable(value) or _unstorable(key):
                        return {key: nul}
            return None
        if content_type == "application/json" or content_type.endswith("+json"):
            body = request.body
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return {"non_field_errors": not_text}
            try:
                data = json.loads(text)
            except ValueError:
                return None  # malformed JSON: the API's parser answers 400
            fields = _bad_json_fields(data)
            if fields:
                return dict.fromkeys(fields, nul)
        return None

    @staticmethod
    def _form_problem(raw: bytes, not_text: str, nul: str) -> dict[str, str] | None:
        try:
            for key, value in _decode_form_pairs(raw):
                if _unstorable(key) or _unstorable(value):
                    return {key if not _unstorable(key) else "non_field_errors": nul}
        except UnicodeDecodeError:
            return {"non_field_errors": not_text}
        return None

    @staticmethod
    def _refuse(request, problem: dict[str, str]):
        if request.path.startswith("/api/"):
            return JsonResponse({k: [v] for k, v in problem.items()}, status=400)
        return error_page(
            request,
            status=400,
            title=_("请求无法处理"),
            message=_("您提交的内容包含无法保存的字符，请删除后重试。"),
            details=[f"{k}：{v}" for k, v in problem.items()],
        )


def error_page(request, *, status: int, title: str, message: str, details=()):
    """A page that needs neither the database nor the cache: usable when they are down."""
    html = render_to_string(
        "portal/error.html",
        {"status": status, "title": title, "message": message, "details": list(details)},
    )
    return HttpResponse(html, status=status)


# --- The database is down ----------------------------------------------------------------------

_DATABASE_DOWN = "_portal_database_unavailable"


def _database_failed(error: BaseException | None) -> bool:
    """Whether ``error`` says the database cannot be reached (or went away).

    Django wraps the driver's errors in its own classes, but not all of them: closing a
    server-side cursor (``QuerySet.iterator()`` on PostgreSQL, which every ModelChoiceField's
    choices use) raises psycopg's own OperationalError when the server went away between the
    last fetch and the close. The driver's classes are those of this thread's connections.
    """
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return any(
        isinstance(error, conn.Database.OperationalError | conn.Database.InterfaceError)
        for conn in connections.all(initialized_only=True)
    )


def _note_database_errors(sender, request=None, **kwargs):
    """Django turns an exception into a 500 where it happens (view or middleware) and sends
    this signal on the way, with the exception at hand: remember that the database failed."""
    if request is not None and _database_failed(sys.exc_info()[1]):
        setattr(request, _DATABASE_DOWN, True)


got_request_exception.connect(_note_database_errors, dispatch_uid="portal-database-down")


class DatabaseUnavailableMiddleware:
    """While the database cannot be reached, answer 503 with a clear page (JSON under /api/)
    and Retry-After, instead of a server error.

    Nothing else is needed to recover: connections are health-checked (CONN_HEALTH_CHECKS),
    so the first request after the database is back opens a new one. Put it near the top of
    MIDDLEWARE, so that it sees the failures of every middleware below it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _DATABASE_DOWN, False):
            return database_unavailable(request)
        return response


def database_unavailable(request):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": "service temporarily unavailable"}, status=503)
    else:
        response = error_page(
            request,
            status=503,
            title=_("服务暂时不可用"),
            message=_("平台暂时无法连接数据库，正在自动恢复。请稍后刷新页面重试。"),
        )
    response["Retry-After"] = "30"
    return response
