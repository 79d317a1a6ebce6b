"""The assembler: the lab page, composing cupcakes across the three services, baking them."""
