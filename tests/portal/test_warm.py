"""portal.warm: a web worker loads jieba and freezes what it holds before its first request
(a full garbage collection over it cost 75–145 ms every 100–150 searches, benchmark, issue 7)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
before = gc.get_freeze_count()
import portal.wsgi
from sharing.search import _tokenizer
print(before, gc.get_freeze_count(), _tokenizer().initialized)
"""


def test_importing_the_wsgi_module_loads_jieba_and_freezes_the_loaded_objects():
    # In a process of its own, as each gunicorn worker imports the module (a frozen pytest
    # process would keep its garbage for the rest of the run).
    env = {**os.environ, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    before, after, initialized = done.stdout.split()
    assert int(before) == 0
    # Django, the URL modules and jieba's dictionary: well over 50,000 objects.
    assert int(after) > 50_000
    assert initialized == "True"
