"""Route tables: which handler serves a path below a mount point, on which flavour.

Imports: ``web.numbers`` (the path id converters) only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

from werkzeug.routing import BaseConverter, Map, Rule
from werkzeug.wrappers import Response

from confluence_sync.localwiki.web.numbers import PathId

Handler = Callable[..., Response]
FLAVOURS = ("dc", "cloud")
CLOUD = ("cloud",)
DC = ("dc",)


class RouteTable:
    """Rules plus handlers for one API tree (v1 or v2), matched below its mount point.

    A rule can be limited to one flavour: Cloud-only v1 routes (one-at-a-time permissions,
    group-by-id, move) do not exist on Data Center and vice versa (admin, 9.1+ permissions,
    archive, trash), so a client that uses the wrong one gets the 404 a real site gives.

    ``<int:...>`` in a rule is a Confluence id, not werkzeug's unbounded int: ``path_id``
    (default ``numbers.PathId``) turns one beyond a Java long into a ``BadId``, which the
    dispatcher refuses (see ``numbers.py``).
    """

    def __init__(self, path_id: type[BaseConverter] = PathId) -> None:
        self.converters: dict[str, type[BaseConverter]] = {"int": path_id}
        self.rules: list[Rule] = []
        self.rule_flavours: list[tuple[str, ...]] = []  # parallel to ``rules``
        self.handlers: dict[str, Handler] = {}
        self._maps: dict[str, Map] = {}
        self._lock = threading.Lock()

    def route(
        self,
        path: str,
        methods: Iterable[str],
        *,
        gone_on_cloud: bool = False,
        flavours: tuple[str, ...] = FLAVOURS,
    ) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            endpoint = f"{func.__module__}.{func.__name__}"
            if gone_on_cloud:
                setattr(func, "gone_on_cloud", True)  # noqa: B010 - a flag read in dispatch
            self.rules.append(Rule(path, methods=list(methods), endpoint=endpoint))
            self.rule_flavours.append(flavours)
            self.handlers[endpoint] = func
            self._maps = {}  # a later registration must show up in the next maps
            return func

        return register

    def rules_for(self, flavour: str) -> list[Rule]:
        return [
            rule
            for rule, allowed in zip(self.rules, self.rule_flavours, strict=True)
            if flavour in allowed
        ]

    def map_for(self, flavour: str) -> Map:
        # Built once per flavour, under a lock: request threads race here on a fresh server.
        # The rules are copied because a werkzeug Rule can belong to one Map only.
        current = self._maps.get(flavour)
        if current is None:
            with self._lock:
                current = self._maps.get(flavour)
                if current is None:
                    current = Map(
                        [rule.empty() for rule in self.rules_for(flavour)],
                        strict_slashes=False,
                        merge_slashes=True,
                        converters=self.converters,
                    )
                    self._maps[flavour] = current
        return current
