# Sprout in a container. Provided untested by CI (our machines have no Docker daemon):
# kept minimal, and it installs exactly as `make install` does, without the dev tools.
# One image for every role, chosen by the command, as in the Procfile:
#   web (default):  the CMD below
#   clock:          python -m bot scheduler
#   release:        python -m bot db upgrade
#   worker:         python -m bot socket   (Socket Mode instead of web)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=3000 \
    DATABASE_URL=sqlite:////data/sprout.db

RUN useradd --create-home --uid 10001 sprout && mkdir /data && chown sprout /data
WORKDIR /app

COPY pyproject.toml README.md alembic.ini gunicorn.conf.py Procfile manifest.yml ./
COPY bot ./bot
COPY handlers ./handlers
COPY migrations ./migrations
COPY prompts ./prompts

# The steps of `make install`, with "." for ".[dev]".
RUN python3 -m venv .venv \
    && .venv/bin/python -m pip install --quiet --upgrade pip \
    && .venv/bin/python -m pip install --quiet -e "."
ENV PATH="/app/.venv/bin:$PATH"

USER sprout
EXPOSE 3000
CMD ["sh", "-c", "exec gunicorn --workers 2 --threads 8 --bind 0.0.0.0:$PORT 'bot.web:wsgi()'"]
