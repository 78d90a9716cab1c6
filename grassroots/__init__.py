"""Grassroots topic library: the pipeline shared by the CLI and the Airflow DAGs."""

__version__ = "0.1.0"
