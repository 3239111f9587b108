"""Analysis of smpsim results: loading, the ticket-lock Markov model, plots."""

SCHEMA_VERSION = 1
