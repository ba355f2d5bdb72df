"""A site's side of many sites: its record streamed to head office, and what head office sends back.

``wire`` names the streams, subjects and messages both sides share; ``marks`` and ``privacy`` say
what of an entry is compared across sites and how identity fields are withheld; ``publisher``
streams the record from the cursor kept in the site's database; ``inbox`` takes links and
watchlist versions addressed to the site.
"""
