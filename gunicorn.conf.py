"""gunicorn's settings for the web process (the image's command and deploy/systemd/).

gunicorn reads this file from the working directory; each value can be changed by the
environment variable named beside it, and `--workers` and the other options on the
command line still win.
"""

import os

# Inside the compose network nginx reaches web:8000; on one machine without Docker the
# systemd unit binds 127.0.0.1:8000, so only the local nginx can reach it.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# gunicorn's own variable; sync workers, each serving one request at a time.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# The xlsx ledger export of 100,000 suggestions takes about 50 s (docs/performance.md).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak in a library cannot grow without bound.
max_requests = 1000
max_requests_jitter = 100
# The heartbeat file on a memory file system: a container's overlay disk can stall it.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Logs go to stdout/stderr: docker logs or the journal keeps them.
accesslog = "-"
errorlog = "-"
# Addresses whose X-Forwarded-Proto gunicorn believes (gunicorn's own variable). Django
# itself trusts nginx's headers only with DJANGO_BEHIND_PROXY=1; compose sets "*" because
# web publishes no port and only nginx reaches it.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No control socket in the home directory: nothing here uses it.
control_socket_disable = True
