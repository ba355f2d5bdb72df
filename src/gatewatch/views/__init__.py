"""Read models of the state, shared by the API and the console (neither owns them).

Pure functions from the engine's ``State`` (and the store's alerts) to the shapes in ``models``:
``board`` (zones, doors, posts), ``people`` (search, a person's file, how trust was built),
``invitations`` and ``alerts``.
"""
