"""The command line: ``gatewatch drill`` and friends."""
