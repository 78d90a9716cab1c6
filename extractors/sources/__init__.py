"""Source declarations, one module per legacy system; each defines ``SOURCE`` (see docs/onboarding-a-source.md)."""
