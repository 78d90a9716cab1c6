"""Staging: landed source rows become one canonical staging table per entity kind (stg_person ...).

Every declared Mapping is read from the landing zone's current rows, its columns renamed to canonical fields and
standardized by the normalizer the field registry (fields.py) names; unusable values stay as NULL plus a status.
"""
