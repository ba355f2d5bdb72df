"""What the API and the console share about an HTTP request (neither owns it)."""
