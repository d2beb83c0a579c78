"""Generic helpers that know no Cleaner: disk-cache files and an ordered, bounded parallel map."""
