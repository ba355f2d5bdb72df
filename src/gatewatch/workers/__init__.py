"""The server's background workers, each started when the server starts and stopped when it stops.

- ``name_data``: starts the process that loads rigour's name data (its own interpreter, so no
  request or door waits for it), first of all, and stops it last;
- ``screening``: loads the watchlists' indexes at start, not at the first screening;
- ``retention``: redacts what the site's retention has let go, every hour;
- ``checkpoints``: signs checkpoints of the record while the server runs;
- ``doors``: starts the door drivers with the desk they call, and stops them (locking their doors).

Each worker is an async context manager: entering it starts the work without blocking the event
loop, leaving it stops the work. ``crew.running`` enters them all in order and leaves them in
reverse; ``crew.door_workers`` is where workers that keep time for the doors are added.
"""
