"""The pipeline's stages as plain functions: what the DAGs and ``grassroots run`` call, without Airflow."""

from grassroots.pipeline.publish import PublishSummary, publish
from grassroots.pipeline.sync import SyncSummary, sync

__all__ = ["PublishSummary", "SyncSummary", "publish", "sync"]
