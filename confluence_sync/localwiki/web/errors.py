"""Errors as the local wiki answers them: ``ApiError`` (raised by a route) and the two shapes
Confluence words an error in — the v1 / Data Center ``RestError`` under ``rest/api`` and
v2's ``{"errors": [...]}`` under ``api/v2``. The REST core and the fault injection both
answer in these shapes, so a client's error handling meets one form per API.

Imports: nothing of the local wiki.
"""

from __future__ import annotations

from typing import Any

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
V2_CODES = {
    400: "INVALID_REQUEST_PARAMETER",
    401: "UNAUTHORIZED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "CONFLICT",
    413: "REQUEST_ENTITY_TOO_LARGE",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
GONE_MESSAGE = (
    "com.atlassian.confluence.api.service.exceptions.GoneException: This deprecated "
    "endpoint has been removed."
)


class ApiError(Exception):
    """An HTTP error raised by a route; rendered in the shape of the API it came from."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_body(api: str, status: int, message: str, *, detail: str | None = None) -> dict[str, Any]:
    """The JSON body of an error on ``api`` ("v2", else v1/DC). ``detail`` is v2's longer
    text: a route's error repeats its message there, an injected fault leaves it empty."""
    if api == "v2":
        return {
            "errors": [
                {
                    "status": status,
                    "code": V2_CODES.get(status, "ERROR"),
                    "title": message.split("\n", 1)[0],
                    "detail": detail,
                }
            ]
        }
    return {
        "statusCode": status,
        "data": {
            "authorized": status not in (401, 403),
            "valid": status != 400,
            "allowedInReadOnlyMode": True,
            "errors": [],
            "successful": False,
        },
        "message": message,
        "reason": REASONS.get(status, "Error"),
    }


def bad_id(api: str, raw: str) -> ApiError:
    """The refusal of a path id that is no Java long.

    v2 answers 400 INVALID_REQUEST_PARAMETER ("Provided value {…} for 'id' is not the correct
    type. Expected type is ContentId", Cloud's answer to a non-numeric attachment id as quoted
    in published client tests); v1/DC are JAX-RS resources, where a path parameter that does
    not convert is a 404 (JAX-RS 1.1 §3.2), the same as a missing id.
    """
    if api == "v2":
        return ApiError(
            400,
            f"Provided value {{{raw}}} for 'id' is not the correct type. "
            "Expected type is ContentId",
        )
    return ApiError(404, f"No content found with id : ContentId{{id={raw}}}")
