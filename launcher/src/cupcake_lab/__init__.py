"""The cupcake-lab command: start, watch and break the local Cupcake Lab."""
