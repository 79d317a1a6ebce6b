"""The per-request cost table: CPU microseconds per request, measured in-process."""
