"""Render wiki pages from Jinja2 templates into checked Confluence storage format.

Our templates live in ``templates/`` (shipped as the package ``confluence_sync.templates``):
``templates/<language>/<page>.j2`` per network language plus ``templates/common/`` for
language-neutral macros. They are read through :mod:`importlib.resources`, so an editable
checkout and an installed wheel behave the same.

Every environment escapes for XML (autoescape on for every template, whatever its name) and
uses ``StrictUndefined``, so a config string can never inject markup and a typo in a template
fails loudly instead of rendering an empty cell. Every rendered body is parsed strictly
(:func:`confluence_sync.wiki.storage.scan`) before anyone sees it.

An admin may point the config at a folder of their own templates (same layout). Then the
environment is a :class:`jinja2.sandbox.SandboxedEnvironment`: attribute tricks such as
``''.__class__.__mro__`` raise :class:`TemplateError`. A template missing from the admin's
folder falls back to ours, per file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Final

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from confluence_sync.config.model import Language
from confluence_sync.errors import ConfluenceSyncError
from confluence_sync.wiki.regions import RegionError, delimiter, scan_regions

TEMPLATE_PACKAGE: Final = "confluence_sync.templates"
COMMON: Final = "common"


class TemplateError(ConfluenceSyncError):
    """A page template is missing, broken, unsafe, or rendered invalid storage format."""


@dataclass(frozen=True)
class RenderedPage:
    """One rendered page body and its managed regions by name."""

    template: str
    body: str
    regions: Mapping[str, str]


class _PackageLoader(jinja2.BaseLoader):
    """Our templates, from package data: ``<language>/<name>`` first, then ``common/<name>``."""

    def __init__(self, language: str) -> None:
        self._root = files(TEMPLATE_PACKAGE)
        self._folders = (language, COMMON)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        for folder in self._folders:
            resource = self._root.joinpath(folder, template)
            if resource.is_file():
                # Package data does not change while we run: always up to date.
                return resource.read_text(encoding="utf-8"), None, lambda: True
        raise jinja2.TemplateNotFound(template)


def _loader(language: str, template_dir: Path | None) -> jinja2.BaseLoader:
    ours = _PackageLoader(language)
    if template_dir is None:
        return ours
    theirs = jinja2.FileSystemLoader(
        [str(template_dir / language), str(template_dir / COMMON)], encoding="utf-8"
    )
    return jinja2.ChoiceLoader([theirs, ours])


def _region_marker(kind: str) -> Callable[[str], Markup]:
    def marker(name: str) -> Markup:
        return Markup(delimiter("begin" if kind == "begin" else "end", name))

    return marker


def make_environment(language: Language, template_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for ``language``; sandboxed when ``template_dir`` is given."""
    options: dict[str, Any] = {
        "loader": _loader(language, template_dir),
        "autoescape": True,  # every template, whatever its file name: storage format is XML
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "auto_reload": False,
    }
    environment = (
        SandboxedEnvironment(**options)
        if template_dir is not None
        else jinja2.Environment(**options)
    )
    environment.globals.update(
        region_begin=_region_marker("begin"),
        region_end=_region_marker("end"),
        language=language,
    )
    return environment


class Renderer:
    """Renders the page templates of one network language."""

    def __init__(self, language: Language, template_dir: Path | None = None) -> None:
        self.language = language
        self.template_dir = template_dir
        self.environment = make_environment(language, template_dir)

    def render(self, template: str, context: Mapping[str, object]) -> RenderedPage:
        """Render ``<template>.j2`` with ``context``; the body is checked storage format."""
        where = f"template {template!r} ({self.language})"
        try:
            body = self.environment.get_template(f"{template}.j2").render(context)
        except jinja2.exceptions.SecurityError as error:
            raise TemplateError(
                f"{where} tried something the sandbox forbids: {error}",
                hint="custom templates may read the values they are given, nothing else",
            ) from None
        except jinja2.TemplateNotFound as error:
            raise TemplateError(f"{where}: template {error.name!r} not found") from None
        except jinja2.UndefinedError as error:
            raise TemplateError(
                f"{where} used an undefined value: {error}",
                hint="see templates/README.md for the values each page template gets",
            ) from None
        except jinja2.TemplateSyntaxError as error:
            raise TemplateError(
                f"{where}: syntax error in {error.name or error.filename}, line {error.lineno}: "
                f"{error.message}"
            ) from None
        except jinja2.TemplateError as error:
            raise TemplateError(f"{where}: {error}") from None
        except RegionError as error:  # e.g. region_begin("Bad Name") in a custom template
            raise TemplateError(f"{where}: {error.message}", hint=error.hint) from None
        # One strict parse both checks the storage format and finds the regions.
        found = scan_regions(body, what=f"the page rendered from {where}")
        if found.problems:
            raise TemplateError(f"{where}: " + "; ".join(p.message for p in found.problems))
        regions = {name: region.content for name, region in found.regions.items()}
        return RenderedPage(template, body, regions)
