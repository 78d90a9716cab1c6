"""The simulated city: a true population of Xiantao, its three legacy systems with their faults, and ground truth.

``simulator.city.create`` builds a city, ``simulator.advance.advance`` moves its clock; docs/legacy-systems.md is the
contract of what they write.
"""
