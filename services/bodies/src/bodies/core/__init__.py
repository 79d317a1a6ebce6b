"""HTTP plumbing shared by the service's apps: problems, caching, auth, logging, probes."""
