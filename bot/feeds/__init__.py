"""The regulator feed watcher: fetch, parse safely, remember what was seen, alert what matches."""
