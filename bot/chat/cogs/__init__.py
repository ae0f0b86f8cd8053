"""One cog per feature; each parses its options, calls a service and renders the reply."""
