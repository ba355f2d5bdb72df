"""The HTTP API: FastAPI routes around the service layer, under ``/v1``."""
