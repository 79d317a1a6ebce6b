"""The catalogue of cupcake bodies: model, admin, API and pictures."""
