"""Head office: where the records of many guarded sites meet.

Each site keeps deciding on its own machine and ships every entry of its record, in order, over
NATS JetStream. Head office takes each site's entries into one PostgreSQL schema (the site id on
every row), checks each site's hash chain as it arrives and stops a site whose chain breaks,
finds the same document, phone or vehicle presented at two sites and tells both, publishes
watchlists to every site, and shows the union in its console. It runs on PostgreSQL only.
"""
