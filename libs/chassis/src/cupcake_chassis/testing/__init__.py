"""Help for the services' test suites (needs pytest; never imported by a running service)."""
