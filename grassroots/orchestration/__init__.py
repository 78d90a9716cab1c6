"""What the Airflow DAGs run: one function per task, plus the Airflow-specific glue (callbacks, runner) in airflow_*."""
