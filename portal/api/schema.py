"""What the OpenAPI schema says about the error answers every operation may give.

drf-spectacular documents each operation's success answer and the validation errors of its
body; the answers below come from layers it does not see, so they are added to every
operation here, with the body they really have:

- 400: input no field can hold (portal.middleware.RejectUnstorableInputMiddleware), a query
  filter or a body that does not validate, malformed JSON;
- 403: not signed in, an invalid token, two factors missing, or not allowed (the API has no
  401: its first authentication is the session, which names no challenge);
- 404: an object the user may not see or that does not exist, a page past the last;
- 409: a write that lost a race (``current_state`` says what it found);
- 415: a body in a media type the operation does not take;
- 429: throttled (``Retry-After`` says when to come back).
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "description": "``detail`` for a general error, or field name → messages for invalid input.",
    "properties": {
        "detail": {"type": "string"},
        "current_state": {"type": "string", "nullable": True},
    },
    "additionalProperties": True,
}

_DESCRIPTIONS = {
    "400": "Invalid input",
    "403": "Not signed in, or not allowed",
    "404": "Not found, or not visible to this user",
    "409": "Conflict: the object changed meanwhile",
    "415": "Unsupported media type",
    "429": "Throttled; see Retry-After",
}
_WRITES = {"post", "put", "patch", "delete"}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: add the error answers to every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = ["400", "403", "404", "429"]
            if method in _WRITES:
                codes.append("409")
            if "requestBody" in operation:
                codes.append("415")
            responses = operation["responses"]
            for code in codes:
                responses.setdefault(code, {"description": _DESCRIPTIONS[code], "content": body})
    return result
