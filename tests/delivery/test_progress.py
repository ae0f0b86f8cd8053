"""A fan-out's figures without I/O: reached per lane, failures by reason, queued, rate, time to
go, the totals once done, in both languages; and how often the message may be edited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.deliveries import FanOutCounts
from bot.domain.lanes import Lane
from bot.i18n import Lang
from bot.services.progress import duration, edit_due, embed, progress, reason_of, text

START = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def counts(states: dict[tuple[int, str], int], **more: object) -> FanOutCounts:
    errors = more.get("errors", {})
    last = more.get("last_sent_at")
    return FanOutCounts(7, START, states, errors, last)  # type: ignore[arg-type]


def test_figures_while_the_fan_out_goes() -> None:
    going = counts(
        {
            (Lane.OPERATORS, "sent"): 1,
            (Lane.CHANNELS, "sent"): 200,
            (Lane.DMS, "sent"): 1_000,
            (Lane.DMS, "pending"): 8_000,
            (Lane.DMS, "failed"): 30,
            (Lane.DMS, "merged"): 50,
            (Lane.DMS, "held"): 20,
            (Lane.WEBHOOKS, "sent"): 48,
            (Lane.WEBHOOKS, "failed"): 2,
        },
        errors={
            ("403 50007: Cannot send messages to this user", "failed"): 25,
            ("subscription disabled: 404 10003: Unknown Channel", "failed"): 5,
            ("webhook answered 500", "failed"): 2,
        },
    )
    figures = progress(going, START + timedelta(seconds=25))
    by_lane = {lane.lane: (lane.reached, lane.total) for lane in figures.lanes}
    assert by_lane == {
        Lane.OPERATORS: (1, 1),
        Lane.CHANNELS: (200, 200),
        Lane.DMS: (1_000, 9_050),
        Lane.WEBHOOKS: (48, 50),
    }
    assert (figures.reached, figures.total, figures.queued) == (1_249, 9_301, 8_000)
    # A target switched off after "unknown channel" is counted by that cause.
    assert figures.failures == {"dm_closed": 25, "unknown_channel": 5, "webhook": 2}
    assert figures.rate == 1_249 / 25
    assert figures.eta == 8_000 / (1_249 / 25)
    assert not figures.done
    shown = embed(figures, Lang.EN)
    assert shown["title"] == "Delivering event #7"
    assert shown["description"] == "1249/9301 reached"
    fields = {f["name"]: f["value"] for f in shown["fields"]}
    assert fields["DMs"] == "1000/9050" and fields["Webhooks"] == "48/50"
    assert fields["Failed"] == "DMs closed 25, unknown channel 5, webhook errors 2"
    assert fields["Queued"] == "8000" and fields["Rate"] == "50.0/s"
    assert fields["Time to the last (estimate)"] == "2m 40s"
    assert fields["Merged into newer alerts"] == "50"
    assert embed(figures, Lang.JA)["title"] == "配信状況: イベント #7"


def test_the_last_figures_give_the_totals_and_the_time_it_took() -> None:
    finished = counts(
        {(Lane.DMS, "sent"): 399, (Lane.DMS, "expired"): 1},
        errors={("network: timeout", "expired"): 1},
        last_sent_at=START + timedelta(seconds=222),
    )
    figures = progress(finished, START + timedelta(hours=1))
    assert figures.done and figures.elapsed == 222 and figures.eta == 0
    assert figures.failures == {"expired": 1}
    assert text(figures).splitlines() == [
        "Delivered event #7",
        "399/400 reached",
        "  DMs: 399/400",
        "  Failed: expired 1",
        "  Took: 3m 42s",
        "  Rate: 1.8/s",
    ]
    assert "所要時間" in {f["name"] for f in embed(figures, Lang.JA)["fields"]}


def test_failures_are_named_by_what_an_operator_can_do() -> None:
    assert reason_of("403 50007: Cannot send messages to this user") == "dm_closed"
    assert reason_of("404 10003: Unknown Channel") == "unknown_channel"
    assert reason_of("webhook answered 410") == "webhook"
    assert reason_of("network: ClientConnectorError") == "network"
    assert reason_of("subscription disabled: no signing secret") == "disabled"
    assert reason_of("subscription or event is gone") == "other"
    assert reason_of(None, "expired") == "expired"


def test_an_edit_at_most_every_five_seconds() -> None:
    assert edit_due(START, None)
    assert not edit_due(START + timedelta(seconds=4.9), START)
    assert edit_due(START + timedelta(seconds=5), START)
    assert duration(3_725) == "1h 02m 05s" and duration(None) == "-"
