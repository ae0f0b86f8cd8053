# The service in a container: slim Python, a non-root user, the SQLite file on a /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BOT_DATABASE__PATH=/data/bot.sqlite3 \
    BOT_WEB__HOST=0.0.0.0

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY config ./config
COPY migrations ./migrations
RUN pip install . && rm -rf /app/bot /app/config /app/migrations

RUN groupadd --system --gid 10001 bot \
    && useradd --system --uid 10001 --gid 10001 --home-dir /data --shell /usr/sbin/nologin bot \
    && mkdir -p /data && chown 10001:10001 /data
# Numeric, so that the runtime (and a Kubernetes runAsNonRoot check) needs no /etc/passwd.
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

CMD ["python", "-m", "bot", "run"]
