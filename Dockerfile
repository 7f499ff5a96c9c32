# Production image: gunicorn serving Django; the same image runs the Celery worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HAELAPP_VAR_DIR=/var/lib/haelapp

WORKDIR /app
COPY requirements/base.lock requirements/base.lock
RUN pip install --no-cache-dir --require-hashes -r requirements/base.lock

COPY . .
# Build-time only values: collectstatic and the translation compile need settings to load.
RUN DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py compiletranslations \
 && DEBUG=false SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --no-input -v0 \
 && useradd --system --uid 10001 --home /var/lib/haelapp haelapp \
 && mkdir -p /var/lib/haelapp && chown -R haelapp /var/lib/haelapp

USER haelapp
EXPOSE 8000
CMD ["gunicorn", "haelapp.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
