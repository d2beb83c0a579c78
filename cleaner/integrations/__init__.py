"""Bridges to other engines: a datatrove pipeline step and a Scrapy item pipeline.

Nothing here is imported by ``import cleaner``: import the submodule you need,
``cleaner.integrations.datatrove`` (needs ``residue-cleaner[datatrove]``) or
``cleaner.integrations.scrapy`` (works without Scrapy; ``residue-cleaner[scrapy]`` for Scrapy Items).
"""
