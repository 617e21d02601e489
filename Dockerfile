FROM python:3.12-slim-bookworm
# WeasyPrint needs Pango; psycopg2 builds against libpq.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core libpq-dev gcc gettext \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
ENV UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/venv PATH=/venv/bin:$PATH
RUN uv sync --locked --no-dev --no-install-project
COPY . .
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnop \
    DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --no-input -v 0
RUN useradd --system --home /app cpas && mkdir -p /app/media && chown cpas /app/media
USER cpas
EXPOSE 8000
# The access log goes through the national-number mask (cpas_portal/gunicorn_conf.py).
CMD ["gunicorn", "-c", "python:cpas_portal.gunicorn_conf", "cpas_portal.wsgi:application"]
