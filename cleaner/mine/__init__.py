"""The site-pack miner: propose rules from what recurs across a site's pages, write and score them."""
