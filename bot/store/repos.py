"""All repositories over one connection: what a transaction (or a plain read) hands out."""

from __future__ import annotations

from bot.store.assets import AssetRepo
from bot.store.audit import AuditRepo
from bot.store.budgets import BudgetRepo
from bot.store.channel_types import ChannelTypeRepo
from bot.store.dm_channels import DmChannelRepo
from bot.store.estimates import EstimateRepo
from bot.store.events import EventRepo
from bot.store.fan_outs import FanOutRepo
from bot.store.feeds import FeedRepo
from bot.store.heartbeats import HeartbeatRepo
from bot.store.idempotency import IdempotencyRepo
from bot.store.incidents import IncidentRepo
from bot.store.leases import LeaseRepo
from bot.store.maintenances import MaintenanceRepo
from bot.store.mentions import MentionRepo
from bot.store.orders import OrderRepo
from bot.store.outbox import OutboxRepo
from bot.store.publishes import PublishRepo
from bot.store.reminders import ReminderRepo
from bot.store.report import ReportRepo
from bot.store.sql import Sql
from bot.store.status import StatusRepo
from bot.store.subscriptions import SubscriptionRepo
from bot.store.tokens import TokenRepo
from bot.store.translations import TranslationRepo
from bot.store.welcomes import WelcomeRepo


class Repos:
    def __init__(self, connection: Sql) -> None:
        self.dialect = connection.dialect
        self.assets = AssetRepo(connection)
        self.status = StatusRepo(connection)
        self.events = EventRepo(connection)
        self.outbox = OutboxRepo(connection)
        self.subscriptions = SubscriptionRepo(connection)
        self.orders = OrderRepo(connection)
        self.dm_channels = DmChannelRepo(connection)
        self.budgets = BudgetRepo(connection)
        self.welcomes = WelcomeRepo(connection)
        self.publishes = PublishRepo(connection)
        self.mentions = MentionRepo(connection)
        self.channel_types = ChannelTypeRepo(connection)
        self.feeds = FeedRepo(connection)
        self.reminders = ReminderRepo(connection)
        self.incidents = IncidentRepo(connection)
        self.estimates = EstimateRepo(connection)
        self.translations = TranslationRepo(connection)
        self.leases = LeaseRepo(connection)
        self.maintenances = MaintenanceRepo(connection)
        self.tokens = TokenRepo(connection)
        self.idempotency = IdempotencyRepo(connection)
        self.heartbeats = HeartbeatRepo(connection)
        self.audit = AuditRepo(connection)
        self.report = ReportRepo(connection)
        self.fan_outs = FanOutRepo(connection)
