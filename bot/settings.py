"""Settings, read once from the environment (prefix BOT_, nested with __) and an optional .env.

Built in `__main__` and handed to the application; tests build `Settings(...)` directly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

FSA_NEWS_RSS_JA = "https://www.fsa.go.jp/fsaNewsListAll_rss2.xml"
DEFAULT_FEED_KEYWORDS = ["テックビューロ", "Zaif", "暗号資産交換業", "仮想通貨交換業"]


class DatabaseSettings(BaseModel):
    path: Path = Path("./data/bot.sqlite3")
    # PostgreSQL (postgresql://user@host:5432/name): what several processes share. Unset, the
    # service keeps its data in the SQLite file at `path`.
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _postgresql_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// URL (leave it unset to use SQLite)")
        return value


class DiscordSettings(BaseModel):
    token: SecretStr | None = None
    api_base: str = "https://discord.com/api/v10"
    gateway_url: str = "wss://gateway.discord.gg/"
    guild_ids: list[int] = Field(default_factory=list)
    operator_role_ids: list[int] = Field(default_factory=list)
    operator_user_ids: list[int] = Field(default_factory=list)
    operator_channel_id: int | None = None

    @field_validator("token")
    @classmethod
    def _blank_token_is_none(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().strip():
            return None
        return value


class FeedSource(BaseModel):
    name: str = Field(min_length=1, max_length=64)
    url: str = Field(min_length=1)
    keywords: list[str] = Field(default_factory=list)


def _default_sources() -> list[FeedSource]:
    return [FeedSource(name="fsa-ja", url=FSA_NEWS_RSS_JA, keywords=list(DEFAULT_FEED_KEYWORDS))]


class FeedSettings(BaseModel):
    sources: list[FeedSource] = Field(default_factory=_default_sources)
    interval_seconds: float = Field(default=600, gt=0)
    timeout_seconds: float = Field(default=20, gt=0)
    max_bytes: int = Field(default=5_000_000, gt=0)


class DeliverySettings(BaseModel):
    # Discord grants large bots a higher global limit than 50/s; the default stays under 50.
    rate_per_second: float = Field(default=45, gt=0, le=1000)
    poll_seconds: float = Field(default=2, gt=0)
    max_age_seconds: float = Field(default=6 * 3600, gt=0)
    concurrency: int = Field(default=32, gt=0, le=512)
    # New DM channels opened per minute, cluster-wide (Discord answers 40003 to a faster pace).
    dm_opens_per_minute: float = Field(default=30, gt=0, le=6000)


class WebSettings(BaseModel):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    public_url: str = ""


def _default_leads() -> list[float]:
    return [24.0, 1.0]


class MaintenanceSettings(BaseModel):
    # Hours before a window's start at which its assets' subscribers are reminded; fractions
    # allowed (0.5 is half an hour).
    remind_before_hours: list[float] = Field(default_factory=_default_leads)

    @field_validator("remind_before_hours")
    @classmethod
    def _positive(cls, value: list[float]) -> list[float]:
        if any(lead <= 0 for lead in value):
            raise ValueError("every lead time must be more than 0 hours")
        return sorted(set(value), reverse=True)


class ApiSettings(BaseModel):
    # Writes per token and second, cluster-wide, and how many may come at once after a pause.
    rate_per_second: float = Field(default=10, gt=0, le=100_000)
    burst: int = Field(default=20, ge=1, le=100_000)


class ClusterSettings(BaseModel):
    # The leader's lease: it renews every third of it, a standby takes over once it runs out.
    lease_seconds: float = Field(default=10.0, ge=1.0, le=300.0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BOT_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    feeds: FeedSettings = Field(default_factory=FeedSettings)
    delivery: DeliverySettings = Field(default_factory=DeliverySettings)
    web: WebSettings = Field(default_factory=WebSettings)
    maintenance: MaintenanceSettings = Field(default_factory=MaintenanceSettings)
    cluster: ClusterSettings = Field(default_factory=ClusterSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)
    timezone: str = "Asia/Tokyo"
    log_level: str = "INFO"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"unknown log level {value!r}")
        return level

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class SettingsProblem(Exception):
    """A setting that stops start-up, as one line naming the variable."""


def load_settings() -> Settings:
    """Read the settings, turning pydantic's reports into one line per bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = "BOT_" + "__".join(str(part).upper() for part in error["loc"] if part != "")
            lines.append(f"{name}: {error['msg']}")
        raise SettingsProblem("; ".join(lines)) from None
    except SettingsError as exc:
        # pydantic-settings names the section, not the variable: find the value that is not JSON.
        raise SettingsProblem(_name_unparsable(os.environ) or f"bad setting: {exc}") from None


def _name_unparsable(environ: Mapping[str, str]) -> str | None:
    for section, info in Settings.model_fields.items():
        model = info.annotation
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        for name, field in model.model_fields.items():
            variable = f"BOT_{section}__{name}".upper()
            raw = environ.get(variable)
            if raw is None or get_origin(field.annotation) not in (list, dict):
                continue
            try:
                json.loads(raw)
            except ValueError:
                return f'{variable}: not a JSON list, e.g. ["1234"] (got {raw[:40]!r})'
    return None
