"""Cupcake Lab's test support: a pytest plugin and helpers for the services' test suites.

A development dependency only: no running service imports it.
"""
