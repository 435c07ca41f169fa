"""Passages to a searchable store on disk, and retrieval over it."""
