"""Statistics commands: measure, limit, discovery (filled in by the stats stage)."""
