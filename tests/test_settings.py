"""Settings: the documented names and defaults, and one clear line for a bad value."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsProblem, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in list(os.environ):
        if name.startswith("BOT_"):
            monkeypatch.delenv(name)


def test_defaults() -> None:
    settings = load_settings()
    assert settings.database.path == Path("data/bot.sqlite3")
    assert settings.discord.token is None
    assert settings.discord.api_base == "https://discord.com/api/v10"
    assert settings.timezone == "Asia/Tokyo"
    assert settings.feeds.interval_seconds == 600
    assert settings.feeds.sources[0].url.endswith("fsaNewsListAll_rss2.xml")
    assert "テックビューロ" in settings.feeds.sources[0].keywords
    assert settings.delivery.rate_per_second == 45
    assert (settings.web.host, settings.web.port) == ("127.0.0.1", 8080)
    assert settings.maintenance.remind_before_hours == [24, 1]
    assert (settings.api.rate_per_second, settings.api.burst) == (10, 20)


def test_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_TIMEZONE=UTC\nBOT_DISCORD__GUILD_IDS=[42]\n")
    monkeypatch.setenv("BOT_DISCORD__OPERATOR_ROLE_IDS", "[1, 2]")
    monkeypatch.setenv("BOT_FEEDS__SOURCES", '[{"name": "en", "url": "http://x/", "keywords": []}]')
    settings = load_settings()
    assert settings.timezone == "UTC"
    assert settings.discord.guild_ids == [42]
    assert settings.discord.operator_role_ids == [1, 2]
    assert settings.feeds.sources[0].name == "en"


def test_maintenance_reminders_take_fractions_of_an_hour(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_MAINTENANCE__REMIND_BEFORE_HOURS", "[0.5, 48, 0.5]")
    assert load_settings().maintenance.remind_before_hours == [48, 0.5]


def test_token_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_DISCORD__TOKEN", "very-secret-token")
    settings = load_settings()
    assert settings.discord.token is not None
    assert settings.discord.token.get_secret_value() == "very-secret-token"
    assert "very-secret-token" not in repr(settings)
    assert "very-secret-token" not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BOT_TIMEZONE", "Mars/Olympus_Mons"),
        ("BOT_DISCORD__GUILD_IDS", "123,456"),
        ("BOT_FEEDS__INTERVAL_SECONDS", "-5"),
        ("BOT_WEB__PORT", "70000"),
        ("BOT_MAINTENANCE__REMIND_BEFORE_HOURS", "[24, 0]"),
        ("BOT_MAINTENANCE__REMIND_BEFORE_HOURS", "24h"),
        ("BOT_API__RATE_PER_SECOND", "0"),
        ("BOT_API__BURST", "0"),
    ],
)
def test_bad_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsProblem) as problem:
        load_settings()
    assert variable in str(problem.value)
    assert "\n" not in str(problem.value)


def test_settings_built_directly(tmp_path: Path) -> None:
    settings = Settings(database={"path": tmp_path / "x.sqlite3"})  # type: ignore[arg-type]
    assert settings.database.path == tmp_path / "x.sqlite3"
