# Data Science Sandbox: the dashboard on 8501, JupyterLab on 8888, learner data on the /data volume.
#   docker build -t data-science-sandbox .
#   docker run -p 8501:8501 -p 8888:8888 -v sandbox-data:/data data-science-sandbox
#   docker run -v sandbox-data:/data data-science-sandbox sandbox status
FROM python:3.11-slim

RUN useradd --create-home --uid 1000 learner \
    && mkdir -p /data /opt/venv \
    && chown learner:learner /data /opt/venv

WORKDIR /app
COPY --chown=learner:learner . /app
USER learner
# The same script a developer runs: one recipe for the environment, exercised by the tests.
RUN VENV=/opt/venv PYTHON=python3 bash scripts/setup && rm -rf /home/learner/.cache/pip

ENV PATH="/opt/venv/bin:$PATH" \
    SANDBOX_HOME=/data \
    SANDBOX_LAB_HOST=0.0.0.0 \
    SANDBOX_LAB_PORT=8888 \
    PYTHONUNBUFFERED=1
VOLUME ["/data"]
EXPOSE 8501 8888

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

# Inside a container the dashboard must listen beyond loopback for the port mapping to reach it.
CMD ["sandbox", "dashboard", "--host", "0.0.0.0", "--port", "8501"]
