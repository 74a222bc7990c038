"""The documentation: its YAML and JSON examples parse, the Kubernetes and CI examples hold
what the text promises, links resolve, and the README keeps the set-up commands CI relies on."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from confluence_sync.config import load_config_text

REPO = Path(__file__).resolve().parents[2]
DOCS = sorted((REPO / "docs").glob("*.md"))
PAGES = [
    REPO / "README.md",
    REPO / "CHANGELOG.md",
    REPO / "confluence_sync" / "localwiki" / "README.md",
    *DOCS,
]
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _blocks(page: Path, language: str) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [body for lang, body in FENCE.findall(text) if lang == language]


def _automation_documents() -> list[Any]:
    documents: list[Any] = []
    for block in _blocks(REPO / "docs" / "automation.md", "yaml"):
        documents += [d for d in yaml.safe_load_all(block) if d is not None]
    return documents


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_the_pages_exist() -> None:
    names = {page.name for page in DOCS}
    assert {"automation.md", "config-reference.md", "localwiki.md"} <= names
    assert (REPO / "LICENSE").is_file() and (REPO / "CHANGELOG.md").is_file()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_yaml_and_json_block_parses(page: Path) -> None:
    for block in _blocks(page, "yaml"):
        list(yaml.safe_load_all(block))
    for block in _blocks(page, "json"):
        json.loads(block)


def test_the_automation_page_has_every_promised_example() -> None:
    text = (REPO / "docs" / "automation.md").read_text(encoding="utf-8")
    assert len(_blocks(REPO / "docs" / "automation.md", "yaml")) == 3  # GitHub, GitLab, k8s
    assert "crontab" in text and "flock" in text
    github, gitlab, *kubernetes = _automation_documents()
    # GitHub: plan on pull requests, sync on main, the token from the secret store.
    assert github["jobs"]["plan"]["if"] == "github.event_name == 'pull_request'"
    assert "refs/heads/main" in github["jobs"]["sync"]["if"]
    assert github["concurrency"]["cancel-in-progress"] is False
    steps = [s for job in github["jobs"].values() for s in job["steps"]]
    tokens = [
        s["env"]["CONFLUENCE_API_TOKEN"]
        for s in steps
        if "CONFLUENCE_API_TOKEN" in s.get("env", {})
    ]
    assert tokens and set(tokens) == {"${{ secrets.CONFLUENCE_API_TOKEN }}"}
    # GitLab: plan only on merge requests, sync only on the default branch, one at a time.
    assert gitlab["plan"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert gitlab["sync"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert gitlab["sync"]["resource_group"] == "confluence-sync"
    assert "CONFLUENCE_API_TOKEN" not in gitlab["variables"]
    kinds = [d["kind"] for d in kubernetes]
    assert kinds.count("CronJob") == kinds.count("ConfigMap") >= 2 and kinds.count("Secret") == 1


def test_each_kubernetes_cronjob_runs_one_network_from_its_own_config_map() -> None:
    documents = _automation_documents()[2:]
    maps = {d["metadata"]["name"]: d for d in documents if d["kind"] == "ConfigMap"}
    secrets = {d["metadata"]["name"] for d in documents if d["kind"] == "Secret"}
    used: list[str] = []
    for job in (d for d in documents if d["kind"] == "CronJob"):
        spec = job["spec"]
        assert spec["concurrencyPolicy"] == "Forbid"
        pod = spec["jobTemplate"]["spec"]["template"]["spec"]
        assert pod["restartPolicy"] == "Never"  # podFailurePolicy needs it
        [container] = pod["containers"]
        assert container["args"] == ["sync", "/config/network.yaml"]
        assert {s["secretRef"]["name"] for s in container["envFrom"]} <= secrets
        [volume] = pod["volumes"]
        used.append(volume["configMap"]["name"])
    assert sorted(used) == sorted(maps)  # one job per network, each with its own config
    keys = set()
    for config_map in maps.values():
        config = load_config_text(config_map["data"]["network.yaml"], file="configmap")
        keys.add(config.network.key)
    assert len(keys) == len(maps)


def test_the_token_is_never_written_into_an_example() -> None:
    # Only the Kubernetes Secret names a value, and that one says to replace it.
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for value in re.findall(r"CONFLUENCE_(?:API_)?TOKEN[:=] ?(\S+)", text):
            # `${{ secrets.… }}`, the README's "`CONFLUENCE_TOKEN=` the token", a stand-in
            assert value in ("${{", "`", "replace-me"), (page.name, value)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page: Path) -> None:
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if "://" in target or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        assert file.exists(), (page.name, target)
        if anchor and file.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), re.MULTILINE)
            assert anchor in {_slug(h) for h in headings}, (page.name, target)


def test_the_readme_keeps_the_set_up_commands_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shell = _blocks(REPO / "README.md", "sh")
    assert "pip install . && confluence-sync sync config.example.yaml\n" in shell
    assert "pip install -e '.[dev]' && pytest\n" in shell
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet --disable-pip-version-check -e '.[dev]'" in ci
    assert "python -m pytest" in ci
    exit_table = readme[readme.index("## Exit codes") :].split("\n\n")[1]
    codes = re.findall(r"^\| (\d+) \|", exit_table, re.MULTILINE)
    assert codes == [str(code) for code in range(10)]


def test_the_readme_points_at_the_moved_local_wiki_page() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    moved = (REPO / "docs" / "localwiki.md").read_text(encoding="utf-8")
    assert "docs/localwiki.md" in readme
    for internal in ("/__localwiki/faults", "Admin account", "`--fault SPEC`", "Journal"):
        assert internal in moved and internal not in readme
