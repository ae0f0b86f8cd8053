"""Scheduled work that is not a front end: report-deadline reminders, maintenance windows."""
