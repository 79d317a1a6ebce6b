"""Django's SQLite backend, keeping storage faults within the deadline (``base``)."""
