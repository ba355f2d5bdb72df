"""The pure core: site model, events, state, rules and the engine's ``step``.

Nothing in this package does I/O, reads a clock or keeps globals that change; nothing here
imports from the shell packages around it (``gatewatch.files``, ``gatewatch.cli``).
"""
