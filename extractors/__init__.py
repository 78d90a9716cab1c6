"""Extraction: every legacy system into the landing zone, incrementally, nothing lost.

Declarations live in ``extractors.sources`` (one module per system, see docs/onboarding-a-source.md); the registry
(``extractors.registry``) lists them; ``extractors.run.sync`` (re-exported as ``grassroots.pipeline.sync``) runs them;
``extractors.landing.current_sql`` / ``changes_sql`` are how the next stage reads what landed.
"""
