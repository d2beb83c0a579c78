"""The engine: site selection, candidate selection (the gates), passes, replay and the Cleaner."""
