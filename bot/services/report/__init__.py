"""The notification report: every event of a period with whom its alerts reached and when, for
the exchange to hand to its regulator. Counts only: no recipient's identity appears in it."""

from bot.services.report.build import ReportService, period, redact
from bot.services.report.model import NotificationReport

__all__ = ["NotificationReport", "ReportService", "period", "redact"]
