"""The service's counters, in one registry per Application (no process-wide globals).

prometheus_client renders the text format that /metrics serves; components receive the
`Metrics` object and count what they do.
"""

from __future__ import annotations

from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, generate_latest


class LeaderState(Protocol):
    @property
    def leading(self) -> bool: ...

    @property
    def term(self) -> int: ...

    @property
    def role(self) -> str: ...

    @property
    def identity(self) -> str: ...

    @property
    def leader(self) -> str | None: ...


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.deliveries = Counter(
            "bot_deliveries_total",
            "Alert deliveries by outcome (sent, failed, expired, retried)",
            ["outcome", "transport"],
            registry=self.registry,
        )
        self.deliveries_pending = Gauge(
            "bot_deliveries_pending", "Deliveries waiting to be sent", registry=self.registry
        )
        self.delivery_queue = Gauge(
            "bot_delivery_queue",
            "Deliveries queued (due or waiting to be tried again), by lane",
            ["lane"],
            registry=self.registry,
        )
        self.delivery_lag = Gauge(
            "bot_delivery_lag_seconds",
            "Age of the oldest delivery still queued, by lane",
            ["lane"],
            registry=self.registry,
        )
        self.delivery_eta = Gauge(
            "bot_delivery_eta_seconds",
            "Estimated seconds until the last recipient of the fan-outs under way has the alert",
            registry=self.registry,
        )
        self.untranslated = Gauge(
            "bot_untranslated_texts",
            "Texts customers read that have no English version yet",
            registry=self.registry,
        )
        self.cluster_leader = Gauge(
            "bot_cluster_leader", "1 while this process leads the cluster", registry=self.registry
        )
        self.cluster_term = Gauge(
            "bot_cluster_term", "The lease's term this process last saw", registry=self.registry
        )
        # Who this process is and whom it sees leading: which replica to look at, from any.
        self.cluster = Info(
            "bot_cluster",
            "This process's role and identity, and the leader's",
            registry=self.registry,
        )
        self.feed_polls = Counter(
            "bot_feed_polls_total", "Regulator feed polls", ["feed"], registry=self.registry
        )
        self.feed_failures = Counter(
            "bot_feed_failures_total",
            "Regulator feed polls that failed, by kind of failure",
            ["feed", "kind"],
            registry=self.registry,
        )
        self.command_latency = Histogram(
            "bot_command_latency_seconds",
            "Time from a slash command arriving to its reply",
            ["command"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0),
            registry=self.registry,
        )
        self.status_changes = Counter(
            "bot_status_changes_total",
            "Status changes written, by source",
            ["source"],
            registry=self.registry,
        )

        # Read from the database at each scrape, so every replica tells the same.
        self.heartbeat_age = Gauge(
            "bot_heartbeat_age_seconds",
            "Seconds since each heartbeat's last beat (the database's clock)",
            ["name"],
            registry=self.registry,
        )
        self.heartbeat_tripped = Gauge(
            "bot_heartbeat_tripped",
            "1 while a silent heartbeat holds its pairs delayed",
            ["name"],
            registry=self.registry,
        )

    def heartbeats_seen(self, states: dict[str, tuple[float, bool]]) -> None:
        """Each heartbeat's age and whether it is tripped; removed ones disappear."""
        for gauge in (self.heartbeat_age, self.heartbeat_tripped):
            gauge.clear()
        for name, (age, tripped) in states.items():
            self.heartbeat_age.labels(name=name).set(age)
            self.heartbeat_tripped.labels(name=name).set(1 if tripped else 0)

    def cluster_changed(self, leadership: LeaderState) -> None:
        self.cluster_leader.set(1 if leadership.leading else 0)
        self.cluster_term.set(leadership.term)
        self.cluster.info(
            {
                "role": leadership.role,
                "identity": leadership.identity,
                "leader": leadership.leader or "",
            }
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
