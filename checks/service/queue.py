"""The queue between the service and the workers: a Celery application.

The broker's URL says where the queue is:
- `filesystem://` (the default): folders under the course's `.nn-service/queue/`, for the service
  and the workers of one machine, with nothing to install or start;
- `redis://host:6379/0` (Debian's `redis-server`): workers on any machine that reaches it.
Results come back through the same place (Celery's file-system result backend, or Redis). Only
JSON crosses: the application accepts nothing else, so no message is ever unpickled.
"""
from pathlib import Path

GRADE_TASK = "nn_grade.grade"  # the task a worker runs: a job in, a result out
GRADE_QUEUE = "nn-grade"
SERVICE_DIR = ".nn-service"    # in the course directory: the queue (filesystem://) and the service's state


def local_paths(course_dir):
    """The folders of the file-system broker and result backend, made if missing."""
    base = Path(course_dir).resolve() / SERVICE_DIR / "queue"
    # control: kombu's exchange table, which it would otherwise write to ./control of any working directory
    paths = {name: base / name for name in ("messages", "processed", "results", "control")}
    for path in paths.values():
        path.mkdir(parents=True, exist_ok=True)
    return paths


def application(course_dir, broker=""):
    """The Celery application of a course: its broker and result backend, JSON only."""
    from celery import Celery

    broker = broker or "filesystem://"
    app = Celery("nn_grade")
    settings = dict(
        broker_url=broker, task_serializer="json", result_serializer="json", accept_content=["json"],
        task_default_queue=GRADE_QUEUE, task_acks_late=True, task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1, broker_connection_retry_on_startup=True, worker_hijack_root_logger=False,
        result_extended=False, result_expires=7 * 24 * 3600)
    if broker.startswith("filesystem://"):
        paths = local_paths(course_dir)
        settings.update(
            broker_transport="checks.service.filesystem_broker:Transport",  # messages appear whole
            broker_transport_options={"data_folder_in": str(paths["messages"]),
                                      "data_folder_out": str(paths["messages"]),
                                      "processed_folder": str(paths["processed"]), "store_processed": False,
                                      "control_folder": str(paths["control"]),
                                      "polling_interval": 0.05},
            result_backend=f"file://{paths['results']}")
    else:
        settings.update(result_backend=broker, broker_transport_options={"visibility_timeout": 3600})
    app.conf.update(settings)
    return app
