"""Where did the page go: the probable new home of a dead page, on its own site, with evidence.

When a support organisation rebuilds its site, a page a guide links to often answers 404
with no redirect although it lives on at a new address. The pieces, each pure:

- `sitemap`: a site's sitemaps and robots.txt, read within bounds whatever the site sends;
- `candidates`: which sitemap addresses, on the same site, are worth fetching;
- `score`: how alike a fetched page is to the reviewed one, and which one to suggest;
- `archive`: the Internet Archive's copy of a dead page, for the reviewer.
"""
