"""The ``/api/v1`` blueprints: catalogue reads, catalogue edits, a frosting's toppings."""
