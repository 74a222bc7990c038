"""An admin's own template folder: used where present, sandboxed, falls back to ours."""

from __future__ import annotations

from pathlib import Path

import pytest

from confluence_sync.wanted.build import build_wanted
from confluence_sync.wanted.render import Renderer, TemplateError
from confluence_sync.wiki.storage import StorageFormatError

from .conftest import TODAY, nasty_config


def write(folder: Path, name: str, text: str, language: str = "de") -> Path:
    target = folder / language / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return folder


def test_custom_template_is_used_and_others_fall_back_to_ours(tmp_path: Path) -> None:
    write(
        tmp_path,
        "archive.j2",
        '{% import "macros.j2" as m %}{% call m.managed("archive") %}'
        "<p>Unser Archiv für {{ group.name }}</p>{% endcall %}",
    )
    wiki = build_wanted(nasty_config("de"), today=TODAY, template_dir=tmp_path)
    archive = wiki.page("group/UPX/archive").regions["archive"].content
    escaped_name = "Arbeitskreis &lt;Umwelt&gt; &amp; &#34;Perspektiven&#34;"
    assert archive == f"\n<p>Unser Archiv für {escaped_name}</p>\n"
    ours = build_wanted(nasty_config("de"), today=TODAY)
    assert wiki.page("group/UPX/meetings") == ours.page("group/UPX/meetings")
    assert wiki.page("group/UPX/archive") != ours.page("group/UPX/archive")


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ group.__class__.__init__.__globals__ }}",
        "{{ network.model_config.__class__ }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_sandbox_stops_attribute_tricks(tmp_path: Path, attack: str) -> None:
    write(tmp_path, "archive.j2", f"<p>{attack}</p>")
    with pytest.raises(TemplateError, match="sandbox forbids"):
        build_wanted(nasty_config("de"), today=TODAY, template_dir=tmp_path)


def test_our_templates_are_not_sandboxed_but_custom_ones_are(tmp_path: Path) -> None:
    from jinja2.sandbox import SandboxedEnvironment

    assert not isinstance(Renderer("de").environment, SandboxedEnvironment)
    assert isinstance(Renderer("de", tmp_path).environment, SandboxedEnvironment)


def test_undefined_value_fails_loudly(tmp_path: Path) -> None:
    write(tmp_path, "archive.j2", "<p>{{ group.nmae }}</p>")
    with pytest.raises(TemplateError, match="undefined"):
        build_wanted(nasty_config("de"), today=TODAY, template_dir=tmp_path)


def test_custom_template_cannot_emit_broken_storage_format(tmp_path: Path) -> None:
    write(tmp_path, "archive.j2", "<p>{{ group.name | safe }}</p>")
    with pytest.raises(StorageFormatError, match="archive"):
        build_wanted(nasty_config("de"), today=TODAY, template_dir=tmp_path)


def test_syntax_error_names_the_file(tmp_path: Path) -> None:
    write(tmp_path, "archive.j2", "<p>{% if %}</p>")
    with pytest.raises(TemplateError, match=r"archive\.j2, line 1"):
        build_wanted(nasty_config("de"), today=TODAY, template_dir=tmp_path)


def test_damaged_region_markup_in_a_custom_template_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "archive.j2", "{{ region_begin('archive') }}<p>kein Ende</p>")
    with pytest.raises(TemplateError, match="end delimiter"):
        build_wanted(nasty_config("de"), today=TODAY, template_dir=tmp_path)


def test_english_custom_folder_is_per_language(tmp_path: Path) -> None:
    write(tmp_path, "archive.j2", "<p>nur deutsch</p>", language="de")
    wiki = build_wanted(nasty_config("en"), today=TODAY, template_dir=tmp_path)
    assert "nur deutsch" not in wiki.page("group/UPX/archive").body


def test_bad_region_name_names_the_template(tmp_path: Path) -> None:
    write(tmp_path, "archive.j2", "{{ region_begin('Mein Bereich') }}")
    with pytest.raises(TemplateError, match=r"template 'archive'.*bad region name"):
        build_wanted(nasty_config("de"), today=TODAY, template_dir=tmp_path)
