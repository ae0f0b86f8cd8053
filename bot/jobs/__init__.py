"""Scheduled work that is not a front end: the report-deadline reminders."""
