"""Which requests are safe to send twice, read from the request itself: the method, the body's
version guard, and the few unguarded PUTs whose meaning makes a repeat harmless.

``retry`` decides *whether* to retry; this module says *what may be*. A repeat is safe when
the wiki ends as it would after one copy and answers the second copy as it answered the
first, or with an answer the retrier already reads as done (a guarded PUT's 409, a DELETE's
404):

* reads (GET, HEAD) and DELETEs;
* **version-guarded PUTs** (:func:`version_guarded`): a second copy cannot commit twice;
* **PUTs that are idempotent by definition** (:data:`IDEMPOTENT_PUTS`), each with its source:

  - Data Center 9.1+ ``PUT /rest/api/space/{key}/permissions/{user|group|anonymous}/{name}/
    grant|revoke``: "Operation doesn't override existing permissions, will only add those one
    that weren't granted before" (grant) and "If group doesn't have permissions that we are
    trying to revoke, those permissions will be silently skipped" (revoke); both answer 204
    only (dc-10.0.3.json in ../shared/confluence-openapi). A repeat answers 204 like the first.
  - Data Center ``PUT /rest/api/user/{name}/group/{group}``: "This method is idempotent i.e.,
    if the membership already exists then no action will be taken"; 204 (dc-10.0.3.json).
  - Cloud v1 ``PUT /wiki/rest/api/content/{id}/move/{position}/{target}``: the place is
    named absolutely (the last child of the target, or just before/after it), so a second
    copy finds the page where the first put it and leaves it there. The spec's refusals are
    400 for a title taken in the target, a loop and restrictions, 403, 404 (cloud-v1.json):
    none is "already there", so a repeat answers 200 like the first.

A POST is never safe here: the retrier retries one only with a lookup first.

Imports: nothing of the project.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

READ_METHODS = frozenset({"GET", "HEAD"})

# The path as the transport gets it (``rest/api/…`` below the base, or a whole URL); a query
# string never comes with these PUTs. ``[^/?]+`` is one path segment.
_SEGMENT = r"[^/?]+"
IDEMPOTENT_PUTS: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"(?:^|/)rest/api/space/{_SEGMENT}/permissions/(?:user|group)/{_SEGMENT}/(?:grant|revoke)$"
    ),
    re.compile(rf"(?:^|/)rest/api/space/{_SEGMENT}/permissions/anonymous/(?:grant|revoke)$"),
    re.compile(rf"(?:^|/)rest/api/user/{_SEGMENT}/group/{_SEGMENT}$"),
    re.compile(rf"(?:^|/)rest/api/content/{_SEGMENT}/move/(?:append|before|after)/{_SEGMENT}$"),
)


def version_guarded(body: object) -> bool:
    """Whether a request body names the version it writes (``{"version": {"number": n}}``):
    Confluence refuses such a PUT with 409 unless n is the current version + 1, so a second
    copy of it can never write again."""
    version = body.get("version") if isinstance(body, dict) else None
    number = version.get("number") if isinstance(version, dict) else None
    return isinstance(number, int) and not isinstance(number, bool)


def idempotent_put(path: str) -> bool:
    """Whether ``path`` is one of the PUTs a repeat of which changes nothing
    (:data:`IDEMPOTENT_PUTS`)."""
    return any(pattern.search(path) for pattern in IDEMPOTENT_PUTS)


def idempotent(method: str, *, guarded: bool = False) -> bool:
    """Whether sending the request twice leaves the wiki as sending it once: reads, DELETEs
    and PUTs that are ``guarded`` (a version guard, or :func:`idempotent_put`)."""
    method = method.upper()
    return method in READ_METHODS or method == "DELETE" or (method == "PUT" and guarded)


def safe_to_repeat(method: str, path: str, body: object) -> bool:
    """The ``guarded`` flag of one request: a PUT with a version guard or of a kind that is
    idempotent by definition."""
    return method.upper() == "PUT" and (version_guarded(body) or idempotent_put(path))


@dataclass(frozen=True)
class RetryableText:
    """A Confluence error text that means "try again", and why."""

    text: str
    reason: str


# Texts learned by sphinx-contrib/confluencebuilder on real sites. Each marks a rolled-back
# transaction: nothing was stored, so a retry cannot duplicate or clobber anything.
RETRYABLE_TEXTS: tuple[RetryableText, ...] = (
    RetryableText(
        "OptimisticLockException",
        "Hibernate lost a race between two writers; the losing transaction was rolled back",
    ),
    RetryableText(
        "UnexpectedRollbackException",
        "Spring rolled the transaction back (often a concurrent edit); nothing was stored",
    ),
    RetryableText(
        "Transaction rolled back",
        "the database rolled the write back; the request can be sent again as is",
    ),
    RetryableText(
        "unreconciled",
        "Cloud had not reconciled a previous change of the page yet; it settles in seconds",
    ),
)
