"""Cupcake Lab's service chassis: infrastructure every service shares, and nothing else.

Framework-free WSGI middleware and an outbound HTTP client, so Django, Flask and
Pyramid use them alike. No service logic lives here.
"""
