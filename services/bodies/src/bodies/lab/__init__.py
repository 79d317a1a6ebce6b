"""The lab's own tooling, over the assembler's domain: the page at ``/`` and the chaos drawer."""
