"""Deciding what a fact is about: its region (regions.py, with anaphora.py) and its period
(periods.py). Rules are named units in an explicit order; each answer says which rule gave it."""
