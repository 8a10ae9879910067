"""Airflow DAG: the learning-regions stages as separate tasks, each a spark-submit through jobs/<stage>.sh.

Every stage is idempotent (a table is only committed when its content changes), so retries are safe. Set the
Airflow Variables learning_regions_home (the clone with target/learning-regions-cluster.jar), spark_home and
spark_master; the inputs directory is a DAG param. Exit codes: 0 ok, 1 data or run-time failure, 2 usage error.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.models import Variable
from airflow.operators.bash import BashOperator

HOME = Variable.get("learning_regions_home", default_var="/opt/learning-regions")
ENV = {
    "SPARK_HOME": Variable.get("spark_home", default_var="/opt/spark"),
    "SPARK_MASTER": Variable.get("spark_master", default_var="yarn"),
    "LEARNING_REGIONS_CONF": f"{HOME}/conf/cluster.conf",
}

with DAG(
    dag_id="learning_regions",
    start_date=datetime(2026, 1, 1),
    schedule="@weekly",
    catchup=False,
    max_active_runs=1,
    params={"input_dir": "s3a://my-bucket/learning-regions/inputs"},
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10), "retry_exponential_backoff": True},
    tags=["learning-regions"],
) as dag:
    def stage(name, args=""):
        return BashOperator(
            task_id=name.replace("-", "_"),
            bash_command=f"{HOME}/jobs/{name}.sh {args}",
            env=ENV,
            append_env=True,
        )

    ingest = stage("ingest", "{{ params.input_dir }}")
    aggregate = stage("aggregate")
    build_panel = stage("build-panel")
    index = stage("index")
    fit = stage("fit")
    report = stage("report")
    ingest >> aggregate >> build_panel >> index >> fit >> report
