"""Reports with proof: a case or a window of the record as HTML and PDF, and their check against the record.

A shell package: it reads the record (``gatewatch.store``), the engine's state and the services,
and depends on nothing that depends on it (the CLI and the console call it).
"""
