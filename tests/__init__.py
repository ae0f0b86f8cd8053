"""Test suite of the exchange status bot."""
