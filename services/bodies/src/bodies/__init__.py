"""Cupcake Lab's bodies service: cupcake bodies over JSON/HTTP, built with Django."""
