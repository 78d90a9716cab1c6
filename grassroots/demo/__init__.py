"""The demo's steps: a simulated city, the DAGs run through Airflow, a local mail sink, and example questions."""
