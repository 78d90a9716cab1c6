"""The three simulated legacy systems: table definitions and how each is written."""
