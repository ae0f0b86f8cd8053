"""One leader among the service's processes, chosen by a lease row in the database."""

from bot.cluster.leadership import LEADER, STANDBY, Leadership

__all__ = ["LEADER", "STANDBY", "Leadership"]
