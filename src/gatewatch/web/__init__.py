"""The guard desk's console: server-rendered pages (Jinja2) over the service layer, kept live by
one small script listening to the outcome stream."""
