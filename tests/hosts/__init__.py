"""Multi-host tests: the lab spread over network namespaces."""
