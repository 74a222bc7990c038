"""Settings from the environment and flags; secrets never shown."""

from __future__ import annotations

import pytest

from confluence_sync.settings import BasicAuth, BearerAuth, Settings, SettingsError, guess_flavour

TOKEN = "s3cr3t-T0KEN-value-123"


@pytest.mark.parametrize(
    ("url", "flavour"),
    [
        ("https://network.atlassian.net", "cloud"),
        ("https://network.atlassian.net/wiki", "cloud"),
        ("https://api.atlassian.com/ex/confluence/abc", "cloud"),
        ("https://wiki.example.org/confluence", "datacenter"),
        ("http://127.0.0.1:8090", "datacenter"),
        ("https://atlassian.net.example.org", "datacenter"),
    ],
)
def test_flavour_is_guessed_from_the_host(url: str, flavour: str) -> None:
    assert guess_flavour(url) == flavour


def test_no_url_means_the_embedded_wiki() -> None:
    settings = Settings.from_env({})
    assert settings.embedded and settings.auth() is None


def test_cloud_basic_auth_from_env() -> None:
    settings = Settings.from_env(
        {
            "CONFLUENCE_URL": "https://network.atlassian.net/",
            "CONFLUENCE_USERNAME": "admin@example.org",
            "CONFLUENCE_API_TOKEN": TOKEN,
        }
    )
    assert settings.url == "https://network.atlassian.net"
    assert settings.resolved_flavour == "cloud"
    auth = settings.auth()
    assert isinstance(auth, BasicAuth) and auth.secret.get_secret_value() == TOKEN


def test_pat_is_bearer_on_datacenter_and_flags_win_over_env() -> None:
    settings = Settings.from_env(
        {"CONFLUENCE_URL": "https://wiki.example.org", "CONFLUENCE_TOKEN": "from-env"},
        token=TOKEN,
        flavour="dc",
    )
    auth = settings.auth()
    assert settings.resolved_flavour == "datacenter"
    assert isinstance(auth, BearerAuth) and auth.token.get_secret_value() == TOKEN


def test_explicit_flavour_beats_the_guess() -> None:
    settings = Settings.from_env(
        {
            "CONFLUENCE_URL": "http://127.0.0.1:1/wiki",
            "CONFLUENCE_FLAVOUR": "cloud",
            "CONFLUENCE_USERNAME": "a",
            "CONFLUENCE_API_TOKEN": TOKEN,
        }
    )
    assert settings.resolved_flavour == "cloud"


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"CONFLUENCE_URL": "https://wiki.example.org"}, "no credentials"),
        ({"CONFLUENCE_URL": "https://wiki.example.org", "CONFLUENCE_USERNAME": "a"}, "API_TOKEN"),
        ({"CONFLUENCE_URL": "https://wiki.example.org", "CONFLUENCE_API_TOKEN": TOKEN}, "USERNAME"),
        ({"CONFLUENCE_URL": "https://x.atlassian.net", "CONFLUENCE_TOKEN": TOKEN}, "Cloud"),
        ({"CONFLUENCE_URL": "ftp://wiki.example.org", "CONFLUENCE_TOKEN": TOKEN}, "http"),
        ({"CONFLUENCE_URL": f"https://u:{TOKEN}@wiki.example.org"}, "password"),
        ({"CONFLUENCE_URL": "https://w.example.org", "CONFLUENCE_FLAVOUR": "server"}, "FLAVOUR"),
    ],
)
def test_bad_settings_explain_themselves_without_leaking(env: dict[str, str], words: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(env)
    assert words in str(caught.value)
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value)
    assert caught.value.exit_code == 2


def test_repr_and_str_and_dump_hide_secrets() -> None:
    settings = Settings.from_env(
        {
            "CONFLUENCE_URL": "https://wiki.example.org",
            "CONFLUENCE_USERNAME": "sync",
            "CONFLUENCE_API_TOKEN": TOKEN,
            "CONFLUENCE_TOKEN": TOKEN + "2",
        }
    )
    for shown in (repr(settings), str(settings), settings.model_dump_json(), repr(settings.auth())):
        assert TOKEN not in shown
    assert settings.secrets() == (TOKEN, TOKEN + "2")
