# Metacluster's image: the web (gunicorn), the worker and beat run from it (compose.yaml).
FROM python:3.11-slim-bookworm

# Pango for WeasyPrint's PDF reports; nothing else from Debian is needed at run time.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY metacluster ./metacluster
RUN pip install .
COPY gunicorn.conf.py ./

# A user of its own, and the directories the volumes are mounted on, owned by it.
RUN useradd --create-home --uid 1000 metacluster \
 && mkdir -p /data/uploads /data/trade /data/job-files /data/beat \
 && chown -R metacluster /data
USER metacluster
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "metacluster.wsgi:application"]
