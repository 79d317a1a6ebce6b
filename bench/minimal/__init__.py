"""The baselines: each framework's minimal JSON view, served exactly like the services."""
