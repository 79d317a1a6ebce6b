"""The service's views, registered by ``config.scan()``."""
