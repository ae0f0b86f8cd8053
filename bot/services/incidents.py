"""Incidents: open one, post updates to its timeline, resolve it, and translate an update later.

Every write that alerts is one transaction: the incident, its new update, one `incident` event
and its deliveries. A translation changes the text only: no event, no new alert.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.clock import to_db, utcnow
from bot.domain import (
    MAX_MESSAGE_LENGTH,
    MAX_TITLE_LENGTH,
    DomainError,
    Event,
    EventKind,
    Incident,
    IncidentStage,
    IncidentUpdate,
    NewIncident,
    Source,
    UnknownAsset,
)
from bot.services import EventListener, EventWriter
from bot.services.assets import AssetSelection, parse_assets
from bot.store import Database
from bot.store.repos import Repos

log = logging.getLogger(__name__)

MAX_RECENT = 100
MAX_ID = 2**63 - 1  # SQLite's largest integer: anything above names nothing
TRANSLATION_SUBJECT = (
    "incident_update"  # in the translations' audit trail and the untranslated list
)


class UnknownIncident(DomainError):
    category = "not_found"

    def __init__(self, given: object) -> None:
        super().__init__("unknown_incident", f"no incident #{given}", incident=given)


class UnknownIncidentUpdate(DomainError):
    category = "not_found"

    def __init__(self, given: object) -> None:
        super().__init__("unknown_incident_update", f"no incident update #{given}", update=given)


def check_message(text: str, *, required: bool = True) -> str:
    """The message stripped; refused when empty (if required) or over the limit, named."""
    cleaned = text.strip()
    if required and not cleaned:
        raise DomainError("message_empty", "the message may not be empty")
    if len(cleaned) > MAX_MESSAGE_LENGTH:
        raise DomainError(
            "message_too_long",
            f"the message is {len(cleaned)} characters; at most {MAX_MESSAGE_LENGTH} are allowed",
            length=len(cleaned),
            limit=MAX_MESSAGE_LENGTH,
        )
    return cleaned


def check_title(text: str, *, required: bool = True) -> str:
    cleaned = text.strip()
    if required and not cleaned:
        raise DomainError("title_empty", "the title may not be empty")
    if len(cleaned) > MAX_TITLE_LENGTH:
        raise DomainError(
            "title_too_long",
            f"the title is {len(cleaned)} characters; at most {MAX_TITLE_LENGTH} are allowed",
            length=len(cleaned),
            limit=MAX_TITLE_LENGTH,
        )
    return cleaned


def step_of(stage: IncidentStage, *, first: bool) -> str:
    """Which step of an incident an update is: what its alert's title says."""
    if first:
        return "opened"
    if stage in (IncidentStage.RESOLVED, IncidentStage.POSTMORTEM):
        return stage.value
    return "updated"


def incident_payload(incident: Incident, update: IncidentUpdate, step: str) -> dict[str, Any]:
    """What an incident alert renders, kept on its event."""
    return {
        "incident_id": incident.id,
        "update_id": update.id,
        "step": step,
        "title_ja": incident.title_ja,
        "title_en": incident.title_en,
        "stage": update.stage.value,
        "impact": incident.impact.value,
        "all_assets": incident.all_assets,
        "assets": list(incident.assets),
        "message_ja": update.message_ja,
        "message_en": update.message_en,
        "posted_at": to_db(update.posted_at),
    }


class IncidentService(EventWriter):
    def __init__(
        self,
        db: Database,
        *,
        on_event: EventListener | None = None,
        clock: Callable[[], datetime] = utcnow,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(db, on_event=on_event, clock=clock)
        # Called after a change that raises no event (a translation): readers must still see it.
        self._on_change = on_change

    # -- reads: what the page, the API, Discord and the CLI show ---------------------------

    async def list_open(self) -> list[Incident]:
        """Incidents not resolved yet, newest first, each with its timeline and losses."""
        return await self._db.repos.incidents.list_open()

    async def recent(self, limit: int = 20) -> list[Incident]:
        """Every incident, the most recently updated first."""
        return await self._db.repos.incidents.recent(max(1, min(limit, MAX_RECENT)))

    async def get(self, incident_id: int) -> Incident:
        if not 0 < incident_id <= MAX_ID:
            raise UnknownIncident(incident_id)
        found = await self._db.repos.incidents.get(incident_id)
        if found is None:
            raise UnknownIncident(incident_id)
        return found

    async def get_update(self, update_id: int) -> IncidentUpdate:
        if not 0 < update_id <= MAX_ID:
            raise UnknownIncidentUpdate(update_id)
        found = await self._db.repos.incidents.get_update(update_id)
        if found is None:
            raise UnknownIncidentUpdate(update_id)
        return found

    async def parse_assets(self, given: str) -> AssetSelection:
        """The assets an incident concerns (services.assets: the one parser)."""
        return await parse_assets(self._db.repos.assets, given)

    # -- writes ------------------------------------------------------------------------------

    async def open(self, new: NewIncident, *, actor: str, source: Source) -> tuple[Incident, Event]:
        """Open an incident with its first update, and alert `incidents` subscribers."""
        title_ja = check_title(new.title_ja)
        title_en = check_title(new.title_en, required=False)
        message_ja = check_message(new.message_ja)
        message_en = check_message(new.message_en, required=False)
        if new.stage.closed:
            raise DomainError("incident_opened_closed", "a new incident cannot start resolved")
        now = self._clock()
        async with self._db.transaction() as repos:
            codes = await self._known(repos, new.assets)
            incident_id = await repos.incidents.add(
                NewIncident(
                    title_ja=title_ja,
                    message_ja=message_ja,
                    impact=new.impact,
                    stage=new.stage,
                    title_en=title_en,
                    slug=new.slug,
                ),
                all_assets=not codes,
                assets=codes,
                actor=actor,
                source=source,
                started_at=now,
            )
            incident, event = await self._post(
                repos,
                incident_id,
                new.stage,
                message_ja,
                message_en,
                actor,
                source,
                now,
                first=True,
            )
        log.info("incident %d opened by %s (%s)", incident.id, actor, source)
        self._emit(event)
        return incident, event

    async def update(
        self,
        incident_id: int,
        stage: IncidentStage,
        message_ja: str,
        message_en: str = "",
        *,
        actor: str,
        source: Source,
    ) -> tuple[Incident, Event]:
        """Post an update at `stage`; after resolution only a postmortem is taken."""
        message_ja = check_message(message_ja)
        message_en = check_message(message_en, required=False)
        now = self._clock()
        async with self._db.transaction() as repos:
            current = await repos.incidents.get(incident_id) if 0 < incident_id <= MAX_ID else None
            if current is None:
                raise UnknownIncident(incident_id)
            self._check_step(current, stage)
            incident, event = await self._post(
                repos, incident_id, stage, message_ja, message_en, actor, source, now
            )
        log.info("incident %d: %s by %s (%s)", incident_id, stage, actor, source)
        self._emit(event)
        return incident, event

    async def resolve(
        self,
        incident_id: int,
        message_ja: str,
        message_en: str = "",
        *,
        actor: str,
        source: Source,
    ) -> tuple[Incident, Event]:
        return await self.update(
            incident_id,
            IncidentStage.RESOLVED,
            message_ja,
            message_en,
            actor=actor,
            source=source,
        )

    async def translate(
        self,
        update_id: int,
        message_en: str,
        *,
        actor: str,
        source: Source = Source.SYSTEM,
        title_en: str = "",
    ) -> IncidentUpdate:
        """Give one update its English text (and, with `title_en`, its incident's English title).
        The alert has gone out already: no new one; the translations' audit trail keeps who
        changed what and when."""
        message_en = check_message(message_en)
        title_en = check_title(title_en, required=False)
        now = self._clock()
        async with self._db.transaction() as repos:
            old = await repos.incidents.get_update(update_id) if 0 < update_id <= MAX_ID else None
            if old is None:
                raise UnknownIncidentUpdate(update_id)
            await repos.incidents.translate(update_id, message_en, actor=actor, now=now)
            await repos.translations.record(
                TRANSLATION_SUBJECT,
                str(update_id),
                "message_en",
                old.message_en,
                message_en,
                actor=actor,
                source=source,
                at=now,
            )
            if title_en:
                incident = await repos.incidents.get(old.incident_id)
                assert incident is not None
                await repos.incidents.translate_title(incident.id, title_en)
                await repos.translations.record(
                    "incident",
                    str(incident.id),
                    "title_en",
                    incident.title_en,
                    title_en,
                    actor=actor,
                    source=source,
                    at=now,
                )
            translated = await repos.incidents.get_update(update_id)
        assert translated is not None
        log.info("incident update %d translated by %s", update_id, actor)
        if self._on_change is not None:
            self._on_change()
        return translated

    # -- inside a transaction --------------------------------------------------------------

    @staticmethod
    def _check_step(incident: Incident, stage: IncidentStage) -> None:
        if stage is IncidentStage.RESOLVED and incident.stage.closed:
            raise DomainError(
                "incident_already_resolved",
                f"incident #{incident.id} is resolved already",
                incident=incident.id,
            )
        if stage is IncidentStage.POSTMORTEM and not incident.stage.closed:
            raise DomainError(
                "incident_not_resolved",
                f"incident #{incident.id} is not resolved yet: resolve it before its postmortem",
                incident=incident.id,
            )
        if incident.stage.closed and stage is not IncidentStage.POSTMORTEM:
            raise DomainError(
                "incident_closed",
                f"incident #{incident.id} is resolved: only a postmortem may follow",
                incident=incident.id,
            )

    @staticmethod
    async def _known(repos: Repos, codes: tuple[str, ...]) -> tuple[str, ...]:
        found: list[str] = []
        for code in codes:
            asset = await repos.assets.find(code)
            if asset is None:
                raise UnknownAsset(code)
            if asset.code not in found:
                found.append(asset.code)
        return tuple(found)

    async def _post(
        self,
        repos: Repos,
        incident_id: int,
        stage: IncidentStage,
        message_ja: str,
        message_en: str,
        actor: str,
        source: Source,
        now: datetime,
        *,
        first: bool = False,
    ) -> tuple[Incident, Event]:
        """The update row, the incident's new stage, its event and the event's deliveries."""
        update_id = await repos.incidents.add_update(
            incident_id, stage, message_ja, message_en, actor=actor, source=source, posted_at=now
        )
        await repos.incidents.set_stage(
            incident_id, stage, now=now, resolved=stage is IncidentStage.RESOLVED
        )
        incident = await repos.incidents.get(incident_id)
        update = await repos.incidents.get_update(update_id)
        assert incident is not None and update is not None
        # An incident about all assets concerns every subscriber's assets.
        codes = incident.assets or tuple(a.code for a in await repos.assets.all())
        event = await repos.events.add(
            EventKind.INCIDENT,
            actor=actor,
            source=source,
            payload=incident_payload(incident, update, step_of(stage, first=first)),
            assets=codes,
            created_at=now,
        )
        await repos.incidents.link_event(update_id, event.id)
        deliveries = await repos.outbox.fan_out(event)
        log.info("incident %d event %d: %d deliveries", incident_id, event.id, deliveries)
        linked = await repos.incidents.get(incident_id)
        assert linked is not None
        return linked, event

    def _emit(self, event: Event) -> None:
        self._announce(event)
