"""Reading site and drill files (YAML) from disk, for the CLI and the server."""
