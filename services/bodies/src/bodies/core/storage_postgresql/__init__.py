"""Django's PostgreSQL backend, keeping lock waits within the deadline (``base``)."""
