"""Step handlers, grouped by what happens at the site: each takes the state and one event
and returns an ``Effect``. The rules they call live in ``gatewatch.core.rules``."""
