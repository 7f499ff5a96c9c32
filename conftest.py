import os

# Tests that need a real broker start their own worker against Redis (tests/test_celery_*.py,
# tests/test_reminder_delivery.py). Everywhere else, enqueued tasks go to an in-memory
# transport instead of piling up in the development broker folder.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
