"""The pipeline's stages as plain functions: what the DAGs and ``grassroots run`` call, without Airflow.

One module per stage (sync, stage, validate, resolve, publish, build, report); import the function from its module.
Nothing is re-exported here, so that a function never shadows the module of the same name.
"""
