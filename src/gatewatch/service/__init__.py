"""The service layer: what the guard desk does with the engine and the record together."""
